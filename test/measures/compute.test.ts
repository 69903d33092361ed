// The computation machinery on a hand-built data set with known answers: group types, units, statistics,
// percentages over other measures, period use filters and breakdowns.
import { describe, expect, it } from 'vitest';
import { ANNUAL_BREAKDOWNS } from '../../src/measures/breakdowns.js';
import type { MeasureDefinition } from '../../src/measures/definition.js';
import { quarterPeriod } from '../../src/measures/periods.js';
import { measure, type Row, ids } from './fixture.js';


// id, provider, sub-ICB, received, first treatment, discharged, care contacts, treatment contacts, flags (finished, not caseness, recovered, improved, deteriorated, no change), use
type P = [string, string, string, string, string | null, string | null, number, number, [boolean, boolean, boolean, boolean, boolean, boolean], boolean?];
const PATHWAYS: P[] = [
  ['a', 'RA1', '00X', '2024-05-02', '2024-05-10', null, 2, 1, [false, false, false, false, false, false]],
  ['b', 'RA1', '00X', '2024-03-01', '2024-03-20', '2024-05-20', 8, 7, [true, false, true, true, false, false]],
  ['c', 'RA1', '00X', '2024-02-01', '2024-02-10', '2024-05-21', 6, 5, [true, false, false, false, true, false]],
  ['d', 'RA1', '00Y', '2024-01-01', '2024-03-01', '2024-05-05', 4, 3, [true, true, false, false, false, true]],
  ['e', 'RB2', '00Y', '2024-04-01', '2024-04-05', '2024-05-06', 10, 9, [true, false, true, true, false, false]],
  ['f', 'RB2', '00Y', '2024-05-03', null, '2024-05-30', 0, 0, [false, false, false, false, false, false]],
  ['g', 'RB2', '00Y', '2024-04-20', null, '2024-05-15', 1, 0, [false, false, false, false, false, false]],
  ['h', 'RB2', '00Y', '2024-05-09', null, null, 0, 0, [false, false, false, false, false, false], false],
];
const referrals: Row[] = PATHWAYS.map(([id, provider, sub, received, first, discharged, cc, tc, [fin, nc, rec, imp, det, noc], use = true]) => ({
  PathwayID: id,
  Person_ID: `p${id}`,
  UsePathway_Flag: use,
  ReferralRequestReceivedDate: received,
  ServDischDate: discharged,
  TherapySession_FirstDate: first,
  Assessment_FirstDate: first,
  CareContact_Count: cc,
  TreatmentCareContact_Count: tc,
  CompletedTreatment_Flag: fin,
  NotCaseness_Flag: nc,
  Recovery_Flag: rec,
  ReliableImprovement_Flag: imp,
  ReliableDeterioration_Flag: det,
  NoChange_Flag: noc,
  OrgIDComm: sub,
  OrgID_Provider: provider,
}));

