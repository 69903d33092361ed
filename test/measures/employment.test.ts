// Employment measures (EA001–EA285, M296–M331) on hand-built data sets with known answers, May 2024.
import { beforeAll, describe, expect, it } from 'vitest';
import { codeList, item, THERAPY_TYPES } from '../../src/dataset/index.js';
import { EMPLOYMENT, EMPLOYMENT_GAPS } from '../../src/measures/catalogue/employment.js';
import { measure, type Fixture, type Row, ids } from './fixture.js';

const seq = (prefix: string, first: number, n: number, width = 3) => Array.from({ length: n }, (_, i) => `${prefix}${String(first + i).padStart(width, '0')}`);

const MAY = 1490; // Unique_MonthID of 2024-05
const ES = THERAPY_TYPES.find((t) => t.intensity === 'employment')!.snomed;
const CBT = THERAPY_TYPES.find((t) => t.countColumn === 'CognitiveBehaviourTherapy_Count')!.snomed;

/** A referral used for May 2024, sent in May's submission, of its own person. */
const referral = (id: string, row: Row = {}): Row => ({ PathwayID: id, Person_ID: `p-${id}`, Unique_MonthID: MAY, ReferralRequestReceivedDate: '2024-02-01', ...row });
/** A finisher discharged in May. */
const finisher = (id: string, row: Row = {}): Row => referral(id, { ServDischDate: '2024-05-15', CompletedTreatment_Flag: true, TreatmentCareContact_Count: 4, ...row });
let record = 0;
/** An IDS004 record of the referral's person, sent by provider RA1. */
const status = (pathway: string, date: string, employStatus: string | null, sickness: string | null, row: Row = {}): Row => ({
  Person_ID: `p-${pathway}`,
  OrgID_Provider: 'RA1',
  UniqueID_IDS004: ++record,
  EmployStatusRecDate: date,
  EmployStatus: employStatus,
  SickAbsenceInd: sickness,
  EmpSupportInd: null,
  EmpSupportDischargeDate: null,
  ...row,
});

type Result = Awaited<ReturnType<typeof measure>>;
const computed = (fixture: () => Fixture, list: () => string[]) => {
  const result = {} as { value: Result['value'] };
  beforeAll(async () => Object.assign(result, await measure(fixture(), ids(...list()))));
  return result;
};

describe('the employment catalogue', () => {
  it('implements all 110 EA-type measures, monthly, with no gaps', () => {
    const expected = [...seq('EA', 1, 13), ...seq('EA', 18, 12), ...seq('EA', 34, 8), ...seq('EA', 50, 13), ...seq('EA', 83, 5), 'EA108', 'EA110', ...seq('EA', 127, 8), 'EA136', 'EA139', 'EA140', ...seq('EA', 276, 10), ...seq('M', 296, 36)];
    expect(EMPLOYMENT.map((m) => m.id).sort()).toEqual(expected.sort());
    expect(EMPLOYMENT.every((m) => m.frequency === 'Monthly')).toBe(true);
    expect(EMPLOYMENT_GAPS).toEqual([]);
  });
});

describe('IDS004 data quality (EA002–EA013, EA018–EA029, EA127–EA130)', () => {
  // Items: EmployStatus, WeekHoursWorked, BenefitRecInd, ESAInd, UCInd, PIPInd, EmpSupportInd.
  const items = (values: (string | null)[]): Row => Object.fromEntries(['EmployStatus', 'WeekHoursWorked', 'BenefitRecInd', 'ESAInd', 'UCInd', 'PIPInd', 'EmpSupportInd'].map((k, i) => [k, values[i]!]));
  const rec = (person: string, provider: string, date: string, values: (string | null)[]): Row => ({ Person_ID: person, OrgID_Provider: provider, UniqueID_IDS004: ++record, EmployStatusRecDate: date, ...items(values) });
  const result = computed(
    () => ({
      referrals: [
        referral('a', { Person_ID: 'P1' }),
        referral('b', { Person_ID: 'P2', OrgID_Provider: 'RB2' }),
        // P4 has two referrals at RA1, with different commissioners.
        referral('c', { Person_ID: 'P4' }),
        referral('d', { Person_ID: 'P4', OrgIDComm: '00Y' }),
        referral('e', { Person_ID: 'P3', UsePathway_Flag: false }),
      ],
      employmentStatuses: [
        rec('P1', 'RA1', '2024-05-01', ['01', '01', 'Y', 'N', 'U', 'Z', 'Y']),
        rec('P1', 'RA1', '2024-05-31', ['02', '97', 'N', 'X', null, 'Y', 'NA']),
        rec('P2', 'RB2', '2024-05-10', ['ZZ', '05', 'U', 'Z', 'Y', null, 'X']),
        rec('P2', 'RB2', '2024-05-11', ['09', null, null, 'U', 'N', 'N', null]),
        rec('P4', 'RA1', '2024-05-12', ['03', '04', 'Z', 'Y', 'Z', 'U', 'N']),
        // Not counted: dated in April; a person without a referral used for May; sent by a provider the person has no referral with.
        rec('P2', 'RB2', '2024-04-30', ['01', '01', 'Y', 'Y', 'Y', 'Y', 'Y']),
        rec('P3', 'RA1', '2024-05-02', ['01', '01', 'Y', 'Y', 'Y', 'Y', 'Y']),
        rec('P1', 'RB2', '2024-05-02', ['01', '01', 'Y', 'Y', 'Y', 'Y', 'Y']),
      ],
    }),
    () => [...seq('EA', 2, 12), ...seq('EA', 18, 12), ...seq('EA', 127, 4)],
  );

  it.each([
    ['EmployStatus', 'EA002', [3, 1, 1, 0]],
    ['WeekHoursWorked', 'EA006', [2, 1, 1, 1]],
    ['BenefitRecInd', 'EA010', [2, 2, 0, 1]],
    ['ESAInd', 'EA018', [2, 2, 1, 0]],
    ['UCInd', 'EA022', [2, 2, 0, 1]],
    ['PIPInd', 'EA026', [2, 2, 0, 1]],
    ['EmpSupportInd', 'EA127', [2, 1, 1, 1]],
  ] as const)('counts %s valid, default, invalid and missing from %s', (_item, first, expected) => {
    const n = Number(first.slice(2));
    expect(seq('EA', n, 4).map((id) => result.value(id))).toEqual(expected);
  });

  it('counts a record once in England and in each organisation of its referrals (EA002)', () => {
    expect(result.value('EA002', 'Provider', 'RA1')).toBe(3);
    expect(result.value('EA002', 'Provider', 'RB2')).toBe(0);
    expect(result.value('EA003', 'Provider', 'RB2')).toBe(1);
    expect(result.value('EA002', 'SubICB', '00X')).toBe(3);
    expect(result.value('EA002', 'SubICB', '00Y')).toBe(1);
  });
});

