// Six pathways worked out by hand through derivePeriod (period May 2024), each annotated with why it gets what it
// gets. Definitions: measures-and-outcomes.md §1.1 (finished a course, M076), §1.2 (waits), §1.3 (caseness,
// recovery, reliable change; PHQ-9 caseness >= 10 and reliable change 6, GAD-7 >= 8 and 4); docs/derivations.md.
// Scores are recorded on each contact (IDS607), so a score is dated by its contact.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derivePeriod } from '../../src/derivation/index.js';
import { buildNational, readDerived, readTable, type ContactSpec, type PathwaySpec } from './builder.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-worked-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A contact of appointment type `app` (01 assessment, 02 treatment, 03 both) with PHQ-9 and GAD-7 scores. */
const seen = (day: string, app: string, phq?: number, gad?: number, extra: Partial<ContactSpec> = {}): ContactSpec => ({
  day,
  app,
  ...(phq === undefined ? {} : { scores: { PHQ9: phq, GAD: gad! } }),
  ...extra,
});

const PATHWAYS: PathwaySpec[] = [
  // Recovered and reliably improved. Two attended treatment appointments (02) and a discharge: finished (M076).
  // PHQ-9 18 >= 10 at the start: caseness. Last PHQ-9 7 < 10 and GAD-7 6 < 8: recovered. PHQ-9 falls 11 >= 6 and
  // nothing rises: reliable improvement, and so reliable recovery (M193).
  // Waits: referral 10 January → first treatment 21 February = 21 + 21 = 42 days (within 6 weeks, ≤ 42);
  // first → second treatment 21 February → 20 March = 8 + 20 = 28 days (2024 is a leap year).
  {
    id: 'recovered',
    received: '2024-01-10',
    discharged: '2024-04-30',
    contacts: [seen('2024-01-24', '01', 18, 15), seen('2024-02-21', '02', 12, 10), seen('2024-03-20', '02', 7, 6)],
  },
  // Recovered without reliable improvement: PHQ-9 11 → 8 and GAD-7 9 → 6 both fall 3 (< 6, < 4), so no reliable
  // change either way (no change), yet both end below caseness from a start at caseness (11 >= 10): recovered, not
  // reliably recovered.
  {
    id: 'recovered-not-reliably',
    received: '2024-01-05',
    discharged: '2024-04-15',
    contacts: [seen('2024-01-12', '01', 11, 9), seen('2024-02-09', '02', 10, 8), seen('2024-03-08', '02', 8, 6)],
  },
  // Not at caseness at the start (PHQ-9 9 < 10, GAD-7 6 < 8), finished: NotCaseness_Flag, never recovery (recovery's
  // denominator leaves it out). PHQ-9 rises 6 >= 6 and GAD-7 rises 5 >= 4, nothing falls: reliable deterioration.
  // Wait: 1 February → 7 March = 28 + 7 = 35 days.
  {
    id: 'deteriorated',
    received: '2024-02-01',
    discharged: '2024-05-15',
    contacts: [seen('2024-02-08', '01', 9, 6), seen('2024-03-07', '02', 12, 8), seen('2024-04-04', '02', 15, 11)],
  },
  // No change, not recovered: PHQ-9 14 → 9 falls 5 (< 6), GAD-7 12 → 9 falls 3 (< 4); GAD-7 ends at 9 >= 8, so not
  // recovered although PHQ-9 ends below 10. The 03 contact (assessment and treatment) is a treatment appointment
  // and the last assessment.
  {
    id: 'no-change',
    received: '2024-01-05',
    discharged: '2024-05-10',
    contacts: [seen('2024-01-12', '01', 14, 12), seen('2024-02-09', '02', 12, 10), seen('2024-03-08', '03', 9, 9)],
  },
  // Ended treated once (M075): the second treatment appointment was not attended (AttendOrDNACode 3), so one treatment
  // appointment, not finished, and no outcome flag although the scores fell a long way. Caseness does not need a
  // finished course: PHQ-9 14 >= 10.
  {
    id: 'treated-once',
    received: '2024-03-01',
    discharged: '2024-04-10',
    contacts: [seen('2024-03-05', '01', 14, 12), seen('2024-03-19', '02', 4, 3), seen('2024-04-02', '02', undefined, undefined, { attend: '3' })],
  },
  // Still open at the period end: two treatment appointments but no discharge, so not finished (M076 needs
  // ServDischDate). Wait: 15 April → 6 May = 15 + 6 = 21 days.
  {
    id: 'open',
    received: '2024-04-15',
    contacts: [seen('2024-04-22', '01', 16, 14), seen('2024-05-06', '02'), seen('2024-05-20', '02', 10, 9)],
  },
];

