// Treatment-appointment measures M089, M112–M120, M142–M144 and M351 on hand-built finishers with known answers.
import { beforeAll, describe, expect, it } from 'vitest';
import { measure, type Row, ids } from './fixture.js';

/** A finisher discharged in May 2024: treatment appointments, first and last session, therapy counts (others null). */
const finisher = (id: string, appointments: number, first: string, last: string, counts: Row = {}, fields: Row = {}): Row => ({
  PathwayID: id,
  ServDischDate: '2024-05-20',
  CompletedTreatment_Flag: true,
  TreatmentCareContact_Count: appointments,
  TherapySession_FirstDate: first,
  TherapySession_LastDate: last,
  ...counts,
  ...fields,
});

const referrals: Row[] = [
  finisher('s1', 2, '2024-05-01', '2024-05-11', { CognitiveBehaviourTherapy_Count: 2, GuidedSelfHelp_Book_Count: 0 }),
  finisher('s2', 5, '2024-04-01', '2024-05-10', { CognitiveBehaviourTherapy_Count: 3, CounsellingDepression_Count: 1, GuidedSelfHelp_Book_Count: 1 }),
  finisher('s3', 4, '2024-04-20', '2024-05-20', { InterpersonalPsychotherapy_Count: 4 }),
  finisher('s4', 3, '2024-05-01', '2024-05-15', { GuidedSelfHelp_Computer_Count: 2, AntePostNatalCounselling_Count: 1, CognitiveBehaviourTherapy_Count: 0 }),
  finisher('s5', 10, '2024-03-01', '2024-05-30', { OtherHighIntensity_Count: 2, BriefPsychodynamicPsychotherapy_Count: 1, CouplesTherapyDepression_Count: 2, EyeMovementDesensitisationReprocessing_Count: 1 }, { InternetEnabledTherapy_Count: 3 }),
  // Internet-enabled therapy only: other high intensity.
  finisher('s9', 2, '2024-05-02', '2024-05-09', {}, { InternetEnabledTherapy_Count: 2 }),
  // Ante/post-natal counselling only: neither high nor (as the construction lists them) low intensity.
  finisher('s10', 2, '2024-05-03', '2024-05-05', { AntePostNatalCounselling_Count: 2 }),
  // Not counted: not finished, discharged in April, not used for the period.
  finisher('s6', 1, '2024-05-01', '2024-05-01', { CognitiveBehaviourTherapy_Count: 1 }, { CompletedTreatment_Flag: false }),
  finisher('s7', 6, '2024-02-01', '2024-04-01', { CognitiveBehaviourTherapy_Count: 6, GuidedSelfHelp_Book_Count: 6, InterpersonalPsychotherapy_Count: 6 }, { ServDischDate: '2024-04-02' }),
  finisher('s8', 9, '2024-02-01', '2024-05-01', { CognitiveBehaviourTherapy_Count: 9, OtherHighIntensity_Count: 9 }, { UsePathway_Flag: false }),
];

// Every measure of this file over `referrals`, computed once.
let value: Awaited<ReturnType<typeof measure>>['value'];
let cell: Awaited<ReturnType<typeof measure>>['cell'];
beforeAll(async () => {
  ({ value, cell } = await measure({ referrals }, ids('M089', 'M142', 'M143', 'M144', 'M351', 'M112', 'M113', 'M114', 'M115', 'M116', 'M117', 'M119', 'M120')));
});

describe('treatment appointments of finishers', () => {
  it('sums them (M089) and gives their median, maximum and minimum (M142–M144)', () => {
    // s1 2, s2 5, s3 4, s4 3, s5 10, s9 2, s10 2.
    expect(value('M089')).toBe(28);
    expect(value('M142')).toBe(3);
    expect(value('M143')).toBe(10);
    expect(value('M144')).toBe(2);
    expect(cell('M142')!.denominator).toBe(7);
    expect(value('M089', 'Provider', 'RA1')).toBe(28);
  });

  it('gives the mean days between sessions as total days over total gaps (M351)', () => {
    // Days first → last: 10 + 39 + 30 + 14 + 90 + 7 + 2; gaps (appointments − 1): 1 + 4 + 3 + 2 + 9 + 1 + 1.
    expect(value('M351')).toBeCloseTo(192 / 21, 9);
  });

  it('leaves out a finisher with one appointment from the days between sessions (M351)', async () => {
    const two = await measure({ referrals: [finisher('one', 1, '2024-05-01', '2024-05-01'), finisher('two', 2, '2024-05-01', '2024-05-08')] }, ids('M351'));
    expect(two.value('M351')).toBe(7);
  });

  it('is undefined for the statistics without finishers', async () => {
    const none = await measure({ referrals: referrals.filter((r) => !r.CompletedTreatment_Flag) }, ids('M089', 'M142', 'M351', 'M113'));
    expect(none.value('M089')).toBeNull();
    expect(none.value('M142')).toBeNull();
    expect(none.value('M351')).toBeNull();
    expect(none.value('M113')).toBeNull();
  });
});

describe('mean sessions per therapy of finishers who had it (M112–M120)', () => {
  it('takes the mean over finishers with at least one session of the therapy', () => {
    // CBT: s1 2, s2 3 (s4 has 0).
    expect(value('M113')).toBe(2.5);
    expect(cell('M113')!.denominator).toBe(2);
    expect(value('M114')).toBe(1);
    expect(value('M115')).toBe(1);
    expect(value('M116')).toBe(4);
    expect(value('M117')).toBe(2);
  });

  it('counts internet-enabled therapy as other high intensity (M119, M112)', () => {
    // Other HI: s5 2 + 3 internet-enabled, s9 0 + 2.
    expect(value('M119')).toBe(3.5);
    // All HI: s1 2, s2 3 + 1, s3 4, s5 5 + 1 + 2 + 1, s9 2.
    expect(value('M112')).toBe(21 / 5);
  });

  it('sums the eight low intensity counts, not ante/post-natal counselling (M120)', () => {
    // s2 1, s4 2 (its ante/post-natal session aside); s1 has 0, s10 only ante/post-natal counselling.
    expect(value('M120')).toBe(1.5);
    expect(cell('M120')!.denominator).toBe(2);
  });
});
