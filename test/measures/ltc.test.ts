// Integrated (LTC) service measures (M271–M286) on hand-built referrals; May 2024 is the period.
import { describe, expect, it } from 'vitest';
import { measureById, withDependencies } from '../../src/measures/catalogue/index.js';
import { LTC } from '../../src/measures/catalogue/ltc.js';
import { measure, type Row } from './fixture.js';

// [id, first integrated contact, first integrated treatment, discharged, finished, caseness, not caseness, recovered, used]
type Spec = [string, string | null, string | null, string | null, boolean, boolean, boolean, boolean, boolean?];
const SPECS: Spec[] = [
  ['a', '2024-05-01', '2024-05-08', null, false, false, false, false], // integrated contact and treatment in May
  ['b', '2024-05-31', null, null, false, false, false, false], // contact on the period's last day, no treatment
  ['c', '2024-04-30', '2024-05-02', null, false, false, false, false], // contact in April, treatment in May
  ['d', '2024-06-01', '2024-06-01', null, false, false, false, false], // in June
  ['e', '2024-05-03', '2024-05-04', null, false, false, false, false, false], // not used for the period
  // Finishers discharged in May: integrated f (recovered), g (recovered), h (not at caseness), i (at caseness, not recovered).
  ['f', '2024-02-01', '2024-02-01', '2024-05-10', true, true, false, true],
  ['g', '2024-02-01', '2024-02-08', '2024-05-11', true, true, false, true],
  ['h', '2024-02-01', '2024-02-08', '2024-05-12', true, false, true, false],
  ['i', '2024-03-01', '2024-03-08', '2024-05-13', true, true, false, false],
  // Core only: j (recovered), k (at caseness), l, m (not at caseness), n (neither flag: no usable scores).
  ['j', null, null, '2024-05-14', true, true, false, true],
  ['k', null, null, '2024-05-15', true, true, false, false],
  ['l', null, null, '2024-05-16', true, false, true, false],
  ['m', null, null, '2024-05-17', true, false, true, false],
  ['n', null, null, '2024-05-18', true, false, false, false],
  // Not counted: discharged in April, discharged without finishing, integrated finisher not used for May.
  ['o', '2024-02-01', '2024-02-08', '2024-04-30', true, true, false, true],
  ['p', null, null, '2024-05-19', false, false, false, false],
  ['q', '2024-02-01', '2024-02-08', '2024-05-20', true, true, false, true, false],
];

const referrals: Row[] = SPECS.map(([id, contact, treatment, discharged, finished, caseness, notCaseness, recovered, used = true]) => ({
  PathwayID: id,
  Person_ID: `p${id}`,
  UsePathway_Flag: used,
  ReferralRequestReceivedDate: '2024-01-15',
  ServDischDate: discharged,
  IntegratedContact_FirstDate: contact,
  IntegratedTreatment_FirstDate: treatment,
  CompletedTreatment_Flag: finished,
  TreatmentCareContact_Count: finished ? 6 : 0,
  Caseness_Flag: caseness,
  NotCaseness_Flag: notCaseness,
  Recovery_Flag: recovered,
}));

describe('LTC measures', () => {
  it('M271, M272: first integrated contact and treatment in the period', async () => {
    const { value } = await measure({ referrals }, LTC.filter((m) => ['M271', 'M272'].includes(m.id)));
    expect(value('M271')).toBe(2); // a, b
    expect(value('M272')).toBe(2); // a, c
  });

  it('M273–M278: finishers with an integrated contact', async () => {
    const { value, cell } = await measure({ referrals }, withDependencies(['M273', 'M275', 'M276', 'M277', 'M278'].map((id) => measureById(id)!)));
    expect(value('M273')).toBe(4); // f, g, h, i
    expect(value('M275')).toBe(3); // f, g, i
    expect(value('M276')).toBe(1); // h
    expect(value('M277')).toBe(2); // f, g
    expect(value('M278')).toBeCloseTo(66.667, 2); // 2 / (4 − 1)
    expect(cell('M278')!.denominator).toBe(3);
  });

  it('M274, M283–M286: finishers without an integrated contact', async () => {
    const { value, cell } = await measure({ referrals }, withDependencies(['M274', 'M283', 'M284', 'M285', 'M286'].map((id) => measureById(id)!)));
    expect(value('M274')).toBe(5); // j, k, l, m, n
    expect(value('M283')).toBe(2); // j, k
    expect(value('M284')).toBe(2); // l, m
    expect(value('M285')).toBe(1); // j
    expect(value('M286')).toBeCloseTo(33.333, 2); // 1 / (5 − 2): n, with no usable scores, stays in the denominator
    expect(cell('M286')!.denominator).toBe(3);
  });

  it('splits integrated finishers by provider', async () => {
    const moved = referrals.map((r) => (r.PathwayID === 'f' ? { ...r, OrgID_Provider: 'RB2' } : r));
    const { value } = await measure({ referrals: moved }, LTC.filter((m) => m.id === 'M277'));
    expect(value('M277', 'Provider', 'RB2')).toBe(1);
    expect(value('M277', 'Provider', 'RA1')).toBe(1);
  });
});
