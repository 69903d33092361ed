// Stepped care measures (M347–M367 less M351) on hand-built pathways whose stages and waits are worked out by
// hand. Every pathway below is a finisher discharged on 2024-05-20 (May 2024 is the period) unless noted.
import { beforeAll, describe, expect, it } from 'vitest';
import { measure, type Row, ids } from './fixture.js';

const LOW = '748051000000105'; // guided self-help (book)
const HIGH = '304891004'; // CBT
const CBT_SECOND = '228557008'; // the construction's second CBT code
const COUNSELLING = '286711000000107'; // high intensity in our therapy types, not in the construction's list

interface Session {
  day: string;
  codes: string[];
  /** Default attended ('5'); null with an unplanned contact. */
  attend?: string | null;
}
interface Pathway {
  id: string;
  sessions: Session[];
  logs?: string[];
  referral: Row;
}

const L = (day: string, extra: Partial<Session> = {}): Session => ({ day, codes: [LOW], ...extra });
const H = (day: string, extra: Partial<Session> = {}): Session => ({ day, codes: [HIGH], ...extra });

// Derived items as the derivation would give them (first dates of attended treatment appointments).
const finisher = (assessed: string, first: string, low: string | null, high: string | null, extra: Row = {}): Row => ({
  ReferralRequestReceivedDate: '2024-01-01',
  ServDischDate: '2024-05-20',
  CompletedTreatment_Flag: true,
  TreatmentCareContact_Count: 4,
  Assessment_FirstDate: assessed,
  TherapySession_FirstDate: first,
  LowIntensityTherapy_FirstDate: low,
  HighIntensityTherapy_FirstDate: high,
  ...extra,
});

const PATHWAYS: Pathway[] = [
  // First stage high intensity (M352 cohort).
  { id: 'h1', sessions: [H('2024-02-01'), H('2024-02-08'), H('2024-02-15')], referral: finisher('2024-01-04', '2024-02-01', null, '2024-02-01') }, // wait 28
  {
    // One low intensity session before the first stage is ignored; steps down to a low stage: [a] 03-01 − 02-17 = 13.
    id: 'h2',
    sessions: [L('2024-02-01'), H('2024-02-10'), H('2024-02-17'), L('2024-03-01'), L('2024-03-08')],
    referral: finisher('2023-11-11', '2024-02-01', '2024-02-01', '2024-02-10', { ReferralRequestReceivedDate: '2023-11-01' }), // wait 91
  },
  {
    // Internet-enabled therapy logs are high intensity sessions; no derived high intensity first date, so no wait.
    id: 'i1',
    sessions: [L('2024-02-01'), L('2024-03-01'), L('2024-03-08')],
    logs: ['2024-02-05', '2024-02-12', '2024-02-19'],
    referral: finisher('2024-01-10', '2024-02-01', '2024-02-01', null),
  },
  {
    // Counselling is not in the construction's high intensity list (ignored); an unplanned contact is a session.
    id: 'c1',
    sessions: [H('2024-02-01'), { day: '2024-02-05', codes: [COUNSELLING] }, H('2024-02-08', { attend: null })],
    referral: finisher('2024-01-10', '2024-02-01', null, '2024-02-01'), // wait 22
  },
  {
    // High stage, then low, high, low stage: two sessions between the stages exclude it from the step down.
    id: 's1',
    sessions: [H('2024-02-01'), H('2024-02-08'), L('2024-02-15'), H('2024-02-22'), L('2024-02-29'), L('2024-03-07')],
    referral: finisher('2023-12-31', '2024-02-01', '2024-02-15', '2024-02-01', { ReferralRequestReceivedDate: '2023-12-01' }), // wait 32
  },
  {
    // Step down [b]: 02-20 (low first date) − 02-08 = 12. The second CBT code is high intensity.
    id: 'sd',
    sessions: [H('2024-02-01'), { day: '2024-02-08', codes: [CBT_SECOND] }, L('2024-02-20'), L('2024-02-27')],
    referral: finisher('2024-01-10', '2024-02-01', '2024-02-20', '2024-02-01'), // wait 22
  },

  // First stage low intensity (M353 cohort).
  {
    // Step up [b]: 03-15 − 03-08 = 7.
    id: 'l1',
    sessions: [L('2024-03-01'), L('2024-03-08'), H('2024-03-15'), H('2024-03-22')],
    referral: finisher('2023-12-01', '2024-03-01', '2024-03-01', '2024-03-15', { ReferralRequestReceivedDate: '2023-11-15' }), // wait 91
  },
  {
    // A contact with both intensities is a low then a high session: L, L, H, H. Step up [b]: 03-08 − 03-08 = 0.
    id: 'l2',
    sessions: [L('2024-03-01'), { day: '2024-03-08', codes: [HIGH, LOW] }, H('2024-03-15')],
    referral: finisher('2024-02-02', '2024-03-01', '2024-03-01', '2024-03-08'), // wait 28
  },
  {
    // Low stage, high, low, high stage: a step up all the same (the construction has no rule between its stages).
    // Step up [b]: 02-15 (high first date) − 02-08 = 7.
    id: 's2',
    sessions: [L('2024-02-01'), L('2024-02-08'), H('2024-02-15'), L('2024-02-22'), H('2024-03-01'), H('2024-03-08')],
    referral: finisher('2024-01-10', '2024-02-01', '2024-02-01', '2024-02-15'), // wait 22
  },
  {
    // A missed appointment is no session: H, L, L is a low stage after one ignored high session.
    id: 'd1',
    sessions: [H('2024-02-01'), H('2024-02-08', { attend: '3' }), L('2024-02-15'), L('2024-02-22')],
    referral: finisher('2024-01-10', '2024-02-01', '2024-02-15', '2024-02-01'), // wait 36
  },
  {
    // Step up [a] (a high session before the low stage): 05-16 − 02-15 = 91.
    id: 'su',
    sessions: [H('2024-02-01'), L('2024-02-08'), L('2024-02-15'), H('2024-05-16'), H('2024-05-18')],
    referral: finisher('2024-01-10', '2024-02-01', '2024-02-08', '2024-02-01'), // wait 29
  },

  // In no cohort.
  { id: 'h3', sessions: [L('2024-02-01'), H('2024-02-08'), L('2024-02-15'), H('2024-02-22'), H('2024-02-29')], referral: finisher('2024-01-10', '2024-02-01', '2024-02-01', '2024-02-08') }, // three sessions before the first stage
  { id: 'a1', sessions: [H('2024-02-01'), H('2024-05-25')], referral: finisher('2024-01-10', '2024-02-01', null, '2024-02-01') }, // the second is after discharge
  { id: 'n1', sessions: [H('2024-02-01'), H('2024-02-08')], referral: finisher('2024-01-10', '2024-02-01', null, '2024-02-01', { CompletedTreatment_Flag: false }) },
  { id: 'n2', sessions: [H('2024-02-01'), H('2024-02-08')], referral: finisher('2024-02-05', '2024-02-01', null, '2024-02-01') }, // assessed after the first treatment
  { id: 'n3', sessions: [H('2024-02-01'), H('2024-02-08')], referral: finisher('2024-01-10', '2024-02-01', null, '2024-02-01', { ServDischDate: '2024-04-20' }) },
];

