// Pathway derivations on hand-built pathways (period May 2024), one edge at a time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derivePeriod } from '../../src/derivation/index.js';
import { buildNational, readDerived, type PathwaySpec } from './builder.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-derive-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A finished course: assessment, then treatment sessions with PHQ-9 and GAD-7 at each.
const course = (id: string, phq: number[], gad: number[], extra: Partial<PathwaySpec> = {}): PathwaySpec => ({
  id,
  received: '2024-01-10',
  discharged: '2024-05-20',
  contacts: [
    { day: '2024-01-20', app: '01', scores: { PHQ9: phq[0]!, GAD: gad[0]! } },
    ...phq.slice(1).map((p, i) => ({ day: `2024-0${2 + i}-15`, app: '02', scores: { PHQ9: p, GAD: gad[i + 1]! } })),
  ],
  ...extra,
});

const PATHWAYS: PathwaySpec[] = [
  // Counting: DNA, follow-up after discharge, a contact before the referral, an assessment-only contact.
  {
    id: 'counting',
    received: '2024-02-01',
    discharged: '2024-04-30',
    contacts: [
      { day: '2024-01-25', app: '02' },
      { day: '2024-02-05', app: '01' },
      { day: '2024-02-12', app: '03', psychMed: '01' },
      { day: '2024-02-19', app: '02', attend: '3' },
      { day: '2024-02-26', app: '02', attend: '6', therapy: '748051000000105' },
      { day: '2024-03-04', app: '05', psychMed: '03' },
      { day: '2024-05-10', app: '06' },
    ],
  },
  { id: 'treated-once', received: '2024-02-01', discharged: '2024-03-01', contacts: [{ day: '2024-02-10', app: '02' }] },
  { id: 'open-two-sessions', received: '2024-02-01', contacts: [{ day: '2024-02-10', app: '02' }, { day: '2024-02-17', app: '02' }] },
  // Scores: one score only → no last; ties broken by time then id; outside the span or range ignored; IDS606 used.
  {
    id: 'scores',
    received: '2024-02-01',
    discharged: '2024-04-30',
    contacts: [
      { day: '2024-01-20', app: '01', scores: { PHQ9: 27 } },
      { day: '2024-02-10', app: '02', time: '15:00:00', scores: { PHQ9: 14, GAD: 30 } },
      { day: '2024-02-10', app: '02', time: '09:00:00', scores: { PHQ9: 15 } },
      { day: '2024-03-10', app: '02', scores: { GAD: 9 } },
    ],
    referralScores: [{ tool: 'PHQ9', score: 7, day: '2024-04-01' }, { tool: 'PHQ9', score: 3, day: '2024-05-15' }],
  },
  // Thresholds at the edges: PHQ-9 10 is caseness, 9 is not; GAD-7 8 is, 7 is not; falls of exactly 6 and 4 are reliable.
  course('phq-10-fall-6', [10, 9, 4], [3, 3, 3]),
  course('phq-9-gad-8', [9, 9, 9], [8, 6, 5]),
  course('below-caseness', [9, 8, 7], [7, 6, 7]),
  course('gad-fall-4', [12, 12, 12], [12, 10, 8]),
  course('falls-5-and-3', [15, 12, 10], [12, 10, 9]),
  course('rise-6', [12, 14, 18], [10, 10, 10]),
  course('fall-and-rise', [20, 15, 12], [8, 10, 12]),
  course('recovered', [16, 10, 6], [14, 9, 5]),
  course('unpaired', [16, 10, 6], [14], { contacts: [{ day: '2024-01-20', app: '01', scores: { PHQ9: 16, GAD: 14 } }, { day: '2024-02-15', app: '02', scores: { PHQ9: 10 } }, { day: '2024-03-15', app: '02', scores: { PHQ9: 6 } }] }),
  // ADSM: social phobia with SPIN → SPIN is the anxiety measure (caseness 19, reliable change 10); without SPIN → GAD-7.
  course('spin', [8, 8, 8], [12, 12, 12], {
    complaints: [{ code: 'F40.1' }],
    contacts: [
      { day: '2024-01-20', app: '01', scores: { PHQ9: 8, GAD: 12, SocialPhobia: 30 } },
      { day: '2024-02-15', app: '02', scores: { PHQ9: 8, GAD: 12, SocialPhobia: 25 } },
      { day: '2024-03-15', app: '02', scores: { PHQ9: 8, GAD: 12, SocialPhobia: 18 } },
    ],
  }),
  course('spin-missing', [8, 8, 8], [12, 12, 6], { complaints: [{ code: 'F401' }] }),
  // Employment: status records of the person within the referral span (one before it is ignored).
  course('employment', [12, 12, 12], [12, 12, 12], { person: 'U2' }),
  // Problem descriptor ranking: primary before secondary; a validated code before an invalid one; latest date.
  course('descriptor', [12, 12, 12], [12, 12, 12], {
    complaints: [
      { code: 'F411', significance: '2', day: '2024-03-01' },
      { code: 'F32.1', significance: '1', day: '2024-01-20' },
      { code: 'F33', significance: '1', day: '2024-01-10' },
      { code: '??', significance: '1', day: '2024-04-01' },
    ],
  }),
  // Issue 14's PTSD case: one PCL-5 score only, PHQ-9 15 → 5 and GAD-7 14 → 3 paired. The NHS pairs "the ADSM's last
  // score or GAD-7's" (M198), so GAD-7 judges it: caseness (15 >= 10), recovered (5 < 10, 3 < 8), a PHQ-9 fall of
  // 10 >= 6 is reliable improvement and nothing rose.
  course('ptsd-single-pcl5', [15, 10, 5], [14, 8, 3], {
    complaints: [{ code: 'F431' }],
    contacts: [
      { day: '2024-01-20', app: '01', scores: { PHQ9: 15, GAD: 14, PTSD: 50 } },
      { day: '2024-02-15', app: '02', scores: { PHQ9: 10, GAD: 8 } },
      { day: '2024-03-15', app: '02', scores: { PHQ9: 5, GAD: 3 } },
    ],
  }),
  // PCL-5 paired (50 → 30) judges instead of GAD-7 (14 → 13, still at caseness): caseness 50 >= 32; recovered as
  // PHQ-9 9 < 10 and PCL-5 30 < 32; a PCL-5 fall of 20 >= 10 is reliable improvement.
  course('ptsd-paired', [9, 9, 9], [14, 14, 13], {
    complaints: [{ code: 'F431' }],
    contacts: [
      { day: '2024-01-20', app: '01', scores: { PHQ9: 9, GAD: 14, PTSD: 50 } },
      { day: '2024-02-15', app: '02', scores: { PHQ9: 9, GAD: 14, PTSD: 40 } },
      { day: '2024-03-15', app: '02', scores: { PHQ9: 9, GAD: 13, PTSD: 30 } },
    ],
  }),
  // Neither anxiety measure paired: the ADSM with a first score stays the measure (caseness from PCL-5 50 >= 32), no outcome.
  course('ptsd-unpaired', [9, 9, 9], [14, 14, 13], {
    complaints: [{ code: 'F431' }],
    contacts: [
      { day: '2024-01-20', app: '01', scores: { PHQ9: 9, GAD: 5, PTSD: 50 } },
      { day: '2024-02-15', app: '02', scores: { PHQ9: 9 } },
      { day: '2024-03-15', app: '02', scores: { PHQ9: 9 } },
    ],
  }),
  // Attended = AttendOrDNACode 5 or 6 or PlannedCareContIndicator 'N' (M090-M111): one planned attended treatment
  // contact, one unplanned treatment contact without an attendance code, one planned DNA (3) → two treatment
  // appointments, so a finished course.
  {
    id: 'unplanned',
    received: '2024-02-01',
    discharged: '2024-04-30',
    contacts: [
      { day: '2024-02-10', app: '02' },
      { day: '2024-02-17', app: '02', planned: 'N' },
      { day: '2024-02-24', app: '02', attend: '3' },
    ],
  },
  // Internet-enabled therapy log entries inside the span are treatment sessions (src/dataset/appointments.ts):
  // 1 March and 8 March (IDS205) and the 15 March contact → 3 sessions, the first on 1 March; the entry of 20
  // January is before the referral (received 1 February) and does not count.
  {
    id: 'iet',
    received: '2024-02-01',
    discharged: '2024-04-30',
    contacts: [{ day: '2024-02-05', app: '01' }, { day: '2024-03-15', app: '02' }],
    iet: [{ start: '2024-01-20' }, { start: '2024-03-01', end: '2024-03-07' }, { start: '2024-03-08', end: '2024-03-14' }],
  },
  // Only internet-enabled therapy: two entries in the span, no IDS201 contact.
  { id: 'iet-only', received: '2024-02-01', discharged: '2024-04-30', iet: [{ start: '2024-02-10' }, { start: '2024-02-17' }] },
  // No contact at all: the derived counts are 0, not NULL (Count_EndedBeforeTreatment tests TreatmentCareContact_Count = 0).
  { id: 'no-contacts', received: '2024-02-01', discharged: '2024-03-01' },
];

