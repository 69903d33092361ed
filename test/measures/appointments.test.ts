// Appointment measures (M082–M111, M343, M346, M1001–M1020) on hand-built contacts; May 2024 is the period
// unless a test says otherwise.
import { beforeAll, describe, expect, it } from 'vitest';
import { APPOINTMENT_TYPES, ATTENDED_CODES, THERAPY_TYPES } from '../../src/dataset/index.js';
import { APPOINTMENTS } from '../../src/measures/catalogue/appointments.js';
import { measureById } from '../../src/measures/catalogue/index.js';
import { quarterPeriod } from '../../src/measures/periods.js';
import { measure, type Row, ids } from './fixture.js';


// a: open, received in April; b: discharged on 15 May; x: not used for the period.
const referrals: Row[] = [
  { PathwayID: 'a', Person_ID: 'pa', ReferralRequestReceivedDate: '2024-04-01' },
  { PathwayID: 'b', Person_ID: 'pb', ReferralRequestReceivedDate: '2024-03-01', ServDischDate: '2024-05-15', OrgID_Provider: 'RB2' },
  { PathwayID: 'x', Person_ID: 'px', ReferralRequestReceivedDate: '2024-03-01', UsePathway_Flag: false },
];

const contact = (id: string, pathway: string, day: string, attend: string | null, extra: Row = {}): Row => ({
  Unique_CareContactID: id,
  PathwayID: pathway,
  CareContDate: day,
  AttendOrDNACode: attend,
  PlannedCareContIndicator: attend === null ? 'N' : 'Y',
  AppType: '02',
  ConsMechanism: '01',
  ...extra,
});

describe('appointments by attendance (M082–M088)', () => {
  const contacts = [
    contact('c1', 'a', '2024-05-01', '5'),
    contact('c2', 'a', '2024-05-31', '5'),
    contact('c3', 'a', '2024-05-02', '6'),
    contact('c4', 'a', '2024-05-03', '2'),
    contact('c5', 'b', '2024-05-04', '3'),
    contact('c6', 'b', '2024-05-05', '3'),
    contact('c7', 'b', '2024-05-06', '4'),
    contact('c8', 'b', '2024-05-07', '7'),
    contact('c9', 'a', '2024-05-08', null), // unplanned: an appointment, no attendance code
    contact('c10', 'a', '2024-04-30', '5'), // April
    contact('c11', 'a', '2024-06-01', '5'), // June
    contact('c12', 'x', '2024-05-09', '5'), // referral not used for May
  ];

  it('counts the period\'s appointments of used referrals by attendance code', async () => {
    const { value } = await measure({ referrals, contacts }, ids('M082', 'M083', 'M084', 'M085', 'M086', 'M087', 'M088'));
    expect(value('M082')).toBe(9);
    expect(value('M083')).toBe(1);
    expect(value('M084')).toBe(2);
    expect(value('M085')).toBe(1);
    expect(value('M086')).toBe(2);
    expect(value('M087')).toBe(1);
    expect(value('M088')).toBe(1);
    expect(value('M084', 'Provider', 'RB2')).toBe(2);
    expect(value('M084', 'Provider', 'RA1')).toBe(0);
  });
});

describe('appointments by therapy type (M090–M111, M346)', () => {
  const CBT = '304891004';
  const contacts = [
    contact('t1', 'a', '2024-05-01', '5'), // CBT
    contact('t2', 'a', '2024-05-02', '6', { AppType: '03' }), // the second CBT code, and IPT
    contact('t3', 'a', '2024-05-03', null, { AppType: '05' }), // unplanned: CBT
    contact('t4', 'a', '2024-05-04', '3'), // CBT, missed
    contact('t5', 'a', '2024-05-05', '5', { AppType: '01' }), // CBT at an assessment
    contact('t6', 'a', '2024-04-30', '5'), // CBT in April
    contact('t7', 'b', '2024-05-06', '5'), // CBT twice in one contact
    contact('t8', 'b', '2024-05-07', '5'), // guided self-help (book), signposting
  ];
  const codes: Record<string, string[]> = { t1: [CBT], t2: ['228557008', '443730003'], t3: [CBT], t4: [CBT], t5: [CBT], t6: [CBT], t7: [CBT, CBT], t8: ['748051000000105', '975131000000104'] };
  const activities: Row[] = Object.entries(codes).flatMap(([c, list]) => list.map((code, i) => ({ Unique_CareActivityID: `${c}a${i}`, Unique_CareContactID: c, CodeProcAndProcStatus: code })));

  it('counts attended or unplanned treatment appointments with an activity of the therapy, once each', async () => {
    const { value } = await measure({ referrals, contacts, activities }, ids('M090', 'M091', 'M098', 'M104', 'M110', 'M111', 'M346'));
    expect(value('M110')).toBe(4); // t1, t2, t3, t7
    expect(value('M111')).toBe(1); // t2
    expect(value('M090')).toBe(1); // t8
    expect(value('M346')).toBe(1); // t8
    expect(value('M091')).toBe(0);
    expect(value('M098')).toBe(0);
    expect(value('M104')).toBe(0);
    expect(value('M110', 'Provider', 'RB2')).toBe(1);
  });
});