describe('computeMeasures', () => {
  it('computes counts, means and percentages for England and every group below it', async () => {
    const { value } = await measure({ referrals }, ids('M001', 'M031', 'M036', 'M056', 'M076', 'M073', 'M074', 'M141', 'M191', 'M192', 'M186', 'M1010', 'M195'));
    // England: referrals received in May (a, f; h is not used for the period), entered treatment in May (a).
    expect(value('M001')).toBe(2);
    expect(value('M031')).toBe(1);
    expect(value('M036')).toBe(1);
    // Endings in May: b, c, d, e, f, g; finished b, c, d, e; not seen f; seen not treated g.
    expect(value('M056')).toBe(6);
    expect(value('M076')).toBe(4);
    expect(value('M073')).toBe(1);
    expect(value('M074')).toBe(1);
    expect(value('M141')).toBe(6);
    // Outcomes: recovery b, e of (4 finished − 1 not at caseness); improvement b, e of 4; deterioration c.
    expect(value('M191')).toBe(2);
    expect(value('M192')).toBeCloseTo(66.667, 2);
    expect(value('M186')).toBe(50);
    expect(value('M1010')).toBe(25);
    expect(value('M195')).toBeCloseTo(66.667, 2);
    // Below England.
    expect(value('M076', 'Provider', 'RA1')).toBe(3);
    expect(value('M076', 'Provider', 'RB2')).toBe(1);
    expect(value('M076', 'SubICB', '00Y')).toBe(2);
    expect(value('M076', 'SubICB/Provider', '00Y', 'RA1')).toBe(1);
    expect(value('M001', 'CommissioningRegion', 'Y56')).toBe(2);
    expect(value('M076', 'ICB', 'QAA')).toBe(4);
  });

  it('gives a percentage with no denominator and a mean over no rows as undefined (null)', async () => {
    const { value, cell } = await measure({ referrals: referrals.filter((r) => !r.CompletedTreatment_Flag) }, ids('M192', 'M141'));
    expect(value('M192')).toBeNull();
    expect(value('M141')).toBeNull();
    expect(cell('M141')!.denominator).toBe(0);
  });

  it('computes sum, median, max, min and ratio statistics, and inline percentage terms', async () => {
    const finished = { date: 'd(ServDischDate)', where: 'CompletedTreatment_Flag' };
    const defs: MeasureDefinition[] = [
      { id: 'S', name: 'Sum', frequency: 'Monthly', statistic: 'sum', of: 'TreatmentCareContact_Count', ...finished },
      { id: 'MED', name: 'Median', frequency: 'Monthly', statistic: 'median', of: 'TreatmentCareContact_Count', ...finished },
      { id: 'MAX', name: 'Max', frequency: 'Monthly', statistic: 'max', of: 'TreatmentCareContact_Count', ...finished },
      { id: 'MIN', name: 'Min', frequency: 'Monthly', statistic: 'min', of: 'TreatmentCareContact_Count', ...finished },
      { id: 'R', name: 'Ratio', frequency: 'Monthly', statistic: 'ratio', of: 'CareContact_Count', per: 'TreatmentCareContact_Count', ...finished },
      { id: 'P', name: 'Pct', frequency: 'Monthly', statistic: 'percentage', numerator: [{ ...finished, where: 'CompletedTreatment_Flag AND Recovery_Flag' }], denominator: [{ ...finished }, { ...finished, where: 'CompletedTreatment_Flag AND NotCaseness_Flag', subtract: true }] },
    ];
    const { value } = await measure({ referrals }, defs);
    expect(value('S')).toBe(7 + 5 + 3 + 9);
    expect(value('MED')).toBe(6);
    expect(value('MAX')).toBe(9);
    expect(value('MIN')).toBe(3);
    expect(value('R')).toBeCloseTo(28 / 24, 6);
    expect(value('P')).toBeCloseTo(66.667, 2);
  });

  it('uses the quarter flag and bounds for a quarter', async () => {
    const quarter = referrals.map((r) => ({ ...r, UseQuarterReferral_Flag: true }));
    const { value } = await measure({ referrals: quarter }, ids('M001', 'M076'), { period: quarterPeriod('2024-Q2') });
    // April–June: received a, e, f, g, h (h is sent in the quarter); finished b, c, d, e.
    expect(value('M001')).toBe(5);
    expect(value('M076')).toBe(4);
  });

  it('splits by a breakdown, with overlapping categories counted in each', async () => {
    const people: Row[] = PATHWAYS.map(([id], i) => ({ Person_ID: `p${id}`, Gender: i % 2 ? '1' : '2', Age_RP_EndDate: 20 + 10 * i, Validated_EthnicCategory: i < 2 ? 'A' : 'N' }));
    const ethnic = ANNUAL_BREAKDOWNS.find((b) => b.type === 'Ethnic Group')!;
    const { cell } = await measure({ referrals, people }, ids('M076'), { breakdown: ethnic });
    // Finished: b (A), c, d, e (N).
    expect(cell('M076', 'England', 'all', 'all', 'White', 'All')!.value).toBe(1);
    expect(cell('M076', 'England', 'all', 'all', 'White', 'British')!.value).toBe(1);
    expect(cell('M076', 'England', 'all', 'all', 'Black or Black British', 'All')!.value).toBe(3);
    expect(cell('M076', 'England', 'all', 'all', 'Black or Black British', 'African')!.value).toBe(3);
    expect(cell('M076', 'Provider', 'RA1', 'all', 'Black or Black British', 'African')!.value).toBe(2);
  });

  it('counts contacts once each, as last sent, with their referral\'s organisations', async () => {
    const contacts: Row[] = [
      { Unique_CareContactID: 'RA1c1', PathwayID: 'a', CareContDate: '2024-05-10', AttendOrDNACode: '5', Unique_MonthID: 1502 },
      { Unique_CareContactID: 'RA1c1', PathwayID: 'a', CareContDate: '2024-05-10', AttendOrDNACode: '3', Unique_MonthID: 1501 },
      { Unique_CareContactID: 'RB2c1', PathwayID: 'e', CareContDate: '2024-05-01', AttendOrDNACode: '5', Unique_MonthID: 1502 },
    ];
    const defs: MeasureDefinition[] = [{ id: 'C', name: 'Attended', frequency: 'Monthly', statistic: 'count', unit: 'contact', date: 'd(CareContDate)', where: "AttendOrDNACode = '5'" }];
    const { value } = await measure({ referrals, contacts }, defs);
    expect(value('C')).toBe(2);
    expect(value('C', 'Provider', 'RB2')).toBe(1);
  });

  it('refuses a measure whose referral items need a table that is missing, naming it', async () => {
    // M352 reads the stepped-care stages, built from contacts and internet-enabled therapy logs.
    const contacts: Row[] = [{ Unique_CareContactID: 'c1', PathwayID: 'a', CareContDate: '2024-05-10', CareContTime: '10:00', AttendOrDNACode: '5', Unique_MonthID: 1502 }];
    await expect(measure({ referrals, contacts }, ids('M352'))).rejects.toThrow(/the stages items \(TreatmentStages\) need internetLog rows, whose table is missing/);
  });
});