let derived: Map<string, Record<string, unknown>>;
beforeAll(async () => {
  const dir = join(root, 'national');
  await buildNational(dir, PATHWAYS);
  await derivePeriod(dir, '2024-05');
  derived = await readDerived(dir);
});
const get = (id: string) => derived.get(id)!;

describe('appointment derivations', () => {
  it('counts attended (5, 6) treatment appointments (02, 03, 05) within the referral span only (TreatmentCareContact_Count, TherapySession_*)', () => {
    expect(get('counting')).toMatchObject({
      CareContact_Count: 4,
      TreatmentCareContact_Count: 3,
      TherapySession_FirstDate: '2024-02-12',
      TherapySession_SecondDate: '2024-02-26',
      TherapySession_LastDate: '2024-03-04',
      Assessment_FirstDate: '2024-02-05',
      Assessment_LastDate: '2024-02-12',
      PsychotropicIndicator_First: '01',
      PsychotropicIndicator_Last: '03',
      GuidedSelfHelp_Book_Count: 1,
      CognitiveBehaviourTherapy_Count: 2,
      LowIntensityTherapy_FirstDate: '2024-02-26',
      HighIntensityTherapy_FirstDate: '2024-02-12',
    });
  });

  it('finishes a course (CompletedTreatment_Flag) with a discharge and at least two treatment appointments', () => {
    expect(get('counting').CompletedTreatment_Flag).toBe(true);
    expect(get('treated-once')).toMatchObject({ TreatmentCareContact_Count: 1, CompletedTreatment_Flag: false });
    expect(get('open-two-sessions')).toMatchObject({ TreatmentCareContact_Count: 2, CompletedTreatment_Flag: false });
  });
});