describe('appointments by therapy type, every member of the family (M090–M111, M346)', () => {
  // Each NHS measure (id and name as published) and the data set's therapy type, by its IDS101 count column,
  // whose IDS202 activity it counts. M099 (employment support) and M108 (other high intensity, with internet-enabled
  // therapy) have their own rules and tests.
  const FAMILY: [string, string, string][] = [
    ['M090', 'Count_GuideSelfHelpBookAppts', 'GuidedSelfHelp_Book_Count'],
    ['M091', 'Count_NonGuideSelfHelpBookAppts', 'NonGuidedSelfHelp_Book_Count'],
    ['M092', 'Count_GuideSelfHelpCompAppts', 'GuidedSelfHelp_Computer_Count'],
    ['M093', 'Count_NonGuideSelfHelpCompAppts', 'NonGuidedSelfHelp_Computer_Count'],
    ['M095', 'Count_StructPhysActAppts', 'StructuredPhysicalActivity_Count'],
    ['M097', 'Count_PsychoEducPeerSuppAppts', 'PsychoeducationalPeerSupport_Count'],
    ['M098', 'Count_OtherLIAppts', 'OtherLowIntensity_Count'],
    ['M100', 'Count_AppRelaxAppts', 'AppliedRelaxation_Count'],
    ['M102', 'Count_CoupleTherapyDepAppts', 'CouplesTherapyDepression_Count'],
    ['M103', 'Count_CollabCareAppts', 'CollaborativeCare_Count'],
    ['M104', 'Count_CounselDepAppts', 'CounsellingDepression_Count'],
    ['M105', 'Count_BPDAppts', 'BriefPsychodynamicPsychotherapy_Count'],
    ['M106', 'Count_EyeMoveDesenReproAppts', 'EyeMovementDesensitisationReprocessing_Count'],
    ['M107', 'Count_MindfulAppts', 'Mindfulness_Count'],
    ['M110', 'Count_CBTAppts', 'CognitiveBehaviourTherapy_Count'],
    ['M111', 'Count_IPTAppts', 'InterpersonalPsychotherapy_Count'],
    ['M346', 'Count_CommunitySignpostingAppts', 'CommunitySignPosting_Count'],
  ];
  const TREATMENT: readonly string[] = APPOINTMENT_TYPES.treatment;
  /** Appointment types that are not treatment appointments (assessment only, follow-up). */
  const NOT_TREATMENT = [...APPOINTMENT_TYPES.assessment, ...APPOINTMENT_TYPES.followUp].filter((t) => !TREATMENT.includes(t));
  // Every therapy type of the data set (employment support, ante/post-natal counselling and other high intensity
  // included, so that each measure has other therapies' contacts to leave out). The type at index i of
  // THERAPY_TYPES has i + 1 contacts that count on referral a (RA1) — attended with each ATTENDED_CODES code in
  // turn or unplanned, at each treatment AppType in turn — so a measure reading another type's code gives another
  // number; and contacts that must not count: missed (3) and late not seen (7), at each non-treatment AppType, in
  // April and June, and of referral x (not used for May).
  const contacts: Row[] = [];
  const activities: Row[] = [];
  const withActivities = (row: Row, codes: string[]) => {
    contacts.push(row);
    codes.forEach((code, i) => activities.push({ Unique_CareActivityID: `${String(row.Unique_CareContactID)}-${i}`, Unique_CareContactID: row.Unique_CareContactID!, CodeProcAndProcStatus: code }));
  };
  THERAPY_TYPES.forEach((t, i) => {
    for (let n = 0; n <= i; n++) {
      const unplanned = n % 3 === 2;
      withActivities(contact(`ty${i}-${n}`, 'a', `2024-05-${String(n + 1).padStart(2, '0')}`, unplanned ? null : ATTENDED_CODES[n % ATTENDED_CODES.length]!, { AppType: TREATMENT[n % TREATMENT.length]! }), [t.snomed]);
    }
    const notCounted: [string, string, string | null, Row][] = [
      ['dna', '2024-05-10', '3', {}],
      ['late', '2024-05-10', '7', {}],
      ...NOT_TREATMENT.map((appType): [string, string, string | null, Row] => [`type${appType}`, '2024-05-10', '5', { AppType: appType }]),
      ['april', '2024-04-30', '5', {}],
      ['june', '2024-06-01', '5', {}],
    ];
    for (const [label, day, attend, extra] of notCounted) withActivities(contact(`ty${i}-${label}`, 'a', day, attend, extra), [t.snomed]);
    withActivities(contact(`ty${i}-unused`, 'x', '2024-05-10', '5'), [t.snomed]);
  });
  // One contact of referral b (RB2) with every therapy type, each twice: once in each of its types' counts.
  withActivities(contact('all', 'b', '2024-05-12', '5'), THERAPY_TYPES.flatMap((t) => [t.snomed, t.snomed]));

  const result = {} as Awaited<ReturnType<typeof measure>>;
  beforeAll(async () => Object.assign(result, await measure({ referrals, contacts, activities }, ids(...FAMILY.map(([id]) => id)))));

  it('covers every therapy-type appointment count of the catalogue, with the NHS names', () => {
    const family = APPOINTMENTS.map((m) => m.id).filter((id) => /^M(09\d|10\d|11[01]|346)$/.test(id) && id !== 'M099' && id !== 'M108');
    expect(FAMILY.map(([id]) => id).sort()).toEqual(family.sort());
    for (const [id, name] of FAMILY) expect(measureById(id)!.name, id).toBe(name);
  });

  it.each(FAMILY)('%s %s: attended or unplanned treatment appointments in May with an activity of its therapy type', (id, _name, countColumn) => {
    const i = THERAPY_TYPES.findIndex((t) => t.countColumn === countColumn);
    expect(i, countColumn).toBeGreaterThanOrEqual(0);
    // ty<i>-0 … ty<i>-<i> on a, and the contact with every type on b.
    expect(result.value(id)).toBe(i + 2);
    expect(result.value(id, 'Provider', 'RA1')).toBe(i + 1);
    expect(result.value(id, 'Provider', 'RB2')).toBe(1);
  });

  it('M108 Count_OtherHIAppts: other high intensity appointments plus internet-enabled therapy log entries ending in May', async () => {
    const log = (id: number, pathway: string, end: string): Row => ({ UniqueID_IDS205: id, PathwayID: pathway, StartDateIntEnabledTherLog: '2024-04-25', EndDateIntEnabledTherLog: end });
    const internetLogs = [log(1, 'a', '2024-05-02'), log(2, 'a', '2024-05-31'), log(3, 'a', '2024-06-01'), log(4, 'x', '2024-05-10')];
    const { value } = await measure({ referrals, contacts, activities, internetLogs }, ids('M108'));
    const i = THERAPY_TYPES.findIndex((t) => t.countColumn === 'OtherHighIntensity_Count');
    // ty<i>-0 … ty<i>-<i> on a and the contact with every type on b, plus logs 1 and 2.
    expect(value('M108')).toBe(i + 2 + 2);
    expect(value('M108', 'Provider', 'RA1')).toBe(i + 1 + 2);
    expect(value('M108', 'Provider', 'RB2')).toBe(1);
  });
});

