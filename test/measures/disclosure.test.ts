import { describe, expect, it } from 'vitest';
import { checkCells } from '../../src/measures/disclosure/check.js';
import { disclose, discloseAnnual, roundToNearest, type Cell } from '../../src/measures/disclosure/policy.js';

const count = (value: number, groupType: Cell['groupType'] = 'Provider'): Cell => ({ groupType, statistic: 'count', value });
const pct = (numerator: number, denominator: number, groupType: Cell['groupType'] = 'Provider'): Cell => ({ groupType, statistic: 'percentage', value: (100 * numerator) / denominator, numerator, denominator });

describe('nhs-tt disclosure control', () => {
  it.each([
    [0, '*'],
    [4, '*'],
    [5, '5'],
    [7, '5'],
    [8, '10'],
    [12, '10'],
    [13, '15'],
    [1234, '1235'],
  ])('publishes a sub-national count of %i as %s', (n, expected) => {
    expect(disclose(count(n))).toBe(expected);
  });

  it('publishes England counts unrounded, including small ones', () => {
    expect(disclose(count(0, 'England'))).toBe('0');
    expect(disclose(count(1829202, 'England'))).toBe('1829202');
  });

  it('computes percentages from unrounded counts: whole numbers below England, 1 decimal place for England', () => {
    expect(disclose(pct(13, 26))).toBe('50');
    expect(disclose(pct(318013, 634484, 'England'))).toBe('50.1');
    expect(disclose(pct(7, 12))).toBe('58');
  });

  it('suppresses a percentage whose numerator is suppressed or whose denominator is under 5', () => {
    expect(disclose(pct(4, 40))).toBe('*');
    expect(disclose(pct(0, 40))).toBe('*');
    expect(disclose(pct(4, 4))).toBe('*');
    expect(disclose(pct(5, 5))).toBe('100');
    expect(disclose(pct(4, 4, 'England'))).toBe('*');
    expect(disclose(pct(3, 8, 'England'))).toBe('37.5');
  });

  it('suppresses a mean over fewer than 5, and gives 1 decimal place otherwise', () => {
    expect(disclose({ groupType: 'Provider', statistic: 'mean', value: 7.25, denominator: 4 })).toBe('*');
    expect(disclose({ groupType: 'Provider', statistic: 'mean', value: 7.25, denominator: 12 })).toBe('7.3');
  });

  it('rounds halves away from zero', () => {
    expect(roundToNearest(7.5, 5)).toBe(10);
    expect(roundToNearest(12.5, 5)).toBe(15);
    expect(roundToNearest(2.5, 5)).toBe(5);
  });
});

describe('the annual file: a percentage whose denominator is zero', () => {
  // measures_annual 2017-18 to 2024-25 (test/measures/annualLayout.test.ts): England is never *, and below England a
  // percentage over zero finishers is *; NULL is NHS England's "not applicable".
  it('is NULL for England and * below England (nhs-tt), * under opensafely', () => {
    const none = (groupType: Cell['groupType']): Cell => ({ groupType, statistic: 'percentage', value: null, numerator: 0, denominator: 0 });
    expect(discloseAnnual(none('England'))).toBe('NULL');
    expect(discloseAnnual(none('Provider'))).toBe('*');
    expect(discloseAnnual(none('ICB'))).toBe('*');
    expect(discloseAnnual(none('England'), 'opensafely')).toBe('*');
  });

  it('publishes an England percentage over 1 to 4 finishers (nhs-tt), as NHS England does', () => {
    // measures_annual, England, Presenting Complaint "Medically Unexplained Symptoms": 2022-23, 3 finishers,
    // improvement 33.3 (1 of 3); 2023-24, 4 finishers, recovery 100 (4 of 4). Monthly and quarterly files keep *.
    expect(discloseAnnual(pct(1, 3, 'England'))).toBe('33.3');
    expect(discloseAnnual(pct(4, 4, 'England'))).toBe('100.0');
    expect(disclose(pct(1, 3, 'England'))).toBe('*');
    expect(discloseAnnual(pct(1, 3, 'Provider'))).toBe('*');
    expect(discloseAnnual(pct(1, 3, 'England'), 'opensafely')).toBe('*');
  });

  it('leaves every other cell to the policy', () => {
    expect(discloseAnnual(pct(3, 8, 'England'))).toBe('37.5');
    expect(discloseAnnual(pct(0, 8, 'England'))).toBe('0.0');
    expect(discloseAnnual(count(0, 'England'))).toBe('0');
    expect(discloseAnnual({ groupType: 'England', statistic: 'mean', value: null, denominator: 0 })).toBe('*');
  });
});

describe('opensafely disclosure control', () => {
  it.each([
    [0, '*'],
    [5, '*'],
    [7, '*'],
    [8, '10'],
    [12, '10'],
    [13, '15'],
  ])('publishes a count of %i as %s, at every level', (n, expected) => {
    expect(disclose(count(n), 'opensafely')).toBe(expected);
    expect(disclose(count(n, 'England'), 'opensafely')).toBe(expected);
  });

  it('recomputes percentages from the rounded counts', () => {
    expect(disclose(pct(13, 28), 'opensafely')).toBe('50.0');
    expect(disclose(pct(7, 28), 'opensafely')).toBe('*');
  });
});

describe('the release checker', () => {
  it('accepts what the policy produced and catches tampered cells', () => {
    const published = [
      { where: 'row 1', groupType: 'Provider' as const, statistic: 'count' as const, value: disclose(count(13)) },
      { where: 'row 2', groupType: 'Provider' as const, statistic: 'count' as const, value: disclose(count(4)) },
      { where: 'row 3', groupType: 'Provider' as const, statistic: 'percentage' as const, value: disclose(pct(13, 26)), numeratorValue: '15' },
      { where: 'row 4', groupType: 'England' as const, statistic: 'count' as const, value: '3' },
      // Not applicable (NHS England's NULL) discloses nothing.
      { where: 'row 6', groupType: 'Provider' as const, statistic: 'percentage' as const, value: 'NULL', numeratorValue: 'NULL' },
    ];
    expect(checkCells(published, 'nhs-tt')).toEqual([]);
    const tampered = [
      { ...published[0]!, value: '13' },
      { ...published[1]!, value: '4' },
      { ...published[2]!, value: '50', numeratorValue: '*' },
      { where: 'row 5', groupType: 'Provider' as const, statistic: 'percentage' as const, value: '50.5' },
    ];
    expect(checkCells(tampered, 'nhs-tt').map((v) => `${v.where}: ${v.problem}`)).toEqual([
      'row 1: count not rounded to a multiple of 5',
      'row 2: count not rounded to a multiple of 5',
      'row 2: count under 5 not suppressed',
      'row 3: percentage published while its numerator is suppressed',
      'row 5: sub-national percentage not a whole number',
    ]);
  });
});
