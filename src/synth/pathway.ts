// One referral's whole journey, simulated when the referral arrives: waits, appointments, therapies,
// scores, discharge. Each monthly file later shows the part of it that falls in that month.
import { anxietyMeasureFor, APPOINTMENT_TYPES, ATTENDED_CODES, IET_PROGRAMMES, LONG_TERM_CONDITIONS, outcomeMeasure, PROBLEM_DESCRIPTORS, THERAPY_TYPES, toolByKey, type OutcomeMeasure, type ProblemDescriptorGroup } from '../dataset/index.js';
import {
  ADSM_RECORDED_SHARE,
  ATTENDANCE,
  CONSULTATION_MECHANISM,
  FIRST_TREATMENT_WAIT,
  HIGH_INTENSITY_EXTRA_SESSIONS_MEAN,
  LOW_INTENSITY_EXTRA_SESSIONS_MEAN,
  NOT_CASENESS_CHANGE,
  OUTCOME_CLASSES,
  PROBLEM_DESCRIPTOR_MIX,
  ROUTES,
  SOURCE_OF_REFERRAL,
  STEPS,
  type OutcomeTilts,
  type Route,
} from './calibration.js';
import { laterEmployment, type Patient } from './people.js';
import type { Rng } from './random.js';
import { drawPairs, scaleOf, scoreText, trajectory, type Target } from './scores.js';

export interface ScoreRecord {
  tool: string;
  score: string;
}

export interface Contact {
  seq: number;
  day: number;
  time: string;
  appType: string;
  attend: string;
  therapy: string;
  mechanism: string;
  ltcService: boolean;
  psychMed: string;
  duration: number;
  staff: string;
  iet: string;
  group: boolean;
  /** Activities (one per attended contact, two with employment support); each may carry IDS607 scores. */
  activities: { seq: number; therapy: string; scores: ScoreRecord[] }[];
  /** Recorded after the Primary deadline: appears only in the Refresh submission. */
  late: boolean;
}

export interface Pathway {
  seq: number;
  serviceRequestId: string;
  patient: Patient;
  receivedDay: number;
  source: string;
  commissioner: string;
  onset: string;
  prevDiagInd: string;
  route: Route;
  descriptor: ProblemDescriptorGroup | null;
  complaints: { scheme: string; code: string; significance: string; day: number }[];
  contacts: Contact[];
  /** IDS606 referral-level assessments. */
  referralScores: { day: number; time: string; tool: string; score: string }[];
  dischargeDay: number | null;
  endCode: string;
  dischargeLate: boolean;
  onward: { day: number; reason: string; org: string } | null;
  pause: { id: string; startDay: number; endDay: number; reason: string } | null;
  ltc: string;
  ietLogs: { startDay: number; endDay: number; programme: string; minutes: number; staff: string }[];
  outcome: Target | 'unpaired' | null;
}

export interface PathwayContext {
  rng: Rng;
  commissioner: string;
  siteCodes: readonly string[];
  otherOrgs: readonly string[];
  lowStaff: readonly string[];
  highStaff: readonly string[];
  nextContact: () => number;
  nextActivity: () => number;
  tilts: OutcomeTilts;
}

const TREATMENT_TYPES = new Set<string>(APPOINTMENT_TYPES.treatment);
const isAttended = (code: string): boolean => ATTENDED_CODES.includes(code);
const LOW = THERAPY_TYPES.filter((t) => t.intensity === 'low' && t.snomed !== '199314001');
const HIGH = THERAPY_TYPES.filter((t) => t.intensity === 'high');
const EMPLOYMENT_SUPPORT = THERAPY_TYPES.find((t) => t.intensity === 'employment')!.snomed;
const GUIDED_COMPUTER = '748041000000107';
const LOW_WEIGHTS: Record<string, number> = { '748051000000105': 0.3, [GUIDED_COMPUTER]: 0.3, '748061000000108': 0.05, '702545008': 0.1, '1026111000000108': 0.1, '748101000000105': 0.05, '748091000000102': 0.05, '975131000000104': 0.05 };
const HIGH_WEIGHTS: Record<string, number> = { '304891004': 0.62, '286711000000107': 0.12, '443730003': 0.05, '449030000': 0.06, '314034001': 0.02, '1129471000000105': 0.02, '842901000000108': 0.02, '933221000000107': 0.03, '1127281000000100': 0.03, '1026131000000100': 0.03 };
const PHQ9 = outcomeMeasure('PHQ9');
const GAD = outcomeMeasure('GAD');
const WSAS = ['WASAS_Work', 'WASAS_HomeManagement', 'WASAS_SocialLeisureActivities', 'WASAS_PrivateLeisureActivities', 'WASAS_Relationships'].map(toolByKey);
const PHQ15 = toolByKey('PHQ15');
const PEQ = ['PEQ_Treatment1', 'PEQ_Treatment2', 'PEQ_Treatment3', 'PEQ_Treatment4', 'PEQ_Treatment5', 'PEQ_Treatment6'].map(toolByKey);
const descriptorById = new Map(PROBLEM_DESCRIPTORS.map((p) => [p.id, p]));