describe('employment support appointments (M099)', () => {
  const ES = '1098051000000103';
  // r1 discharged 15 May, employment support discharge 25 May; r2 open, no IDS004 record; r3 an IDS004 record without a discharge date.
  const people: Row[] = [
    { PathwayID: 'r1', Person_ID: 'p1', ReferralRequestReceivedDate: '2024-04-01', ServDischDate: '2024-05-15' },
    { PathwayID: 'r2', Person_ID: 'p2', ReferralRequestReceivedDate: '2024-04-01' },
    { PathwayID: 'r3', Person_ID: 'p3', ReferralRequestReceivedDate: '2024-04-01', ServDischDate: '2024-05-10' },
  ];
  const employmentStatuses: Row[] = [
    { Person_ID: 'p1', OrgID_Provider: 'RA1', UniqueID_IDS004: 1, EmpSupportDischargeDate: '2024-05-25' },
    { Person_ID: 'p3', OrgID_Provider: 'RA1', UniqueID_IDS004: 3, EmpSupportDischargeDate: null },
  ];
  const contacts = [
    contact('e1', 'r1', '2024-05-02', '5'), // ES at a treatment appointment in the span
    contact('e2', 'r1', '2024-05-20', '5'), // ES at a treatment appointment after discharge
    contact('e3', 'r1', '2024-05-20', '5', { AppType: '06' }), // ES at a follow-up after discharge
    contact('e4', 'r1', '2024-05-20', '5', { AppType: '10' }), // employment support appointment before the ES discharge
    contact('e5', 'r1', '2024-05-26', '5', { AppType: '10' }), // after the ES discharge
    contact('e6', 'r1', '2024-05-03', '3'), // ES, missed
    contact('e7', 'r1', '2024-05-04', '5'), // CBT only
    contact('e8', 'r2', '2024-05-10', '5', { AppType: '10' }), // no IDS004 record
    contact('e9', 'r2', '2024-05-10', '5'), // ES at a treatment appointment of an open referral
    contact('e10', 'r3', '2024-05-30', '5', { AppType: '10' }), // IDS004 without a discharge date: up to the period end
  ];
  const codes: Record<string, string> = { e1: ES, e2: ES, e3: ES, e6: ES, e7: '304891004', e9: ES };
  const activities: Row[] = Object.entries(codes).map(([c, code]) => ({ Unique_CareActivityID: `${c}a`, Unique_CareContactID: c, CodeProcAndProcStatus: code }));

  it('counts ES activities in the span or at follow-ups, and ES appointments before the ES discharge', async () => {
    const { value } = await measure({ referrals: people, contacts, activities, employmentStatuses }, ids('M099'));
    expect(value('M099')).toBe(5); // e1, e3, e4, e9, e10
  });
});