describe('attended and treatment: one definition for derivations and measures', () => {
  it('counts an unplanned contact (PlannedCareContIndicator N) as attended, a planned DNA not', () => {
    expect(get('unplanned')).toMatchObject({ CareContact_Count: 2, TreatmentCareContact_Count: 2, TherapySession_FirstDate: '2024-02-10', TherapySession_SecondDate: '2024-02-17', CompletedTreatment_Flag: true });
  });

  it('counts internet-enabled therapy log entries within the span as treatment sessions', () => {
    expect(get('iet')).toMatchObject({
      CareContact_Count: 4,
      TreatmentCareContact_Count: 3,
      InternetEnabledTherapy_Count: 3,
      TherapySession_FirstDate: '2024-03-01',
      TherapySession_SecondDate: '2024-03-08',
      TherapySession_LastDate: '2024-03-15',
      Assessment_FirstDate: '2024-02-05',
      CompletedTreatment_Flag: true,
    });
    expect(get('iet-only')).toMatchObject({ TreatmentCareContact_Count: 2, TherapySession_FirstDate: '2024-02-10', CompletedTreatment_Flag: true, PsychotropicIndicator_First: null });
  });

  it('gives 0, not NULL, counts to a referral without contacts', () => {
    expect(get('no-contacts')).toMatchObject({ CareContact_Count: 0, TreatmentCareContact_Count: 0, CognitiveBehaviourTherapy_Count: 0, EmploymentSupport_Count: 0, InternetEnabledTherapy_Count: 0, TherapySession_FirstDate: null, CompletedTreatment_Flag: false });
  });
});