const clockTime = (rng: Rng): string => `${String(rng.int(8, 18)).padStart(2, '0')}:${['00', '15', '30', '45'][rng.int(0, 3)]}:00`;

function firstTreatmentWait(rng: Rng): number {
  const w = FIRST_TREATMENT_WAIT;
  const days = rng.chance(w.tail.share) ? rng.lognormal(w.tail.median, w.tail.sigma) : rng.lognormal(w.main.median, w.main.sigma);
  return Math.max(0, Math.min(400, Math.round(days)));
}

/** Outcome class for a finisher, tilted by descriptor, deprivation and age as published. */
function outcomeTarget(rng: Rng, tilts: OutcomeTilts, descriptorId: string, imdDecile: number, age: number): Target | 'unpaired' {
  const c = OUTCOME_CLASSES;
  const u = rng.next();
  if (u < c.unpaired) return 'unpaired';
  if (u < c.unpaired + c.notCaseness) {
    const n = NOT_CASENESS_CHANGE;
    return rng.weighted([['notCasenessImproved', n.improved], ['notCasenessNoChange', n.noChange], ['notCasenessDeteriorated', n.deteriorated]] as const);
  }
  const tilt = tilts.recovery(descriptorId, imdDecile, age);
  const recovered = (c.recoveredReliably + c.recoveredNotReliably) * tilt;
  const deteriorated = c.deteriorated * tilts.deterioration(imdDecile);
  const rest = Math.max(0, 1 - c.unpaired - c.notCaseness - recovered - deteriorated);
  const restShare = rest / (c.improvedNotRecovered + c.noChange);
  return rng.weighted([
    ['recoveredReliably', c.recoveredReliably * tilt],
    ['recoveredNotReliably', c.recoveredNotReliably * tilt],
    ['deteriorated', deteriorated],
    ['improvedNotRecovered', c.improvedNotRecovered * restShare],
    ['noChange', c.noChange * restShare],
  ] as const);
}

function pickTherapy(rng: Rng, weights: Record<string, number>, list: typeof LOW): string {
  return rng.weighted(list.map((t) => [t.snomed, weights[t.snomed] ?? 0.01] as const));
}