describe('appointments by consultation mechanism (M1001–M1020)', () => {
  const mechanisms: [string | null, string | null, string | null][] = [
    ['01', '5', 'M1001'],
    ['02', '6', 'M1002'],
    ['04', null, 'M1004'],
    ['05', '5', 'M1005'],
    ['09', '5', 'M1006'],
    ['10', '5', 'M1007'],
    ['11', '5', 'M1018'],
    ['12', '5', 'M1019'],
    ['13', '5', 'M1020'],
    ['98', '5', 'M1008'],
    ['06', '5', 'M1009'], // a v2.0 code, invalid in v2.1
    [null, '5', 'M1009'],
    ['11', '3', null], // missed
    ['11', '7', null], // late, not seen
  ];
  const contacts = mechanisms.map(([code, attend], i) => contact(`m${i}`, 'a', '2024-05-10', attend, { ConsMechanism: code }));

  it('counts attended or unplanned appointments by mechanism, invalid and missing as unknown', async () => {
    const all = ['M1001', 'M1002', 'M1004', 'M1005', 'M1006', 'M1007', 'M1008', 'M1009', 'M1018', 'M1019', 'M1020'];
    const { value } = await measure({ referrals, contacts }, ids(...all));
    for (const id of all) expect(value(id), id).toBe(mechanisms.filter((m) => m[2] === id).length);
  });
});