describe('IDS004 data quality, every value class of every item (EA002–EA013, EA018–EA029, EA127–EA130)', () => {
  // [IDS004 item, first of its four measures (valid, default, invalid, missing)].
  const ITEMS: [string, string][] = [
    ['EmployStatus', 'EA002'],
    ['WeekHoursWorked', 'EA006'],
    ['BenefitRecInd', 'EA010'],
    ['ESAInd', 'EA018'],
    ['UCInd', 'EA022'],
    ['PIPInd', 'EA026'],
    ['EmpSupportInd', 'EA127'],
  ];
  const values = (name: string) => codeList(item('IDS004EmpStatus', name).codeList!).values;
  /** Values of each class for an item, from its code list: valid (not a default), default, not in the list, missing. */
  const classes = (name: string): Record<'valid' | 'default' | 'invalid' | 'missing', (string | null)[]> => {
    const valid = values(name).filter((v) => !v.isDefault).map((v) => v.code);
    const defaults = values(name).filter((v) => v.isDefault).map((v) => v.code);
    return { valid: [valid[0]!], default: [defaults[0]!, defaults[defaults.length - 1]!], invalid: ['Q', '00', '-'], missing: [null, null, null, null] };
  };
  /** Records whose seven items are all of one class: the n-th value of that class for each item. */
  const records = (kind: keyof ReturnType<typeof classes>, person: string, provider: string, date: string): Row[] =>
    classes('EmployStatus')[kind].map((_, n) => ({
      Person_ID: person,
      OrgID_Provider: provider,
      UniqueID_IDS004: ++record,
      EmployStatusRecDate: date,
      ...Object.fromEntries(ITEMS.map(([name]) => [name, classes(name)[kind][n]!])),
    }));
  const result = computed(
    () => ({
      referrals: [referral('a', { Person_ID: 'P1' }), referral('e', { Person_ID: 'P3', UsePathway_Flag: false })],
      employmentStatuses: [
        // Counted: 1 valid, 2 default, 3 invalid and 4 missing records of P1 at RA1 in May.
        ...records('valid', 'P1', 'RA1', '2024-05-02'),
        ...records('default', 'P1', 'RA1', '2024-05-03'),
        ...records('invalid', 'P1', 'RA1', '2024-05-04'),
        ...records('missing', 'P1', 'RA1', '2024-05-31'),
        // Not counted: invalid and missing records dated in April and June, of a person without a referral used
        // for May, and sent by a provider P1 has no referral with.
        ...records('invalid', 'P1', 'RA1', '2024-04-30'),
        ...records('missing', 'P1', 'RA1', '2024-06-01'),
        ...records('missing', 'P3', 'RA1', '2024-05-10'),
        ...records('invalid', 'P1', 'RB2', '2024-05-10'),
      ],
    }),
    () => ITEMS.flatMap(([, first]) => seq('EA', Number(first.slice(2)), 4)),
  );

  it.each(ITEMS)('%s: valid, default, invalid and missing counts from %s', (_name, first) => {
    const four = seq('EA', Number(first.slice(2)), 4);
    expect(four.map((id) => result.value(id))).toEqual([1, 2, 3, 4]);
    expect(four.map((id) => result.value(id, 'Provider', 'RA1'))).toEqual([1, 2, 3, 4]);
  });
});