const FLAGS = ['CompletedTreatment_Flag', 'Caseness_Flag', 'NotCaseness_Flag', 'Recovery_Flag', 'ReliableImprovement_Flag', 'ReliableDeterioration_Flag', 'NoChange_Flag', 'ReliableRecovery_Flag'];
const EXPECTED_FLAGS: Record<string, boolean[]> = {
  //                         finished caseness notCase recovery improve deterior noChange relRecovery
  recovered: /*          */ [true, true, false, true, true, false, false, true],
  'recovered-not-reliably': [true, true, false, true, false, false, true, false],
  deteriorated: /*       */ [true, false, true, false, false, true, false, false],
  'no-change': /*        */ [true, true, false, false, false, false, true, false],
  'treated-once': /*     */ [false, true, false, false, false, false, false, false],
  open: /*               */ [false, true, false, false, false, false, false, false],
};

let derived: Map<string, Record<string, unknown>>;
let contacts: Record<string, unknown>[];
beforeAll(async () => {
  const dir = join(root, 'national');
  await buildNational(dir, PATHWAYS);
  await derivePeriod(dir, '2024-05');
  derived = await readDerived(dir);
  contacts = await readTable(dir, 'IDS201CareContact');
});

const days = (from: unknown, to: unknown) => (Date.parse(String(to)) - Date.parse(String(from))) / 86_400_000;

describe('worked pathways', () => {
  it.each(Object.entries(EXPECTED_FLAGS))('%s: finished course, caseness and outcome flags', (id, flags) => {
    const row = derived.get(id)!;
    expect(FLAGS.map((f) => [f, row[f]])).toEqual(FLAGS.map((f, i) => [f, flags[i]]));
  });

  it('counts the treatment appointments and dates the sessions', () => {
    const sessions = (id: string) => {
      const r = derived.get(id)!;
      return [r.TreatmentCareContact_Count, r.TherapySession_FirstDate, r.TherapySession_SecondDate, r.Assessment_FirstDate, r.Assessment_LastDate];
    };
    expect(sessions('recovered')).toEqual([2, '2024-02-21', '2024-03-20', '2024-01-24', '2024-01-24']);
    expect(sessions('no-change')).toEqual([2, '2024-02-09', '2024-03-08', '2024-01-12', '2024-03-08']);
    expect(sessions('treated-once')).toEqual([1, '2024-03-19', null, '2024-03-05', '2024-03-05']);
  });

  it('gives the waits measures read (§1.2): referral → first treatment and first → second treatment, in days', () => {
    const wait = (id: string) => days(derived.get(id)!.ReferralRequestReceivedDate, derived.get(id)!.TherapySession_FirstDate);
    expect(wait('recovered')).toBe(42);
    expect(wait('deteriorated')).toBe(35);
    expect(wait('open')).toBe(21);
    expect(days(derived.get('recovered')!.TherapySession_FirstDate, derived.get('recovered')!.TherapySession_SecondDate)).toBe(28);
  });

  it('derives Time_Referral_to_CareContact on each contact: days from referral to contact (same day 0)', () => {
    const recovered = contacts.filter((c) => c.PathwayID === 'recovered').map((c) => [c.CareContDate, c.Time_Referral_to_CareContact]);
    // 10 January → 24 January 14; → 21 February 42; → 20 March 21 + 29 + 20 = 70.
    expect(recovered).toEqual([
      ['2024-01-24', 14],
      ['2024-02-21', 42],
      ['2024-03-20', 70],
    ]);
  });

  it('pairs first and last scores: first at the first scored contact, last at the latest', () => {
    const scores = (id: string) => {
      const r = derived.get(id)!;
      return [r.PHQ9_FirstScore, r.PHQ9_LastScore, r.ADSM, r.ADSM_FirstScore, r.ADSM_LastScore];
    };
    expect(scores('recovered')).toEqual([18, 7, 'GAD', 15, 6]);
    // The open pathway's middle contact has no scores; its last scores are those of 20 May.
    expect(scores('open')).toEqual([16, 10, 'GAD', 14, 9]);
  });
});
