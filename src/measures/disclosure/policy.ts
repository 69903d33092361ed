// Statistical disclosure control of published measures (measures-and-outcomes.md §2.4).
//
// nhs-tt (default, as NHS England publishes): England values unrounded; below England a count under 5
// (including 0) is `*` and any other is rounded to the nearest 5 (halves away from zero); percentages and
// means are computed from unrounded counts, and are `*` when their numerator count is suppressed or their
// denominator is under 5; percentages to 1 decimal place for England and whole numbers below it.
// opensafely (option): counts of 7 or less are `*`, others rounded to the nearest 5, at every level;
// percentages and means are recomputed from the rounded counts.
// The numbers are THRESHOLDS below; the release check (check.ts) verifies published files against the same.
// A sum (of appointments, of minutes) or a total of counts is disclosed as a count; medians, maxima, minima and ratios as means
// (suppressed over fewer than 5 rows; the opensafely policy over a redacted row count).
//
// `NULL` is not a disclosure marker but NHS England's "not applicable": a column a breakdown row does not publish
// (annual file), and under nhs-tt in the annual file an England percentage whose denominator is zero
// (discloseAnnual), which also publishes England percentages over denominators of 1 to 4. Evidence (measures_annual 2017-18 to 2024-25, reference/nhs/measures_annual_2024-25_markers.parquet):
// England cells are never `*`, so a 0/0 there cannot be a suppression; below England a percentage over zero is `*`
// like any over fewer than 5 (2024-25 Mental Health Care Cluster "Cognitive impairment or dementia": 20 finishers in
// England, so at least 127 of the 147 providers have none, and all 147 provider percentages are `*`, none NULL).

import type { Statistic } from '../definition.js';

export type { Statistic };
export type GroupType = 'England' | 'CommissioningRegion' | 'ICB' | 'SubICB' | 'Provider' | 'SubICB/Provider';
export type PolicyName = 'nhs-tt' | 'opensafely';
export const SUPPRESSED = '*';

/**
 * Per policy: which counts are too small to publish (also a percentage's or mean's denominator, and under nhs-tt a
 * percentage's numerator), the release check's words for one published, and the multiple the others are rounded to.
 */
export const THRESHOLDS: Readonly<Record<PolicyName, { tooSmall: (n: number) => boolean; whenPublished: string; roundTo: number }>> = {
  'nhs-tt': { tooSmall: (n) => n < 5, whenPublished: 'count under 5 not suppressed', roundTo: 5 },
  opensafely: { tooSmall: (n) => n <= 7, whenPublished: 'count of 7 or less not redacted', roundTo: 5 },
};
export const tooSmall = (n: number, policy: PolicyName): boolean => THRESHOLDS[policy].tooSmall(n);
/** Not applicable, as NHS England publishes it. */
export const NOT_APPLICABLE = 'NULL';

/** Statistics disclosed by the count rules. */
export const isCountLike = (s: Statistic): boolean => s === 'count' || s === 'sum' || s === 'total';
const places = (s: Statistic): number => (s === 'max' || s === 'min' ? 0 : 1);

/** One value to publish, unrounded, with what it was computed from. */
export interface Cell {
  groupType: GroupType;
  statistic: Statistic;
  /** The count (for counts), or the percentage / mean / median computed from unrounded inputs. */
  value: number | null;
  /** For percentages and means: the numerator count (percentages) and the denominator count. */
  numerator?: number;
  denominator?: number;
}

/** Rounds to the nearest multiple of `base`, halves away from zero (as T-SQL ROUND does). */
export function roundToNearest(value: number, base: number): number {
  return Math.sign(value) * Math.floor(Math.abs(value) / base + 0.5) * base;
}

/** Rounds to `places` decimal places, halves away from zero, on the decimal value (not the binary float). */
export function roundHalfAway(value: number, places: number): number {
  const factor = 10 ** places;
  return (Math.sign(value) * Math.round(Number((Math.abs(value) * factor).toPrecision(12)))) / factor;
}

const format = (value: number, places: number): string => roundHalfAway(value, places).toFixed(places);

function nhsTt(cell: Cell): string {
  if (cell.value === null) return SUPPRESSED;
  const england = cell.groupType === 'England';
  if (isCountLike(cell.statistic)) {
    if (england) return String(cell.value);
    return tooSmall(cell.value, 'nhs-tt') ? SUPPRESSED : String(roundToNearest(cell.value, THRESHOLDS['nhs-tt'].roundTo));
  }
  const numeratorSuppressed = cell.statistic === 'percentage' && !england && tooSmall(cell.numerator ?? 0, 'nhs-tt');
  if (numeratorSuppressed || tooSmall(cell.denominator ?? 0, 'nhs-tt')) return SUPPRESSED;
  if (cell.statistic === 'percentage') return format(cell.value, england ? 1 : 0);
  return format(cell.value, places(cell.statistic));
}

function openSafely(cell: Cell): string {
  if (cell.value === null) return SUPPRESSED;
  const safe = (n: number): number | null => (tooSmall(n, 'opensafely') ? null : roundToNearest(n, THRESHOLDS.opensafely.roundTo));
  if (isCountLike(cell.statistic)) {
    const v = safe(cell.value);
    return v === null ? SUPPRESSED : String(v);
  }
  const denominator = safe(cell.denominator ?? 0);
  if (denominator === null) return SUPPRESSED;
  if (cell.statistic === 'percentage') {
    const numerator = safe(cell.numerator ?? 0);
    return numerator === null ? SUPPRESSED : format((100 * numerator) / denominator, 1);
  }
  return format(cell.value, places(cell.statistic));
}

export const POLICIES: Record<PolicyName, (cell: Cell) => string> = { 'nhs-tt': nhsTt, opensafely: openSafely };

export function disclose(cell: Cell, policy: PolicyName = 'nhs-tt'): string {
  return POLICIES[policy](cell);
}

/**
 * A cell of the annual file: as `disclose`, except that under nhs-tt an England percentage whose denominator is zero
 * is NULL (it has no value, and England is not suppressed in the annual file). Below England it stays `*`.
 */
export function discloseAnnual(cell: Cell, policy: PolicyName = 'nhs-tt'): string {
  if (policy === 'nhs-tt' && cell.groupType === 'England' && cell.statistic === 'percentage') {
    // England is never `*` in the annual file, even over a handful of finishers (2022-23 "Medically Unexplained
    // Symptoms": 3 finishers, improvement 33.3; 2023-24: 4 finishers, recovery 100).
    if ((cell.denominator ?? 0) === 0 || cell.value === null) return NOT_APPLICABLE;
    return format(cell.value, 1);
  }
  return disclose(cell, policy);
}
