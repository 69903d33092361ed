// Synthetic patients of one provider: identity, demographics, GP registration and patient-level records.
import { nhsNumberCheckDigit, SOCIAL_CIRCUMSTANCES } from '../dataset/index.js';
import { AGE_BANDS, ETHNICITY, GENDER } from './calibration.js';
import type { Lsoa, Provider } from './reference.js';
import type { Rng } from './random.js';

export interface EmploymentRecord {
  day: number;
  status: string;
  weekHours: string;
  sickAbsence: string;
  ssp: string;
  benefit: string;
  esa: string;
  uc: string;
  pip: string;
  empSupportInd: string;
  /** Date of referral to employment support, when suitable (EmpSupportInd Y). */
  empSupportReferral: number | null;
}

export interface Patient {
  localId: string;
  nhsNumber: string;
  nhsNumberStatus: string;
  birthDay: number;
  /** Age at first referral (drives outcome calibration). */
  ageAtReferral: number;
  postcode: string;
  lsoa: Lsoa;
  gender: string;
  genderIdentity: string;
  ethnicity: string;
  language: string;
  exBaf: string;
  education: string;
  gpPractice: string;
  gpStartDay: number;
  employment: EmploymentRecord[];
  disability: string | null;
  circumstances: { code: string; day: number }[];
  accommodation: { type: string; settled: string; day: number } | null;
  overseas: { category: string; day: number } | null;
  previousDiagnosis: { code: string; day: number } | null;
  careCluster: { code: string; startDay: number } | null;
}

/**
 * Valid NHS numbers (Modulus 11) unique within a provider: first nine digits counted up from the provider's
 * own block of 900 000 000 – 999 999 999. Numbers beginning with 9 are not issued to patients in England and
 * Wales (999 is the NHS test range), and random draws from the test range alone collide at national volumes.
 */
export function nhsNumberAllocator(providerIndex: number, providers: number): () => string {
  const block = Math.floor(100_000_000 / Math.max(1, providers));
  let next = 900_000_000 + providerIndex * block;
  return () => {
    for (;;) {
      const firstNine = String(next++);
      const check = nhsNumberCheckDigit(firstNine);
      if (check !== null) return `${firstNine}${check}`;
    }
  };
}

function ageAtReferral(rng: Rng): number {
  const band = rng.weighted(AGE_BANDS.map((b) => [b, b[2]] as const));
  return rng.int(band[0], band[1]);
}

function employment(rng: Rng, age: number, day: number): EmploymentRecord {
  const status =
    age >= 66 ? rng.weighted([['08', 0.85], ['01', 0.1], ['ZZ', 0.05]] as const) : rng.weighted([['01', 0.58], ['02', 0.1], ['03', 0.08], ['04', 0.08], ['05', 0.05], ['06', 0.04], ['07', 0.01], ['08', 0.02], ['ZZ', 0.04]] as const);
  const employed = status === '01';
  const supportInd = rng.weighted([['N', 0.6], ['Y', 0.1], ['NA', 0.3]] as const);
  const yn = (p: number): string => (rng.chance(0.05) ? 'Z' : rng.chance(p) ? 'Y' : 'N');
  return {
    day,
    status,
    weekHours: employed ? rng.weighted([['01', 0.7], ['02', 0.2], ['03', 0.07], ['04', 0.03]] as const) : '98',
    sickAbsence: employed ? yn(0.2) : '8',
    ssp: employed ? yn(0.1) : 'N',
    benefit: yn(employed ? 0.1 : 0.55),
    esa: yn(status === '04' ? 0.5 : 0.03),
    uc: yn(employed ? 0.08 : 0.4),
    pip: yn(status === '04' ? 0.4 : 0.03),
    empSupportInd: supportInd,
    empSupportReferral: supportInd === 'Y' ? day : null,
  };
}

export function newPatient(rng: Rng, provider: Provider, seq: number, firstReferralDay: number, nextNhsNumber: () => string): Patient {
  const age = ageAtReferral(rng);
  const birthDay = firstReferralDay - age * 365 - rng.int(0, 364);
  const lsoa = rng.pick(provider.lsoas);
  const practice = rng.chance(0.85) ? rng.pick(provider.practices.filter((p) => p.subIcb === lsoa.subIcb).concat(provider.practices.slice(0, 1))) : rng.pick(provider.practices);
  const hasNhsNumber = rng.chance(0.985);
  const circumstances: { code: string; day: number }[] = [];
  if (rng.chance(0.6)) {
    const religion = SOCIAL_CIRCUMSTANCES.filter((c) => c.group === 'religion');
    const orientation = SOCIAL_CIRCUMSTANCES.filter((c) => c.group === 'sexualOrientation');
    circumstances.push({ code: rng.pick(religion).snomed, day: firstReferralDay });
    circumstances.push({ code: rng.weighted(orientation.map((c, i) => [c.snomed, i === 0 ? 0.9 : 0.05] as const)), day: firstReferralDay });
  }
  return {
    localId: `P${String(seq).padStart(8, '0')}`,
    nhsNumber: hasNhsNumber ? nextNhsNumber() : '',
    nhsNumberStatus: hasNhsNumber ? '01' : '07',
    birthDay,
    ageAtReferral: age,
    postcode: rng.chance(0.99) ? rng.pick(lsoa.postcodes) : '',
    lsoa,
    gender: rng.weighted(GENDER),
    genderIdentity: rng.chance(0.5) ? '' : rng.weighted([['1', 0.3], ['2', 0.66], ['3', 0.01], ['4', 0.005], ['Z', 0.025]] as const),
    ethnicity: rng.weighted(ETHNICITY),
    language: rng.chance(0.93) ? 'en' : rng.pick(['pl', 'ur', 'pa', 'bn', 'ro', 'ar', 'gu', 'pt', 'so', 'q1']),
    exBaf: rng.weighted([['03', 0.9], ['02', 0.02], ['05', 0.01], ['UU', 0.04], ['ZZ', 0.03]] as const),
    education: age <= 25 ? rng.weighted([['2', 0.2], ['3', 0.25], ['4', 0.05], ['Z', 0.5]] as const) : '',
    gpPractice: practice.code,
    gpStartDay: Math.max(birthDay, firstReferralDay - rng.int(30, 365 * 20)),
    employment: [employment(rng, age, firstReferralDay + rng.int(0, 20))],
    disability: rng.chance(0.3) ? rng.weighted([['NN', 0.6], ['01', 0.1], ['05', 0.06], ['08', 0.08], ['04', 0.05], ['ZZ', 0.11]] as const) : null,
    circumstances,
    accommodation: rng.chance(0.4) ? { type: rng.pick(['01', '02', '03', '04', '05']), settled: rng.weighted([['Y', 0.9], ['N', 0.08], ['Z', 0.02]] as const), day: firstReferralDay } : null,
    overseas: rng.chance(0.01) ? { category: rng.pick(['A', 'B', 'C', 'D', 'E', 'F', 'P', '9']), day: firstReferralDay } : null,
    previousDiagnosis: rng.chance(0.1) ? { code: rng.pick(['F321', 'F411', 'F431', 'F329']), day: firstReferralDay - rng.int(200, 3000) } : null,
    careCluster: rng.chance(0.02) ? { code: rng.pick(['01', '02', '03', '04', '11']), startDay: firstReferralDay + rng.int(0, 30) } : null,
  };
}

/** A later employment record (recorded at discharge), when the person's status is updated. */
export function laterEmployment(rng: Rng, patient: Patient, day: number): EmploymentRecord {
  return employment(rng, patient.ageAtReferral, day);
}