describe('referrals with employment support (EA001, EA034, EA035, EA040, EA139)', () => {
  const result = computed(
    () => ({
      referrals: [
        referral('a', { ReferralRequestReceivedDate: '2024-04-01', EmpSupport_FirstDate: '2024-05-10', Count_EmploymentStatuses: 0 }),
        referral('b', { ServDischDate: '2024-04-30', EmpSupport_FirstDate: '2024-03-01', Count_EmploymentStatuses: 2 }),
        referral('c', { Count_EmploymentStatuses: 1 }),
        referral('e', { ReferralRequestReceivedDate: '2024-03-01', EmpSupport_FirstDate: '2024-04-02', Count_EmploymentStatuses: null }),
        referral('f', { EmpSupport_FirstDate: '2024-05-31', Count_EmploymentStatuses: 1 }),
        // A row from another month's submission, and a referral not used for May.
        referral('g', { Unique_MonthID: MAY - 1, EmpSupport_FirstDate: '2024-05-02' }),
        referral('h', { UsePathway_Flag: false }),
      ],
      employmentStatuses: [
        // a: the latest record in the referral says suitable.
        status('a', '2024-04-05', '01', 'N', { EmpSupportInd: 'N' }),
        status('a', '2024-05-02', '01', 'N', { EmpSupportInd: 'Y' }),
        // b: the record after discharge is left out.
        status('b', '2024-03-01', '01', 'N', { EmpSupportInd: 'Y' }),
        status('b', '2024-05-05', '01', 'N', { EmpSupportInd: 'N' }),
        // c: the latest record has no indicator.
        status('c', '2024-04-10', '01', 'N', { EmpSupportInd: 'Y' }),
        status('c', '2024-05-01', '01', 'N', { EmpSupportInd: null }),
        // e: before the referral.
        status('e', '2024-01-01', '01', 'N', { EmpSupportInd: 'Y' }),
        // f: same date: the higher record id is the later.
        status('f', '2024-05-03', '01', 'N', { EmpSupportInd: 'Y' }),
        status('f', '2024-05-03', '01', 'N', { EmpSupportInd: 'N' }),
      ],
    }),
    () => ['EA001', 'EA034', 'EA035', 'EA040', 'EA139'],
  );

  it('EA034/EA035: referrals of May\'s submission with and without an ES appointment', () => {
    expect(result.value('EA034')).toBe(4); // a, b, e, f
    expect(result.value('EA035')).toBe(1); // c
  });

  it('EA001: of those, the ones without an employment status record (none counted or null)', () => {
    expect(result.value('EA001')).toBe(50); // a, e of 4
  });

  it('EA040: first ES appointment in the month', () => {
    expect(result.value('EA040')).toBe(3); // a, f, g
  });

  it('EA139: the latest record within the referral flagged suitable', () => {
    expect(result.value('EA139')).toBe(2); // a, b
  });
});

describe('outcomes of finishers with employment support or NHS Talking Therapies only (M296–M315)', () => {
  const result = computed(
    () => ({
      referrals: [
        finisher('f1', { Recovery_Flag: true, ReliableImprovement_Flag: true }),
        // ES after discharge: NHS Talking Therapies only.
        finisher('f2', { EmpSupport_FirstDate: '2024-05-20', NotCaseness_Flag: true }),
        // ES on the discharge date, on the received date, in between.
        finisher('f3', { EmpSupport_FirstDate: '2024-05-15', Recovery_Flag: true, ReliableImprovement_Flag: true }),
        finisher('f4', { EmpSupport_FirstDate: '2024-03-01', ReliableDeterioration_Flag: true }),
        finisher('f5', { EmpSupport_FirstDate: '2024-02-01', NoChange_Flag: true, Recovery_Flag: true }),
        finisher('f6', { EmpSupport_FirstDate: '2024-04-01', NotCaseness_Flag: true }),
        // ES before the referral: in neither group. Not finished; finished in April.
        finisher('f7', { EmpSupport_FirstDate: '2024-01-31' }),
        finisher('n1', { CompletedTreatment_Flag: false, EmpSupport_FirstDate: '2024-03-01' }),
        finisher('n2', { ServDischDate: '2024-04-30' }),
      ],
    }),
    () => seq('M', 296, 20),
  );

  it('M296–M305: NHS Talking Therapies only', () => {
    expect(seq('M', 296, 10).map((id) => result.value(id))).toEqual([2, 1, 1, 50, 0, 0, 1, 100, 1, 100]);
  });

  it('M306–M315: with employment support', () => {
    const values = seq('M', 306, 10).map((id) => result.value(id)!);
    expect(values.filter((_, i) => ![3, 7, 9].includes(i))).toEqual([4, 1, 1, 1, 1, 2, 1]);
    expect(values[3]).toBe(25);
    expect(values[7]).toBeCloseTo(66.667, 2);
    expect(values[9]).toBeCloseTo(33.333, 2);
  });
});