describe('internet-enabled therapy sessions (M343)', () => {
  const internetLogs: Row[] = [
    { PathwayID: 'a', UniqueID_IDS205: 1, StartDateIntEnabledTherLog: '2024-04-25', EndDateIntEnabledTherLog: '2024-05-01' },
    { PathwayID: 'a', UniqueID_IDS205: 2, StartDateIntEnabledTherLog: '2024-05-25', EndDateIntEnabledTherLog: '2024-05-31' },
    { PathwayID: 'b', UniqueID_IDS205: 3, StartDateIntEnabledTherLog: '2024-05-02', EndDateIntEnabledTherLog: '2024-05-08' },
    { PathwayID: 'a', UniqueID_IDS205: 4, StartDateIntEnabledTherLog: '2024-05-27', EndDateIntEnabledTherLog: '2024-06-02' }, // ends in June
    { PathwayID: 'x', UniqueID_IDS205: 5, StartDateIntEnabledTherLog: '2024-05-02', EndDateIntEnabledTherLog: '2024-05-08' }, // not used
  ];

  it('counts log entries ending in the period', async () => {
    const { value } = await measure({ referrals, internetLogs }, ids('M343'));
    expect(value('M343')).toBe(3);
    expect(value('M343', 'Provider', 'RB2')).toBe(1);
  });
});

describe('appointments by staff qualification (M1014–M1017)', () => {
  // S1 qualified in 2010; S2 in training; S3 qualified on 10 May; S4 in training, qualified on 20 May;
  // S5 only a non-NHS TT level; S6 no record.
  const staffQualifications: Row[] = [
    { Unique_CarePersonnelID_Local: 'S1', QualAttainLevelIAPT: '10', QualAwardedDate: '2010-01-01', QualPlannedCompletionDate: null },
    { Unique_CarePersonnelID_Local: 'S2', QualAttainLevelIAPT: '31', QualAwardedDate: null, QualPlannedCompletionDate: '2025-12-12' },
    { Unique_CarePersonnelID_Local: 'S3', QualAttainLevelIAPT: '15', QualAwardedDate: '2024-05-10', QualPlannedCompletionDate: null },
    { Unique_CarePersonnelID_Local: 'S4', QualAttainLevelIAPT: '11', QualAwardedDate: '2024-05-20', QualPlannedCompletionDate: '2024-05-01' },
    { Unique_CarePersonnelID_Local: 'S5', QualAttainLevelIAPT: '99', QualAwardedDate: '2010-01-01', QualPlannedCompletionDate: null },
  ];
  const visits: [string, string | null, string, string[]][] = [
    ['q1', '5', '2024-05-02', ['S1']], // qualified
    ['q2', '6', '2024-05-02', ['S2']], // in training
    ['q3', '5', '2024-05-09', ['S3']], // the day before S3 qualified: neither qualified nor in training
    ['q4', '5', '2024-05-10', ['S3']], // the day S3 qualified
    ['q5', null, '2024-05-15', ['S4']], // unplanned; S4 in training (planned date passed, not yet awarded)
    ['q6', '5', '2024-05-21', ['S4']], // S4 qualified
    ['q7', '5', '2024-05-03', ['S5']], // neither
    ['q8', '5', '2024-05-03', ['S6']], // no record
    ['q9', '5', '2024-05-04', ['S1', 'S2', 'S6']], // qualified, in training and no record
    ['q10', '3', '2024-05-04', ['S1']], // missed
    ['q11', '5', '2024-05-05', []], // no activity, no staff
  ];
  const contacts = visits.map(([id, attend, day]) => contact(id, 'a', day, attend));
  const activities: Row[] = visits.flatMap(([id, , , staff]) => staff.map((s) => ({ Unique_CareActivityID: `${id}${s}`, Unique_CareContactID: id, CodeProcAndProcStatus: '304891004', Unique_CarePersonnelID_Local: s })));
  activities.push({ Unique_CareActivityID: 'q12a', Unique_CareContactID: 'q12', CodeProcAndProcStatus: '304891004', Unique_CarePersonnelID_Local: null });
  contacts.push(contact('q12', 'a', '2024-05-06', '5')); // an activity without a care professional

  it('classifies attended appointments by their staff\'s NHS Talking Therapies qualifications at the contact date', async () => {
    const { value } = await measure({ referrals, contacts, activities, staffQualifications }, ids('M1014', 'M1015', 'M1016', 'M1017'));
    expect(value('M1014')).toBe(4); // q1, q4, q6, q9
    expect(value('M1015')).toBe(3); // q2, q5, q9
    // q3, q7 (not q2: staff whose training completes after the contact are in training, not neither).
    expect(value('M1016')).toBe(2);
    expect(value('M1017')).toBe(3); // q8, q9, q12
  });
});

