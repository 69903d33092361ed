// SQL fragments generated from the dataset configuration: thresholds, tool ranges, problem-descriptor
// groups and therapy lists are never typed into the derivation SQL by hand.
import { ASSESSMENT_TOOLS, PROBLEM_DESCRIPTORS, THERAPY_TYPES, usableForOutcomes, type OutcomeMeasure } from '../dataset/index.js';
import { DERIVED_INVALID, DESCRIPTOR_NOT_STATED, DESCRIPTOR_OTHER_RECORDED } from '../dataset/derivation.js';
import { caseOf, caseWhen, eq, isIn, list, literal, or, values } from '../core/sql.js';

/** Tools whose first and last scores are derived (all scored tools but the experience questionnaires). */
export const SCORED_TOOLS = ASSESSMENT_TOOLS.filter((t) => t.role !== 'peq' && t.role !== 'pcq' && t.score.kind !== 'coded');

/** VALUES rows of (snomed, key, min, max, wsas) for the scored tools. */
export const toolValues = (): string =>
  values(SCORED_TOOLS.map((t) => [t.snomed, t.key, t.score.kind === 'coded' ? 0 : t.score.min, t.score.kind === 'coded' ? 0 : t.score.max, t.role === 'wsas']));

/** CASE expression: the problem-descriptor group id of a validated code (first match wins). */
export function descriptorCase(code: string): string {
  const groups = PROBLEM_DESCRIPTORS.filter((p) => p.icd10Prefixes || p.snomed).map((p): [string, string] => [
    or(...(p.snomed ?? []).map((s) => eq(code, s)), ...(p.icd10Prefixes ?? []).map((pre) => `starts_with(${code}, ${literal(pre)})`)),
    literal(p.id),
  ]);
  return caseWhen([[`${code} IS NULL OR ${isIn(code, ['', DERIVED_INVALID])}`, literal(DESCRIPTOR_NOT_STATED)], ...groups], literal(DESCRIPTOR_OTHER_RECORDED));
}

export const descriptorNameCase = (id: string, field: 'name' | 'higher'): string => caseOf(id, PROBLEM_DESCRIPTORS.map((p) => [p.id, literal(p[field])]));

/** The ADSMs of an outcomes table that judge outcomes (usableForOutcomes). */
export const usableAdsms = (outcomes: readonly OutcomeMeasure[]): OutcomeMeasure[] => outcomes.filter(usableForOutcomes);

/** CASE: the usable ADSM label for a descriptor id (null when none applies). */
export const adsmForDescriptor = (id: string, outcomes: readonly OutcomeMeasure[]): string =>
  caseOf(
    id,
    usableAdsms(outcomes).flatMap((m) => m.problemDescriptors.map((pd): [string, string] => [pd, literal(m.key)])),
    'CAST(NULL AS VARCHAR)',
  );

/** The measure of a role (PHQ-9 for depression, GAD-7 for anxiety), with both its thresholds. */
const measureOf = (outcomes: readonly OutcomeMeasure[], role: 'depression' | 'anxiety'): OutcomeMeasure => {
  const m = outcomes.find((o) => o.role === role);
  if (!m?.caseness || m.reliableChange === null) throw new Error(`the outcomes table has no thresholds for the ${role} measure`);
  return m;
};
const compare = (m: OutcomeMeasure, x: string): string => `(${x} ${m.caseness!.op} ${literal(m.caseness!.value)})`;

/** At caseness on the anxiety measure `measure` (an ADSM label or 'GAD'). */
export function anxietyCaseness(measure: string, x: string, outcomes: readonly OutcomeMeasure[]): string {
  const gad = anxiety(outcomes);
  return `(${caseOf(measure, usableAdsms(outcomes).map((m): [string, string] => [m.key, compare(m, x)]), compare(gad, x))})`;
}

/** The reliable-change threshold of the anxiety measure `measure`. */
export function anxietyReliableChange(measure: string, outcomes: readonly OutcomeMeasure[]): string {
  const gad = anxiety(outcomes);
  return `(${caseOf(measure, usableAdsms(outcomes).map((m): [string, string] => [m.key, literal(m.reliableChange)]), literal(gad.reliableChange))})`;
}

/** PHQ-9, the depression measure. */
export const depression = (outcomes: readonly OutcomeMeasure[]): OutcomeMeasure => measureOf(outcomes, 'depression');
/** GAD-7, the anxiety measure of every referral whose ADSM does not judge outcomes (its ADSM label is its key, GAD). */
export const anxiety = (outcomes: readonly OutcomeMeasure[]): OutcomeMeasure => measureOf(outcomes, 'anxiety');
export const phq9Caseness = (x: string, outcomes: readonly OutcomeMeasure[]): string => compare(depression(outcomes), x);

/** The SNOMED CT codes of the therapies of an intensity, as a SQL list. */
export const therapyList = (intensity: 'low' | 'high' | 'employment'): string => list(THERAPY_TYPES.filter((t) => t.intensity === intensity).map((t) => t.snomed));

export { THERAPY_TYPES };