describe('first and last scores', () => {
  it('takes the earliest and latest valid score in the span, ties by time then record id, and no last score from a single one', () => {
    // PHQ-9: 27 is before the referral; on 10 Feb the 09:00 score (15) comes before the 15:00 one (14);
    // IDS606 adds 7 on 1 April, and its 3 on 15 May is after the discharge (30 April).
    expect(get('scores')).toMatchObject({ PHQ9_FirstScore: 15, PHQ9_LastScore: 7 });
    // GAD-7: 30 is out of range (0–21), so only 9 remains: a first score, no last.
    expect(get('scores')).toMatchObject({ GAD_FirstScore: 9, GAD_LastScore: null });
  });
});

describe('caseness and outcome flags (PHQ-9 10/6, GAD-7 8/4)', () => {
  it.each([
    ['phq-10-fall-6', { Caseness_Flag: true, NotCaseness_Flag: false, Recovery_Flag: true, ReliableImprovement_Flag: true, ReliableDeterioration_Flag: false, NoChange_Flag: false }],
    ['phq-9-gad-8', { Caseness_Flag: true, Recovery_Flag: true, ReliableImprovement_Flag: false, NoChange_Flag: true }],
    ['below-caseness', { Caseness_Flag: false, NotCaseness_Flag: true, Recovery_Flag: false, NoChange_Flag: true }],
    ['gad-fall-4', { Caseness_Flag: true, Recovery_Flag: false, ReliableImprovement_Flag: true }],
    ['falls-5-and-3', { ReliableImprovement_Flag: false, ReliableDeterioration_Flag: false, NoChange_Flag: true }],
    ['rise-6', { ReliableImprovement_Flag: false, ReliableDeterioration_Flag: true, NoChange_Flag: false }],
    ['fall-and-rise', { ReliableImprovement_Flag: false, ReliableDeterioration_Flag: false, NoChange_Flag: true }],
    ['recovered', { Caseness_Flag: true, Recovery_Flag: true, ReliableImprovement_Flag: true, ReliableRecovery_Flag: true }],
    ['unpaired', { Caseness_Flag: true, GAD_LastScore: null, Recovery_Flag: false, ReliableImprovement_Flag: false, NoChange_Flag: false, ReliableDeterioration_Flag: false }],
  ])('%s', (id, expected) => {
    expect(get(id)).toMatchObject(expected);
  });
});

describe('employment items', () => {
  it('counts the employment statuses and sick-pay indicators recorded within the span, with the first and last indicator', () => {
    expect(get('employment')).toMatchObject({ Count_EmploymentStatuses: 3, Count_StatutorySickpayIndicators: 2, SickpayIndicator_First: 'Y', SickpayIndicator_Last: 'N' });
    expect(get('recovered')).toMatchObject({ Count_EmploymentStatuses: 0, SickpayIndicator_First: null });
  });
});