describe('integrated care and internet-enabled therapy each quarter (M1011–M1013)', () => {
  const quarter = quarterPeriod('2024-Q2');
  const finished = { CompletedTreatment_Flag: true, TreatmentCareContact_Count: 4 };
  const referralsQ: Row[] = [
    { PathwayID: 'q1', Person_ID: 'p1', ReferralRequestReceivedDate: '2024-03-01', ServDischDate: '2024-06-10', IntegratedContact_FirstDate: '2024-04-10', ...finished },
    { PathwayID: 'q2', Person_ID: 'p2', ReferralRequestReceivedDate: '2024-05-01', IntegratedContact_FirstDate: null },
    { PathwayID: 'q3', Person_ID: 'p3', ReferralRequestReceivedDate: '2024-01-01', ServDischDate: '2024-05-01', IntegratedContact_FirstDate: null, ...finished },
    { PathwayID: 'q4', Person_ID: 'p4', ReferralRequestReceivedDate: '2024-01-01', ServDischDate: '2024-07-01', IntegratedContact_FirstDate: '2024-02-01', ...finished },
    { PathwayID: 'q5', Person_ID: 'p5', ReferralRequestReceivedDate: '2024-01-01', ServDischDate: '2024-04-02', IntegratedContact_FirstDate: null, ...finished },
  ];
  const contacts = [
    contact('k1', 'q1', '2024-04-10', '5', { IAPTLTCServiceInd: 'Y' }), // integrated
    contact('k2', 'q1', '2024-05-10', '5', { IAPTLTCServiceInd: 'Y', AppType: '06' }), // follow-up
    contact('k3', 'q1', '2024-06-20', '5', { IAPTLTCServiceInd: 'Y' }), // after discharge
    contact('k4', 'q1', '2024-05-11', '3', { IAPTLTCServiceInd: 'Y' }), // missed
    contact('k5', 'q1', '2024-05-12', null, { IAPTLTCServiceInd: 'N' }), // unplanned, not integrated
    contact('k6', 'q1', '2024-03-30', '5', { IAPTLTCServiceInd: 'Y' }), // before the quarter
    contact('k7', 'q2', '2024-06-30', '6', { IAPTLTCServiceInd: 'N', AppType: '01' }), // open referral, quarter's last day
    contact('k8', 'q2', '2024-04-20', '5', { IAPTLTCServiceInd: 'Y' }), // before the referral was received
  ];
  const internetLogs: Row[] = [
    { PathwayID: 'q1', UniqueID_IDS205: 1, DurationIntEnabledTher: '30' },
    { PathwayID: 'q1', UniqueID_IDS205: 2, DurationIntEnabledTher: '45' },
    { PathwayID: 'q5', UniqueID_IDS205: 3, DurationIntEnabledTher: '20' },
    { PathwayID: 'q5', UniqueID_IDS205: 4, DurationIntEnabledTher: null },
    { PathwayID: 'q4', UniqueID_IDS205: 5, DurationIntEnabledTher: '500' }, // discharged after the quarter
  ];

  it('M1011: integrated share of attended, non-follow-up contacts within the referral span', async () => {
    const { value, cell } = await measure({ referrals: referralsQ, contacts }, ids('M1011'), { period: quarter });
    expect(cell('M1011')!.numerator).toBe(1); // k1
    expect(cell('M1011')!.denominator).toBe(3); // k1, k5, k7
    expect(value('M1011')).toBeCloseTo(33.333, 2);
  });

  it('M1012: finishers in the quarter with an integrated contact', async () => {
    const { value } = await measure({ referrals: referralsQ }, ids('M1012'), { period: quarter });
    expect(value('M1012')).toBeCloseTo(33.333, 2); // q1 of q1, q3, q5
  });

  it('M1013: mean total internet-enabled therapy time of finishers in the quarter with log entries', async () => {
    const { value, cell } = await measure({ referrals: referralsQ, internetLogs }, ids('M1013'), { period: quarter });
    expect(value('M1013')).toBe(47.5); // (30 + 45 + 20) / 2: q1, q5; q3 has no log entry
    expect(cell('M1013')!.denominator).toBe(2);
  });
});