export function simulatePathway(ctx: PathwayContext, seq: number, patient: Patient, receivedDay: number): Pathway {
  const { rng } = ctx;
  const route = rng.weighted(ROUTES);
  const assessed = route !== 'notSeen';
  const descriptorId = assessed ? rng.weighted(PROBLEM_DESCRIPTOR_MIX) : 'NotStated';
  const descriptor = assessed && descriptorId !== 'NotStated' ? descriptorById.get(descriptorId)! : null;
  const mechanism = rng.weighted(CONSULTATION_MECHANISM);
  const ltcService = rng.chance(0.1);
  const pathway: Pathway = {
    seq,
    serviceRequestId: `R${String(seq).padStart(9, '0')}`,
    patient,
    receivedDay,
    source: rng.weighted(SOURCE_OF_REFERRAL),
    commissioner: ctx.commissioner,
    onset: '',
    prevDiagInd: rng.weighted([['N', 0.5], ['Y', 0.3], ['U', 0.15], ['Z', 0.05]] as const),
    route,
    descriptor,
    complaints: [],
    contacts: [],
    referralScores: [],
    dischargeDay: null,
    endCode: '',
    dischargeLate: rng.chance(0.02),
    onward: null,
    pause: null,
    ltc: rng.chance(0.15) ? rng.pick(LONG_TERM_CONDITIONS).snomed : '',
    ietLogs: [],
    outcome: null,
  };
  if (rng.chance(0.6)) {
    const onsetDay = receivedDay - rng.int(30, 900);
    const d = new Date(onsetDay * 86_400_000);
    pathway.onset = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  }

  const lowStaff = rng.pick(ctx.lowStaff);
  const highStaff = rng.pick(ctx.highStaff);
  // Books an appointment on `day`; returns the day it was attended (rebooking after non-attendance).
  const book = (day: number, appType: string, therapy: string, staff: string, attendOverride?: string): Contact => {
    for (;;) {
      const attend = attendOverride ?? rng.weighted(ATTENDANCE);
      const attended = isAttended(attend);
      const contact: Contact = {
        seq: ctx.nextContact(),
        day,
        time: clockTime(rng),
        appType,
        attend,
        therapy: attended ? therapy : '',
        mechanism: rng.chance(0.85) ? mechanism : rng.weighted(CONSULTATION_MECHANISM),
        ltcService,
        psychMed: TREATMENT_TYPES.has(appType) ? rng.weighted([['01', 0.35], ['02', 0.05], ['03', 0.55], ['UU', 0.05]] as const) : '',
        duration: attended ? rng.pick([30, 45, 50, 60]) : 0,
        staff,
        iet: therapy === GUIDED_COMPUTER ? rng.pick(IET_PROGRAMMES) : '',
        group: therapy === '702545008' || (therapy !== '' && rng.chance(0.03)),
        activities: attended ? [{ seq: ctx.nextActivity(), therapy, scores: [] }] : [],
        late: rng.chance(0.03),
      };
      pathway.contacts.push(contact);
      if (attended || attendOverride !== undefined) return contact;
      day += rng.int(5, 10);
    }
  };

  if (route === 'notSeen') {
    const missed = rng.chance(0.5) ? book(receivedDay + Math.round(rng.lognormal(14, 0.6)), '01', '', highStaff, '3') : null;
    pathway.dischargeDay = (missed?.day ?? receivedDay) + Math.round(rng.lognormal(missed ? 21 : 40, 0.5));
    pathway.endCode = rng.weighted([['50', 0.85], ['16', 0.1], ['95', 0.05]] as const);
  } else if (route === 'seenNotTreated') {
    const assessment = book(receivedDay + Math.round(rng.lognormal(14, 0.7)), '01', '', highStaff);
    pathway.dischargeDay = assessment.day + Math.round(rng.lognormal(7, 0.8));
    pathway.endCode = rng.weighted([['10', 0.2], ['11', 0.2], ['12', 0.25], ['13', 0.15], ['14', 0.1], ['16', 0.07], ['95', 0.03]] as const);
  } else {
    const wait = firstTreatmentWait(rng);
    const step = route === 'treatedOnce' ? rng.weighted([['low', 0.6], ['high', 0.4]] as const) : rng.weighted(STEPS);
    const combined = rng.chance(route === 'treatedOnce' ? 0.4 : 0.25);
    const firstStep = step === 'high' ? 'high' : 'low';
    let therapy = firstStep === 'low' ? pickTherapy(rng, LOW_WEIGHTS, LOW) : pickTherapy(rng, HIGH_WEIGHTS, HIGH);
    let staff = firstStep === 'low' ? lowStaff : highStaff;
    let day = receivedDay + wait;
    if (!combined) {
      const assessment = book(receivedDay + Math.floor(wait * (0.3 + rng.next() * 0.6)), '01', '', staff);
      day = Math.max(day, assessment.day + 1);
    }
    if (rng.chance(0.01)) {
      const start = receivedDay + rng.int(1, Math.max(1, wait));
      pathway.pause = { id: `W${rng.int(1000, 9999)}`, startDay: start, endDay: start + rng.int(14, 42), reason: rng.pick(['01', '02', '03']) };
      day += pathway.pause.endDay - pathway.pause.startDay;
    }
    const sessionsFor = (s: 'low' | 'high'): number => (route === 'treatedOnce' ? 1 : 2 + rng.poisson(s === 'low' ? LOW_INTENSITY_EXTRA_SESSIONS_MEAN : HIGH_INTENSITY_EXTRA_SESSIONS_MEAN));
    const parts: ('low' | 'high')[] = step === 'stepped' ? ['low', 'high'] : [firstStep];
    let first = true;
    for (const part of parts) {
      if (part === 'high' && step === 'stepped') {
        therapy = pickTherapy(rng, HIGH_WEIGHTS, HIGH);
        staff = highStaff;
        day += Math.round(rng.lognormal(28, 0.5));
      }
      const sessions = step === 'stepped' && part === 'low' ? 2 + rng.poisson(2) : sessionsFor(part);
      for (let s = 0; s < sessions; s++) {
        const appType = first && combined ? '03' : rng.chance(0.1) ? '05' : '02';
        const contact = book(day, appType, therapy, staff);
        first = false;
        day = contact.day + (rng.chance(0.15) ? 14 : 7) + rng.int(-2, 2);
      }
    }
    const treatment = pathway.contacts.filter((c) => TREATMENT_TYPES.has(c.appType) && isAttended(c.attend));
    pathway.dischargeDay = treatment[treatment.length - 1]!.day + Math.round(rng.lognormal(10, 0.6));
    pathway.endCode =
      route === 'treatedOnce'
        ? rng.weighted([['47', 0.4], ['48', 0.35], ['46', 0.15], ['12', 0.05], ['96', 0.05]] as const)
        : rng.weighted([['46', 0.72], ['47', 0.13], ['48', 0.12], ['96', 0.025], ['49', 0.005]] as const);
    if (route === 'course' && rng.chance(0.05)) {
      const esContact = treatment[rng.int(0, treatment.length - 1)]!;
      esContact.activities.push({ seq: ctx.nextActivity(), therapy: EMPLOYMENT_SUPPORT, scores: [] });
    }
    if (route === 'course' && rng.chance(0.04)) {
      const followUp = book(pathway.dischargeDay + rng.int(60, 120), '06', '', staff);
      followUp.activities[0]?.scores.push({ tool: toolByKey('PHQ9').snomed, score: String(rng.int(0, 12)) });
    }
    if (treatment.some((c) => c.iet)) {
      const ietDays = treatment.filter((c) => c.iet);
      for (let d = ietDays[0]!.day; d < ietDays[ietDays.length - 1]!.day; d += 7) {
        pathway.ietLogs.push({ startDay: d, endDay: d + 6, programme: ietDays[0]!.iet, minutes: rng.int(10, 45), staff: lowStaff });
      }
    }
  }

  if (pathway.endCode === '13') pathway.onward = { day: pathway.dischargeDay!, reason: rng.pick(['01', '02', '03', '04', '05', '06']), org: rng.pick(ctx.otherOrgs) };

  const firstAttended = pathway.contacts.find((c) => isAttended(c.attend));
  if (firstAttended && descriptor && rng.chance(route === 'seenNotTreated' ? 0.75 : 0.97)) recordComplaints(rng, pathway, descriptor, firstAttended.day);
  const employment = pathway.patient.employment;
  if (route === 'course' && rng.chance(0.5) && employment.every((e) => e.day < pathway.dischargeDay!)) employment.push(laterEmployment(rng, pathway.patient, pathway.dischargeDay!));
  recordScores(rng, ctx.tilts, pathway, descriptorId);
  return pathway;
}