describe('the anxiety disorder specific measure', () => {
  it('uses the ADSM of the problem descriptor when it has a first score (SPIN for F401)', () => {
    expect(get('spin')).toMatchObject({ ADSM: 'SocialPhobia', ADSM_FirstScore: 30, ADSM_LastScore: 18, Caseness_Flag: true, Recovery_Flag: true, ReliableImprovement_Flag: true });
  });

  it('flags whether the anxiety measure scores are at caseness', () => {
    expect(get('spin')).toMatchObject({ ADSM_FirstScoreAtCaseness: true, ADSM_FirstScoreNotAtCaseness: false, ADSM_LastScoreNotAtCaseness: true });
    // GAD-7 judges spin-missing: first 12 >= 8 at caseness, last 6 < 8 not.
    expect(get('spin-missing')).toMatchObject({ ADSM_FirstScoreAtCaseness: true, ADSM_LastScoreNotAtCaseness: true });
    expect(get('no-contacts')).toMatchObject({ ADSM: null, ADSM_FirstScoreAtCaseness: null, ADSM_LastScoreNotAtCaseness: null });
  });

  it('falls back to GAD-7 when the ADSM has no score (ADSM = GAD, its scores GAD-7 12 → 6)', () => {
    expect(get('spin-missing')).toMatchObject({ ADSM: 'GAD', ADSM_FirstScore: 12, ADSM_LastScore: 6, Caseness_Flag: true, Recovery_Flag: true, ReliableImprovement_Flag: true });
  });

  it('uses GAD-7 when the ADSM is not paired and GAD-7 is (PTSD with one PCL-5 score)', () => {
    expect(get('ptsd-single-pcl5')).toMatchObject({
      ADSM: 'GAD',
      ADSM_FirstScore: 14,
      ADSM_LastScore: 3,
      Caseness_Flag: true,
      Recovery_Flag: true,
      ReliableImprovement_Flag: true,
      NoChange_Flag: false,
      ReliableDeterioration_Flag: false,
      ReliableRecovery_Flag: true,
    });
  });

  it('uses the ADSM when its scores are paired, whatever GAD-7 says (PCL-5 50 → 30)', () => {
    expect(get('ptsd-paired')).toMatchObject({ ADSM: 'PTSD', ADSM_FirstScore: 50, ADSM_LastScore: 30, Caseness_Flag: true, Recovery_Flag: true, ReliableImprovement_Flag: true, NotCaseness_Flag: false });
  });

  it('keeps the ADSM with a first score when neither measure is paired: caseness, but no outcome flag', () => {
    expect(get('ptsd-unpaired')).toMatchObject({ ADSM: 'PTSD', ADSM_FirstScore: 50, ADSM_LastScore: null, Caseness_Flag: true, Recovery_Flag: false, ReliableImprovement_Flag: false, NoChange_Flag: false, ReliableDeterioration_Flag: false });
  });

  it('puts every finisher with paired PHQ-9 and anxiety scores in exactly one of improvement, no change, deterioration', () => {
    for (const row of derived.values()) {
      const paired = row.CompletedTreatment_Flag === true && row.PHQ9_LastScore !== null && row.ADSM_LastScore !== null;
      const outcomes = [row.ReliableImprovement_Flag, row.NoChange_Flag, row.ReliableDeterioration_Flag].filter((f) => f === true).length;
      expect([row.PathwayID, outcomes]).toEqual([row.PathwayID, paired ? 1 : 0]);
    }
  });

  it('ranks presenting complaints: validated before invalid, primary before secondary, then latest date', () => {
    expect(get('descriptor')).toMatchObject({ PresentingComplaint: 'F321', PresentingComplaintLowerCategory: 'Depression', PresentingComplaintHigherCategory: 'Depression' });
    expect(get('spin')).toMatchObject({ PresentingComplaint: 'F401', PresentingComplaintLowerCategory: 'Social phobias' });
    expect(get('counting')).toMatchObject({ PresentingComplaintLowerCategory: 'Not stated / invalid' });
  });
});
