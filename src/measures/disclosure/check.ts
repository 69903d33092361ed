// Re-verifies published values against a policy, cell by cell: every problem is reported, none is fixed.
import { isCountLike, NOT_APPLICABLE, SUPPRESSED, THRESHOLDS, tooSmall, type GroupType, type PolicyName, type Statistic } from './policy.js';

export interface PublishedCell {
  /** Where the cell is, for the message (e.g. "row 12"). */
  where: string;
  groupType: GroupType;
  statistic: Statistic;
  value: string;
  /** The published value of the numerator count, for percentages. */
  numeratorValue?: string;
  /** The published value of a count the percentage or mean is taken over (when the file holds it). */
  denominatorValue?: string;
}

export interface Violation {
  where: string;
  value: string;
  problem: string;
}

const isNumber = (s: string): boolean => /^-?\d+(\.\d+)?$/.test(s);

/** What is wrong with one published cell under `policy` (nothing: an empty list). */
export function cellProblems(c: Omit<PublishedCell, 'where'>, policy: PolicyName): string[] {
  const problems: string[] = [];
  // Suppressed, or not applicable (NHS England's NULL): nothing disclosed.
  if (c.value === SUPPRESSED || c.value === NOT_APPLICABLE) return problems;
  if (!isNumber(c.value)) return [`not a number, ${SUPPRESSED} or ${NOT_APPLICABLE}`];
  const n = Number(c.value);
  const subNational = c.groupType !== 'England' || policy === 'opensafely';
  if (isCountLike(c.statistic) && subNational) {
    const { roundTo, whenPublished } = THRESHOLDS[policy];
    if (n % roundTo !== 0) problems.push(`count not rounded to a multiple of ${roundTo}`);
    if (tooSmall(n, policy)) problems.push(whenPublished);
  }
  if (isCountLike(c.statistic) && !Number.isInteger(n)) problems.push('count is not a whole number');
  if (c.statistic === 'percentage') {
    if (n < 0 || n > 100) problems.push('percentage outside 0–100');
    if (c.numeratorValue === SUPPRESSED) problems.push('percentage published while its numerator is suppressed');
    if (c.denominatorValue === SUPPRESSED) problems.push('percentage published while its denominator is suppressed');
    if (policy === 'nhs-tt' && c.groupType !== 'England' && !Number.isInteger(n)) problems.push('sub-national percentage not a whole number');
  }
  if (!isCountLike(c.statistic) && c.statistic !== 'percentage' && c.denominatorValue === SUPPRESSED) problems.push(`${c.statistic} published over a suppressed count`);
  return problems;
}

export function checkCells(cells: readonly PublishedCell[], policy: PolicyName): Violation[] {
  return cells.flatMap((c) => cellProblems(c, policy).map((problem) => ({ where: c.where, value: c.value, problem })));
}