function recordComplaints(rng: Rng, pathway: Pathway, descriptor: ProblemDescriptorGroup, day: number): void {
  const snomed = descriptor.snomed !== undefined;
  const code = snomed ? descriptor.exampleCode : rng.chance(0.2) ? `${descriptor.exampleCode.slice(0, 3)}.${descriptor.exampleCode.slice(3)}` : descriptor.exampleCode;
  pathway.complaints.push({ scheme: snomed ? '04' : '01', code, significance: '1', day });
  if (rng.chance(0.2)) {
    const secondary = rng.pick(PROBLEM_DESCRIPTORS.filter((p) => p.icd10Prefixes && p.id !== descriptor.id));
    pathway.complaints.push({ scheme: '01', code: secondary.exampleCode, significance: '2', day });
  }
}

function addScore(pathway: Pathway, contact: Contact, viaReferral: boolean, tool: string, score: string): void {
  if (viaReferral) pathway.referralScores.push({ day: contact.day, time: contact.time, tool, score });
  else contact.activities[0]!.scores.push({ tool, score });
}

function recordScores(rng: Rng, tilts: OutcomeTilts, pathway: Pathway, descriptorId: string): void {
  const scored = pathway.contacts.filter((c) => isAttended(c.attend) && (TREATMENT_TYPES.has(c.appType) || APPOINTMENT_TYPES.assessment.some((t) => t === c.appType)));
  if (scored.length === 0) return;
  const adsm = anxietyMeasureFor(descriptorId);
  const useAdsm = adsm.key !== 'GAD' && rng.chance(ADSM_RECORDED_SHARE);
  const anxiety: OutcomeMeasure = useAdsm ? adsm : GAD;
  const severity = rng.normal();
  const target: Target | 'unpaired' =
    pathway.route === 'course'
      ? outcomeTarget(rng, tilts, descriptorId, pathway.patient.lsoa.imdDecile, pathway.patient.ageAtReferral)
      : rng.weighted([['noChange', 0.5], ['improvedNotRecovered', 0.2], ['recoveredReliably', 0.2], ['notCasenessNoChange', 0.1]] as const);
  pathway.outcome = target;
  const unpaired = target === 'unpaired';
  const drawn: Target = target === 'unpaired' ? (rng.chance(0.94) ? 'noChange' : 'notCasenessNoChange') : target;
  const main = drawPairs(rng, drawn, PHQ9, anxiety, severity);
  const gadPair = useAdsm ? drawPairs(rng, drawn, PHQ9, GAD, severity).a : main.a;
  const n = scored.length;
  const phq = trajectory(rng, main.d, n, scaleOf(PHQ9));
  const gad = trajectory(rng, gadPair, n, scaleOf(GAD));
  const adsmScores = useAdsm ? trajectory(rng, main.a, n, scaleOf(anxiety)) : [];
  const wsas = rng.chance(0.7);
  const wsasStart = WSAS.map(() => rng.int(2, 8));
  const wsasFall = 0.2 + rng.next() * 0.6;
  const viaReferral = rng.chance(0.05);
  const pps = pathway.contacts[0]!.ltcService && (descriptorId === 'MUS' || descriptorId === 'IBS' || rng.chance(0.3));
  for (let k = 0; k < n; k++) {
    const contact = scored[k]!;
    const edge = k === 0 || k === n - 1;
    if (!edge && rng.chance(0.05)) continue; // an occasional missed questionnaire mid-treatment
    addScore(pathway, contact, viaReferral, toolByKey('PHQ9').snomed, scoreText(phq[k]!, scaleOf(PHQ9)));
    // Unpaired: the anxiety measure is recorded at the first scored contact only.
    if (!unpaired || k === 0) {
      addScore(pathway, contact, viaReferral, toolByKey('GAD').snomed, scoreText(gad[k]!, scaleOf(GAD)));
      if (useAdsm) addScore(pathway, contact, viaReferral, toolByKey(anxiety.toolKey!).snomed, scoreText(adsmScores[k]!, scaleOf(anxiety)));
    }
    if (wsas && (edge || rng.chance(0.8))) {
      const t = n > 1 ? k / (n - 1) : 0;
      WSAS.forEach((tool, i) => addScore(pathway, contact, viaReferral, tool.snomed, String(Math.max(0, Math.round(wsasStart[i]! * (1 - wsasFall * t))))));
    }
    if (pps && edge) addScore(pathway, contact, viaReferral, PHQ15.snomed, String(Math.max(0, Math.min(30, Math.round(12 + rng.normal() * 5 - (k === 0 ? 0 : 4))))));
  }
  if (pathway.route === 'course' && rng.chance(0.3)) {
    const last = scored[n - 1]!;
    PEQ.forEach((tool, i) => pathway.referralScores.push({ day: last.day, time: last.time, tool: tool.snomed, score: String(rng.int(2 + (i % 2), 4)) }));
  }
}
