// SQL fragments generated from the dataset configuration: thresholds, tool ranges, problem-descriptor
// groups and therapy lists are never typed into the derivation SQL by hand.
import { ASSESSMENT_TOOLS, PROBLEM_DESCRIPTORS, THERAPY_TYPES, usableForOutcomes, type OutcomeMeasure } from '../dataset/index.js';

const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** Tools whose first and last scores are derived (all scored tools but the experience questionnaires). */
export const SCORED_TOOLS = ASSESSMENT_TOOLS.filter((t) => t.role !== 'peq' && t.role !== 'pcq' && t.score.kind !== 'coded');

/** VALUES list of (snomed, key, min, max) for the scored tools. */
export const toolValues = (): string =>
  SCORED_TOOLS.map((t) => `(${lit(t.snomed)}, ${lit(t.key)}, ${t.score.kind === 'coded' ? 0 : t.score.min}, ${t.score.kind === 'coded' ? 0 : t.score.max}, ${t.role === 'wsas'})`).join(', ');

/** CASE expression: the problem-descriptor group id of a validated code (first match wins). */
export function descriptorCase(code: string): string {
  const whens = PROBLEM_DESCRIPTORS.filter((p) => p.icd10Prefixes || p.snomed).map((p) => {
    const conds = [...(p.snomed ?? []).map((s) => `${code} = ${lit(s)}`), ...(p.icd10Prefixes ?? []).map((pre) => `starts_with(${code}, ${lit(pre)})`)];
    return `WHEN ${conds.join(' OR ')} THEN ${lit(p.id)}`;
  });
  return `CASE WHEN ${code} IS NULL OR ${code} IN ('', '-3') THEN 'NotStated' ${whens.join(' ')} ELSE 'OtherRecorded' END`;
}

export const descriptorNameCase = (id: string, field: 'name' | 'higher'): string =>
  `CASE ${id} ${PROBLEM_DESCRIPTORS.map((p) => `WHEN ${lit(p.id)} THEN ${lit(p[field])}`).join(' ')} END`;

/** The ADSMs of an outcomes table that judge outcomes (usableForOutcomes). */
export const usableAdsms = (outcomes: readonly OutcomeMeasure[]): OutcomeMeasure[] => outcomes.filter(usableForOutcomes);

/** CASE: the usable ADSM label for a descriptor id (null when none applies). */
export const adsmForDescriptor = (id: string, outcomes: readonly OutcomeMeasure[]): string => {
  const whens = usableAdsms(outcomes).flatMap((m) => m.problemDescriptors.map((pd) => `WHEN ${lit(pd)} THEN ${lit(m.key)}`));
  return whens.length ? `CASE ${id} ${whens.join(' ')} ELSE NULL END` : 'CAST(NULL AS VARCHAR)';
};

const measureOf = (outcomes: readonly OutcomeMeasure[], key: string): OutcomeMeasure => {
  const m = outcomes.find((o) => o.key === key);
  if (!m?.caseness || m.reliableChange === null) throw new Error(`the outcomes table has no thresholds for ${key}`);
  return m;
};
const compare = (m: OutcomeMeasure, x: string): string => `(${x} ${m.caseness!.op} ${m.caseness!.value})`;

/** At caseness on the anxiety measure `measure` (an ADSM label or 'GAD'). */
export function anxietyCaseness(measure: string, x: string, outcomes: readonly OutcomeMeasure[]): string {
  const gad = measureOf(outcomes, 'GAD');
  return `(CASE ${usableAdsms(outcomes).map((m) => `WHEN ${measure} = ${lit(m.key)} THEN ${compare(m, x)}`).join(' ')} ELSE ${compare(gad, x)} END)`;
}

/** The reliable-change threshold of the anxiety measure `measure`. */
export function anxietyReliableChange(measure: string, outcomes: readonly OutcomeMeasure[]): string {
  const gad = measureOf(outcomes, 'GAD');
  return `(CASE ${usableAdsms(outcomes).map((m) => `WHEN ${measure} = ${lit(m.key)} THEN ${m.reliableChange}`).join(' ')} ELSE ${gad.reliableChange} END)`;
}

export const depression = (outcomes: readonly OutcomeMeasure[]): OutcomeMeasure => measureOf(outcomes, 'PHQ9');
export const phq9Caseness = (x: string, outcomes: readonly OutcomeMeasure[]): string => compare(depression(outcomes), x);

export const therapyList = (intensity: 'low' | 'high' | 'employment'): string =>
  THERAPY_TYPES.filter((t) => t.intensity === intensity)
    .map((t) => lit(t.snomed))
    .join(', ');

export { THERAPY_TYPES, lit };