const referrals: Row[] = PATHWAYS.map((p) => ({ PathwayID: p.id, Person_ID: `p${p.id}`, ...p.referral }));
const contacts: Row[] = PATHWAYS.flatMap((p) =>
  p.sessions.map((s, i) => ({
    Unique_CareContactID: `${p.id}c${i}`,
    PathwayID: p.id,
    CareContDate: s.day,
    CareContTime: null,
    AttendOrDNACode: s.attend === undefined ? '5' : s.attend,
    PlannedCareContIndicator: s.attend === null ? 'N' : 'Y',
    AppType: '02',
  })),
);
const activities: Row[] = PATHWAYS.flatMap((p) => p.sessions.flatMap((s, i) => s.codes.map((code, j) => ({ Unique_CareActivityID: `${p.id}c${i}a${j}`, Unique_CareContactID: `${p.id}c${i}`, CodeProcAndProcStatus: code }))));
const internetLogs: Row[] = PATHWAYS.flatMap((p) => (p.logs ?? []).map((day, i) => ({ PathwayID: p.id, UniqueID_IDS205: 1000 * PATHWAYS.indexOf(p) + i, StartDateIntEnabledTherLog: day, EndDateIntEnabledTherLog: day })));


const ALL = ids('M347', 'M348', 'M349', 'M350', 'M352', 'M353', 'M354', 'M355', 'M356', 'M357', 'M358', 'M359', 'M360', 'M361', 'M362', 'M363', 'M364', 'M365', 'M366', 'M367');

describe('stepped care measures', () => {
  let value: Awaited<ReturnType<typeof measure>>['value'];
  let cell: Awaited<ReturnType<typeof measure>>['cell'];
  beforeAll(async () => {
    ({ value, cell } = await measure({ referrals, contacts, activities, internetLogs }, ALL));
  });

  it('M352, M347, M356, M358, M362, M364: first stage high intensity, wait from assessment', () => {
    // h1, h2, i1, c1, s1, sd; waits 28, 91, (none), 22, 32, 22.
    expect(value('M352')).toBe(6);
    expect(value('M347')).toBe(39);
    expect(cell('M347')!.denominator).toBe(5);
    expect(value('M356')).toBe(3);
    expect(value('M358')).toBe(4);
    expect(value('M362')).toBe(50);
    expect(value('M364')).toBeCloseTo(66.667, 2);
  });

  it('M353, M348, M357, M359, M363, M365: first stage low intensity, wait from assessment', () => {
    // l1, l2, s2, d1, su; waits 91, 28, 22, 36, 29.
    expect(value('M353')).toBe(5);
    expect(value('M348')).toBeCloseTo(41.2, 6);
    expect(value('M357')).toBe(2);
    expect(value('M359')).toBe(4);
    expect(value('M363')).toBe(40);
    expect(value('M365')).toBe(80);
  });

  it('M354, M349: step down from a high to a low intensity stage', () => {
    // h2 (13 days), i1 (no wait: no derived high intensity first date), sd (12 days); not s1.
    expect(value('M354')).toBe(3);
    expect(value('M349')).toBe(12.5);
    expect(cell('M349')!.denominator).toBe(2);
  });

  it('M355, M350, M360, M361, M366, M367: step up from a low to a high intensity stage', () => {
    // l1 (7), l2 (0), s2 (7), su (91).
    expect(value('M355')).toBe(4);
    expect(value('M350')).toBe(26.25);
    expect(value('M360')).toBe(3);
    expect(value('M361')).toBe(3);
    expect(value('M366')).toBe(75);
    expect(value('M367')).toBe(75);
  });

  it('counts each pathway under its own provider', async () => {
    const moved = referrals.map((r) => (r.PathwayID === 'h1' ? { ...r, OrgID_Provider: 'RB2' } : r));
    const byProvider = await measure({ referrals: moved, contacts, activities, internetLogs }, ids('M352', 'M356'));
    expect(byProvider.value('M352', 'Provider', 'RB2')).toBe(1);
    expect(byProvider.value('M352', 'Provider', 'RA1')).toBe(5);
    expect(byProvider.value('M356', 'Provider', 'RB2')).toBe(1);
  });
});