describe('no reliable change and deterioration by group (M300, M301, M310, M311)', () => {
  const result = computed(
    () => ({
      referrals: [
        // NHS Talking Therapies only: o1 and o4 (ES after discharge) no change; o2, o3, o11 deteriorated.
        finisher('o1', { NoChange_Flag: true }),
        finisher('o2', { ReliableDeterioration_Flag: true }),
        finisher('o3', { ReliableDeterioration_Flag: true }),
        finisher('o4', { EmpSupport_FirstDate: '2024-05-20', NoChange_Flag: true }),
        finisher('o11', { ReliableDeterioration_Flag: true }),
        // With ES: o5, o6 no change; o7 deteriorated.
        finisher('o5', { EmpSupport_FirstDate: '2024-03-01', NoChange_Flag: true }),
        finisher('o6', { EmpSupport_FirstDate: '2024-05-15', NoChange_Flag: true }),
        finisher('o7', { EmpSupport_FirstDate: '2024-02-01', ReliableDeterioration_Flag: true }),
        // Not counted: not finished; discharged in April; ES before the referral (in neither group); not used.
        finisher('o8', { CompletedTreatment_Flag: false, NoChange_Flag: true, ReliableDeterioration_Flag: true }),
        finisher('o9', { ServDischDate: '2024-04-30', NoChange_Flag: true, ReliableDeterioration_Flag: true }),
        finisher('o10', { EmpSupport_FirstDate: '2024-01-31', NoChange_Flag: true, ReliableDeterioration_Flag: true }),
        finisher('o12', { UsePathway_Flag: false, NoChange_Flag: true, ReliableDeterioration_Flag: true }),
      ],
    }),
    () => ['M296', 'M300', 'M301', 'M306', 'M310', 'M311'],
  );

  it('M300, M301: NHS Talking Therapies only', () => {
    expect(result.value('M296')).toBe(5); // o1, o2, o3, o4, o11
    expect(result.value('M300')).toBe(2); // o1, o4
    expect(result.value('M301')).toBe(3); // o2, o3, o11
  });

  it('M310, M311: with employment support', () => {
    expect(result.value('M306')).toBe(3); // o5, o6, o7
    expect(result.value('M310')).toBe(2); // o5, o6
    expect(result.value('M311')).toBe(1); // o7
  });
});

describe('employment status of finishers at the start and end (M316–M331)', () => {
  const result = computed(
    () => ({
      referrals: [
        finisher('s1'),
        finisher('s2'),
        finisher('s3'),
        finisher('s4'),
        finisher('s5'),
        finisher('s6'),
        finisher('e1', { EmpSupport_FirstDate: '2024-03-01' }),
      ],
      employmentStatuses: [
        // s1: in work at the start, off sick at the end; records before the referral and after discharge left out.
        status('s1', '2024-01-15', '02', '8'),
        status('s1', '2024-02-10', '01', 'N'),
        status('s1', '2024-04-01', '01', 'Y'),
        status('s1', '2024-05-20', '08', '8'),
        // s2: two records on one day, ordered by record id; one with an unlisted sickness indicator left out.
        status('s2', '2024-02-05', '04', 'Q'),
        status('s2', '2024-03-01', '01', 'Y'),
        status('s2', '2024-03-01', '02', '8'),
        // s3: no record (unknown); s4: not employed and unknown at once; s5: employed, sickness not known.
        status('s4', '2024-03-01', '03', 'Z'),
        status('s5', '2024-03-01', '01', 'X'),
        // s6: a record sent by another provider is not the referral's (unknown).
        status('s6', '2024-03-01', '01', 'N', { OrgID_Provider: 'RB2' }),
        status('e1', '2024-03-02', '05', '8'),
      ],
    }),
    () => seq('M', 316, 16),
  );

  it('M316–M319: NHS Talking Therapies only, first status', () => {
    expect(seq('M', 316, 4).map((id) => result.value(id))).toEqual([1, 1, 1, 4]);
  });

  it('M320–M323: NHS Talking Therapies only, last status', () => {
    expect(seq('M', 320, 4).map((id) => result.value(id))).toEqual([0, 1, 2, 4]);
  });

  it('M324–M331: with employment support, first and last status', () => {
    expect(seq('M', 324, 8).map((id) => result.value(id))).toEqual([0, 0, 1, 0, 0, 0, 1, 0]);
  });
});

describe('employment status of finishers, every category in both groups (M316–M331)', () => {
  const es = { EmpSupport_FirstDate: '2024-03-01' };
  const result = computed(
    () => ({
      referrals: [
        // NHS Talking Therapies only (t4: ES after discharge).
        finisher('t1'),
        finisher('t2'),
        finisher('t3'),
        finisher('t4', { EmpSupport_FirstDate: '2024-05-20' }),
        // With employment support.
        ...['e1', 'e2', 'e3', 'e4', 'e5', 'e6'].map((id) => finisher(id, es)),
        // Not counted: ES finisher discharged in April, not finished, ES before the referral (neither group), not used.
        finisher('n1', { ...es, ServDischDate: '2024-04-30' }),
        finisher('n2', { ...es, CompletedTreatment_Flag: false }),
        finisher('n3', { EmpSupport_FirstDate: '2024-01-31' }),
        finisher('n4', { ...es, UsePathway_Flag: false }),
      ],
      employmentStatuses: [
        // t1: in work, then off sick; t2: off sick, then in work; t3: no record (unknown); t4: not employed.
        status('t1', '2024-02-05', '01', 'N'),
        status('t1', '2024-05-01', '01', 'Y'),
        status('t2', '2024-02-05', '01', 'Y'),
        status('t2', '2024-05-01', '01', 'N'),
        status('t4', '2024-03-01', '05', '8'),
        // e1: in work, then off sick (a record before the referral and one after discharge left out).
        status('e1', '2024-01-20', 'ZZ', 'Z'),
        status('e1', '2024-02-05', '01', 'N'),
        status('e1', '2024-05-10', '01', 'Y'),
        status('e1', '2024-05-20', '02', '8'),
        // e2: off sick, then in work; e3: not employed throughout; e4: no record (unknown throughout).
        status('e2', '2024-02-05', '01', 'Y'),
        status('e2', '2024-05-10', '01', 'N'),
        status('e3', '2024-03-01', '02', '8'),
        // e5: not stated (unknown), then not employed; e6: not employed with a sickness indicator other than 8: also unknown.
        status('e5', '2024-02-05', 'ZZ', 'Z'),
        status('e5', '2024-05-10', '03', '8'),
        status('e6', '2024-03-01', '04', 'N'),
        ...['n1', 'n2', 'n3', 'n4'].map((id) => status(id, '2024-03-01', '01', 'N')),
      ],
    }),
    () => seq('M', 316, 16),
  );

  it('M316–M323: NHS Talking Therapies only, first and last status', () => {
    // Start: t1 | t2 | t4 | t3; end: t2 | t1 | t4 | t3.
    expect(seq('M', 316, 8).map((id) => result.value(id))).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('M324–M327: with employment support, first status', () => {
    // In work e1; off sick e2; not employed e3, e6; unknown e4, e5, e6.
    expect(seq('M', 324, 4).map((id) => result.value(id))).toEqual([1, 1, 2, 3]);
  });

  it('M328–M331: with employment support, last status', () => {
    // In work e2; off sick e1; not employed e3, e5, e6; unknown e4, e6.
    expect(seq('M', 328, 4).map((id) => result.value(id))).toEqual([1, 1, 3, 2]);
  });
});

describe('referrals ending employment support (EA041, EA050–EA057, EA136)', () => {
  const result = computed(
    () => ({
      referrals: [
        referral('g1', { ReferralRequestReceivedDate: '2024-01-10', ServDischDate: '2024-03-31', EmpSupport_FirstDate: '2024-02-01', EmpSupport_LastDate: '2024-05-10', TreatmentCareContact_Count: 3 }),
        referral('g2', { EmpSupport_FirstDate: '2024-03-01', EmpSupport_LastDate: '2024-05-01', TreatmentCareContact_Count: 0 }),
        referral('g3', { EmpSupport_FirstDate: '2024-03-01', TreatmentCareContact_Count: 2 }),
        referral('g4', { TreatmentCareContact_Count: 2 }),
        referral('g5', { EmpSupport_FirstDate: '2024-03-01', EmpSupport_LastDate: '2024-05-01', TreatmentCareContact_Count: 2 }),
      ],
      employmentStatuses: [
        // g1: off sick first; in work last, up to the later of discharge and the last ES appointment.
        status('g1', '2024-01-20', '01', 'Y'),
        status('g1', '2024-05-05', '01', 'N', { EmpSupportDischargeDate: '2024-05-12' }),
        status('g1', '2024-05-11', '02', '8'),
        status('g2', '2024-03-01', '01', 'N', { EmpSupportDischargeDate: '2024-05-02' }),
        // g3: ES ended in April; g4: no ES appointment; g5: no listed status (unknown).
        status('g3', '2024-03-01', '01', 'N', { EmpSupportDischargeDate: '2024-04-30' }),
        status('g4', '2024-03-01', '01', 'N', { EmpSupportDischargeDate: '2024-05-02' }),
        status('g5', '2024-03-01', null, null, { EmpSupportDischargeDate: '2024-05-31' }),
      ],
    }),
    () => ['EA041', 'EA136', ...seq('EA', 50, 8)],
  );

  it('EA041: ES appointments and an ES discharge date in the month', () => {
    expect(result.value('EA041')).toBe(3); // g1, g2, g5
  });

  it('EA136: without treatment', () => {
    expect(result.value('EA136')).toBe(1); // g2
  });

  it('EA050–EA057: with treatment, by first and last status', () => {
    expect(seq('EA', 50, 8).map((id) => result.value(id))).toEqual([0, 1, 0, 1, 1, 0, 0, 1]);
  });
});

describe('referrals ending employment support after treatment, every category (EA050–EA057)', () => {
  const result = computed(
    () => ({
      referrals: [
        referral('u1', { ServDischDate: '2024-04-20', EmpSupport_FirstDate: '2024-03-01', EmpSupport_LastDate: '2024-05-10', TreatmentCareContact_Count: 3 }),
        referral('u2', { EmpSupport_FirstDate: '2024-03-01', EmpSupport_LastDate: '2024-05-20', TreatmentCareContact_Count: 2 }),
        referral('u3', { EmpSupport_FirstDate: '2024-03-01', EmpSupport_LastDate: '2024-05-03', TreatmentCareContact_Count: 1 }),
        referral('u4', { EmpSupport_FirstDate: '2024-03-01', EmpSupport_LastDate: '2024-05-20', TreatmentCareContact_Count: 2 }),
        referral('u5', { EmpSupport_FirstDate: '2024-03-01', EmpSupport_LastDate: '2024-05-20', TreatmentCareContact_Count: 2 }),
        // Not counted: no treatment (ES only); ES ended in April; no ES appointment; not used for May.
        referral('v1', { EmpSupport_FirstDate: '2024-03-01', EmpSupport_LastDate: '2024-05-10', TreatmentCareContact_Count: 0 }),
        referral('v2', { EmpSupport_FirstDate: '2024-03-01', EmpSupport_LastDate: '2024-04-20', TreatmentCareContact_Count: 2 }),
        referral('v3', { TreatmentCareContact_Count: 2 }),
        referral('v4', { EmpSupport_FirstDate: '2024-03-01', EmpSupport_LastDate: '2024-05-10', TreatmentCareContact_Count: 2, UsePathway_Flag: false }),
      ],
      employmentStatuses: [
        // u1: off sick, then in work up to its last ES appointment (after discharge); the record after that is left out.
        status('u1', '2024-03-01', '01', 'Y'),
        status('u1', '2024-05-08', '01', 'N', { EmpSupportDischargeDate: '2024-05-12' }),
        status('u1', '2024-05-11', '03', '8'),
        // u2 (open): in work, then off sick.
        status('u2', '2024-03-01', '01', 'N', { EmpSupportDischargeDate: '2024-05-25' }),
        status('u2', '2024-05-02', '01', 'Y'),
        // u3: not employed throughout.
        status('u3', '2024-03-01', '02', '8', { EmpSupportDischargeDate: '2024-05-03' }),
        // u4: not stated (unknown), then not employed.
        status('u4', '2024-03-01', 'ZZ', 'Z', { EmpSupportDischargeDate: '2024-05-30' }),
        status('u4', '2024-05-05', '05', '8'),
        // u5: employed, sickness not known (unknown) throughout.
        status('u5', '2024-03-01', '01', 'X', { EmpSupportDischargeDate: '2024-05-31' }),
        status('v1', '2024-03-01', '01', 'N', { EmpSupportDischargeDate: '2024-05-12' }),
        status('v2', '2024-03-01', '01', 'N', { EmpSupportDischargeDate: '2024-04-30' }),
        status('v3', '2024-03-01', '01', 'N', { EmpSupportDischargeDate: '2024-05-12' }),
        status('v4', '2024-03-01', '01', 'N', { EmpSupportDischargeDate: '2024-05-12' }),
      ],
    }),
    () => seq('EA', 50, 8),
  );

  it('EA050–EA053: first status', () => {
    // In work u2; off sick u1; not employed u3; unknown u4, u5.
    expect(seq('EA', 50, 4).map((id) => result.value(id))).toEqual([1, 1, 1, 2]);
  });

  it('EA054–EA057: last status', () => {
    // In work u1; off sick u2; not employed u3, u4; unknown u5.
    expect(seq('EA', 54, 4).map((id) => result.value(id))).toEqual([1, 1, 2, 1]);
  });
});

describe('status of referrals starting employment support (EA276–EA279)', () => {
  const result = computed(
    () => ({
      referrals: [
        referral('h1', { EmpSupport_FirstDate: '2024-05-02' }),
        referral('h2', { ServDischDate: '2024-04-30', EmpSupport_FirstDate: '2024-05-05' }),
        referral('h3', { ServDischDate: '2024-04-30', EmpSupport_FirstDate: '2024-05-05' }),
        referral('h4', { EmpSupport_FirstDate: '2024-05-02' }),
        referral('h5', { EmpSupport_FirstDate: '2024-04-02' }),
        referral('h6', { EmpSupport_FirstDate: '2024-05-02' }),
      ],
      employmentStatuses: [
        // h1: the latest record counts.
        status('h1', '2024-04-01', '01', 'N'),
        status('h1', '2024-05-20', '02', '8'),
        // h2: a record after discharge but within its own ES discharge date counts; h3: without one, it does not.
        status('h2', '2024-04-10', '01', 'Y'),
        status('h2', '2024-05-10', '01', 'N', { EmpSupportDischargeDate: '2024-05-12' }),
        status('h3', '2024-04-10', '01', 'Y'),
        status('h3', '2024-05-10', '01', 'N'),
        // h4: employed with no sickness indicator falls in no category, as the construction's SQL gives.
        status('h4', '2024-05-01', '01', null),
        status('h5', '2024-04-01', '01', 'N'),
      ],
    }),
    () => seq('EA', 276, 4),
  );

  it('counts in work, off sick, not employed and unknown (h6: no record)', () => {
    expect(seq('EA', 276, 4).map((id) => result.value(id))).toEqual([1, 1, 1, 1]);
  });
});

describe('referrals seen in the month and ES appointments (EA036–EA039, EA108, EA110, EA280)', () => {
  const contact = (id: string, pathway: string, date: string, appType: string, row: Row = {}): Row => ({ Unique_CareContactID: id, PathwayID: pathway, CareContDate: date, AppType: appType, AttendOrDNACode: '5', PlannedCareContIndicator: 'Y', ...row });
  const open = { ReferralRequestReceivedDate: '2024-04-01' };
  const closed = { ReferralRequestReceivedDate: '2024-04-01', ServDischDate: '2024-04-30' };
  const result = computed(
    () => ({
      referrals: ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k10', 'k11', 'k12', 'k13', 'k14'].map((id) => referral(id, open)).concat(['k8', 'k9'].map((id) => referral(id, closed))),
      contacts: [
        contact('c1', 'k1', '2024-05-05', '02'), // therapy
        contact('c2', 'k2', '2024-05-06', '02'), // ES
        contact('c3', 'k3', '2024-05-07', '02'), // therapy and ES in one contact
        contact('c4', 'k4', '2024-05-08', '02'), // ES, with internet-enabled therapy
        contact('c5', 'k5', '2024-05-08', '02', { AttendOrDNACode: '3' }), // not attended
        contact('c6', 'k6', '2024-05-08', '02', { AttendOrDNACode: null, PlannedCareContIndicator: 'N' }), // unplanned therapy
        contact('c7', 'k7', '2024-04-28', '02'), // April
        contact('c8', 'k8', '2024-05-10', '06'), // ES follow-up after discharge
        contact('c9', 'k9', '2024-05-12', '02'), // ES after discharge, not a follow-up
        contact('c10', 'k10', '2024-05-09', '06'), // ES labelled follow-up within the referral
        contact('c11', 'k11', '2024-05-08', '10'), // AppType 10 before the ES discharge date
        contact('c12', 'k12', '2024-05-08', '10'), // AppType 10 after the ES discharge date
        contact('c13', 'k13', '2024-05-08', '10'), // AppType 10, a record without an ES discharge date: up to the period end
        contact('c14', 'k14', '2024-05-08', '10'), // AppType 10, no employment status record: up to the period end
      ],
      activities: [
        { Unique_CareContactID: 'c1', CodeProcAndProcStatus: CBT },
        { Unique_CareContactID: 'c2', CodeProcAndProcStatus: ES },
        { Unique_CareContactID: 'c3', CodeProcAndProcStatus: CBT },
        { Unique_CareContactID: 'c3', CodeProcAndProcStatus: ES },
        { Unique_CareContactID: 'c4', CodeProcAndProcStatus: ES },
        { Unique_CareContactID: 'c5', CodeProcAndProcStatus: CBT },
        { Unique_CareContactID: 'c7', CodeProcAndProcStatus: CBT },
        ...['c8', 'c9', 'c10'].map((c) => ({ Unique_CareContactID: c, CodeProcAndProcStatus: ES })),
      ],
      internetLogs: [
        { PathwayID: 'k4', StartDateIntEnabledTherLog: '2024-04-20', EndDateIntEnabledTherLog: '2024-05-03' },
        { PathwayID: 'k5', StartDateIntEnabledTherLog: '2024-03-20', EndDateIntEnabledTherLog: '2024-05-03' }, // starts before the referral
      ],
      employmentStatuses: [
        status('k11', '2024-04-02', '01', 'N', { EmpSupportDischargeDate: '2024-05-20' }),
        status('k12', '2024-04-02', '01', 'N', { EmpSupportDischargeDate: '2024-05-05' }),
        status('k13', '2024-04-02', '01', 'N', { EmpSupportDischargeDate: '2024-05-05' }),
        status('k13', '2024-04-03', '01', 'N'),
      ],
    }),
    () => ['EA036', 'EA037', 'EA038', 'EA039', 'EA108', 'EA110', 'EA280'],
  );

  it('EA036: any attended appointment or internet-enabled therapy', () => {
    // k1, k2, k3, k4, k6, k8, k11, k13, k14, and k12 (AppType 10 within the referral counts as any appointment).
    expect(result.value('EA036')).toBe(10);
  });

  it('EA037–EA039: NHS Talking Therapies only, ES only, both', () => {
    expect(result.value('EA037')).toBe(2); // k1, k6
    expect(result.value('EA038')).toBe(5); // k2, k8, k11, k13, k14
    expect(result.value('EA039')).toBe(2); // k3, k4
  });

  it('EA108, EA110, EA280: ES appointments labelled wrongly', () => {
    expect(result.value('EA108')).toBe(1); // c10
    expect(result.value('EA110')).toBe(1); // c9
    expect(result.value('EA280')).toBe(2); // c8, c9
  });
});

describe('ES appointments of referrals ending ES (EA131–EA134)', () => {
  const contact = (id: string, pathway: string, date: string, appType: string, row: Row = {}): Row => ({ Unique_CareContactID: id, PathwayID: pathway, CareContDate: date, AppType: appType, AttendOrDNACode: '5', PlannedCareContIndicator: 'Y', ...row });
  const result = computed(
    () => ({
      referrals: [
        referral('q1', { ReferralRequestReceivedDate: '2024-03-01', ServDischDate: '2024-04-20' }),
        referral('q2', { ReferralRequestReceivedDate: '2024-03-01' }),
        referral('q3', { ReferralRequestReceivedDate: '2024-03-01' }),
        referral('q4', { ReferralRequestReceivedDate: '2024-03-01' }),
        referral('q5', { ReferralRequestReceivedDate: '2024-03-01' }),
      ],
      contacts: [
        contact('a1', 'q1', '2024-03-10', '02'), // in the referral
        contact('a2', 'q1', '2024-04-01', '02', { AttendOrDNACode: '3' }), // not attended
        contact('a3', 'q1', '2024-05-05', '06'), // follow-up
        contact('a4', 'q1', '2024-05-20', '06'), // follow-up after the ES discharge
        contact('a5', 'q1', '2024-04-25', '02'), // after discharge, not a follow-up
        contact('b1', 'q2', '2024-05-02', '10'), // AppType 10 up to the ES discharge, no activity
        contact('b2', 'q2', '2024-05-12', '10'), // after it
        contact('b3', 'q2', '2024-04-15', '02'),
        contact('c1', 'q3', '2024-04-15', '02'),
        contact('d1', 'q4', '2024-04-15', '02'),
        contact('e1', 'q5', '2024-05-05', '10'), // AppType 10 up to the ES discharge in May
        contact('e2', 'q5', '2024-05-25', '10'), // after it, before a later ES discharge in June
      ],
      activities: [...['a1', 'a2', 'a3', 'a4', 'a5', 'b3', 'c1'].map((c) => ({ Unique_CareContactID: c, CodeProcAndProcStatus: ES })), { Unique_CareContactID: 'd1', CodeProcAndProcStatus: CBT }],
      employmentStatuses: [
        status('q1', '2024-03-01', '01', 'N', { EmpSupportDischargeDate: '2024-05-15' }),
        status('q2', '2024-03-01', '01', 'N', { EmpSupportDischargeDate: '2024-05-10' }),
        status('q3', '2024-03-01', '01', 'N', { EmpSupportDischargeDate: '2024-04-30' }), // ended in April
        status('q4', '2024-03-01', '01', 'N', { EmpSupportDischargeDate: '2024-05-10' }), // no ES appointment
        status('q5', '2024-03-01', '01', 'N', { EmpSupportDischargeDate: '2024-05-10' }),
        status('q5', '2024-05-20', '01', 'N', { EmpSupportDischargeDate: '2024-06-20' }), // a later ES, ended after the month
      ],
    }),
    () => seq('EA', 131, 4),
  );

  it('counts the contacts and their mean, median and maximum per referral, up to the ES discharge in the month', () => {
    // q1: a1, a3, a4; q2: b1, b3; q5: e1.
    expect(seq('EA', 131, 4).map((id) => result.value(id))).toEqual([6, 2, 2, 3]);
  });
});

describe('wait for employment support (EA140, EA281)', () => {
  const result = computed(
    () => ({
      referrals: [
        referral('w1', { Assessment_FirstDate: '2024-04-01', EmpSupport_FirstDate: '2024-05-01' }),
        referral('w2', { Assessment_FirstDate: '2024-05-01', EmpSupport_FirstDate: '2024-05-11' }),
        referral('w3', { Assessment_FirstDate: '2024-05-31', EmpSupport_FirstDate: '2024-05-31' }),
        referral('w4', { Assessment_FirstDate: '2024-05-20', EmpSupport_FirstDate: '2024-05-10' }), // ES before assessment
        referral('w5', { EmpSupport_FirstDate: '2024-05-10' }), // no assessment
        referral('w6', { Assessment_FirstDate: '2024-03-01', EmpSupport_FirstDate: '2024-04-30' }), // April
      ],
    }),
    () => ['EA140', 'EA281'],
  );

  it('days from first assessment to first ES appointment', () => {
    expect(result.value('EA140')).toBeCloseTo(40 / 3, 6);
    expect(result.value('EA281')).toBe(10);
  });
});

describe('WSAS of finishers (EA058–EA062, EA083–EA087, EA282–EA285)', () => {
  const wsas = (first: number[], last: (number | null)[]): Row =>
    Object.fromEntries(
      ['Work', 'SocialLeisureActivities', 'Relationships', 'PrivateLeisureActivities', 'HomeManagement'].flatMap((d, i) => [
        [`WASAS_${d}_FirstScore`, first[i]!],
        [`WASAS_${d}_LastScore`, last[i]!],
      ]),
    );
  const result = computed(
    () => ({
      referrals: [
        finisher('v1', { EmpSupport_FirstDate: '2024-03-01', ...wsas([6, 5, 4, 3, 2], [2, 1, 1, 1, 0]) }),
        finisher('v2', { EmpSupport_FirstDate: '2024-03-01', ...wsas([8, 5, 4, 3, 2], [4, 1, 1, 1, null]) }),
        finisher('v3', { EmpSupport_FirstDate: '2024-03-01', ...wsas([1, 1, 1, 1, 1], [null, 1, 1, 1, 1]) }),
        finisher('v4', { EmpSupport_FirstDate: '2024-03-01', ...wsas([7, 7, 7, 7, 7], [1, 1, 1, 1, 1]) }),
        finisher('t1', wsas([4, 4, 4, 4, 4], [4, 3, 2, 1, 0])),
        finisher('t2', { CompletedTreatment_Flag: false, ...wsas([8, 8, 8, 8, 8], [8, 8, 8, 8, 8]) }),
      ],
    }),
    () => [...seq('EA', 58, 5), ...seq('EA', 83, 5), ...seq('EA', 282, 4)],
  );

  it('EA058–EA062: with employment support, paired on work', () => {
    const [n, meanFirst, medianFirst, meanLast, medianLast] = seq('EA', 58, 5).map((id) => result.value(id));
    expect([n, meanFirst, medianFirst, medianLast]).toEqual([3, 7, 7, 2]);
    expect(meanLast).toBeCloseTo(7 / 3, 6);
  });

  it('EA083–EA087: NHS Talking Therapies only, paired on work', () => {
    expect(seq('EA', 83, 5).map((id) => result.value(id))).toEqual([1, 4, 4, 4, 4]);
  });

  it('EA282–EA285: mean totals of those paired on all five dimensions', () => {
    expect(seq('EA', 282, 4).map((id) => result.value(id))).toEqual([(20 + 35) / 2, 20, (5 + 5) / 2, 10]);
  });
});
