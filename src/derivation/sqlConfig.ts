// SQL fragments generated from the dataset configuration: thresholds, tool ranges, problem-descriptor
// groups and therapy lists are never typed into the derivation SQL by hand.
import { ASSESSMENT_TOOLS, OUTCOME_MEASURES, PROBLEM_DESCRIPTORS, THERAPY_TYPES, type OutcomeMeasure } from '../dataset/index.js';

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

/** ADSMs usable for outcomes: mapped to a descriptor, with an accepted tool and both thresholds. */
export const USABLE_ADSMS = OUTCOME_MEASURES.filter((m) => m.role === 'adsm' && m.toolKey && m.caseness && m.reliableChange !== null);

/** CASE: the ADSM label for a descriptor id (null when none applies). */
export const adsmForDescriptor = (id: string): string =>
  `CASE ${id} ${USABLE_ADSMS.flatMap((m) => m.problemDescriptors.map((pd) => `WHEN ${lit(pd)} THEN ${lit(m.key)}`)).join(' ')} ELSE NULL END`;

const compare = (m: OutcomeMeasure, x: string): string => `(${x} ${m.caseness!.op} ${m.caseness!.value})`;

/** At caseness on the anxiety measure: the ADSM's cut-off when `adsm` is set, else GAD-7's. */
export function anxietyCaseness(adsm: string, x: string): string {
  const gad = OUTCOME_MEASURES.find((m) => m.key === 'GAD')!;
  return `(CASE ${USABLE_ADSMS.map((m) => `WHEN ${adsm} = ${lit(m.key)} THEN ${compare(m, x)}`).join(' ')} ELSE ${compare(gad, x)} END)`;
}

/** The reliable-change threshold of the anxiety measure. */
export function anxietyReliableChange(adsm: string): string {
  const gad = OUTCOME_MEASURES.find((m) => m.key === 'GAD')!;
  return `(CASE ${USABLE_ADSMS.map((m) => `WHEN ${adsm} = ${lit(m.key)} THEN ${m.reliableChange}`).join(' ')} ELSE ${gad.reliableChange} END)`;
}

export const phq9 = OUTCOME_MEASURES.find((m) => m.key === 'PHQ9')!;
export const phq9Caseness = (x: string): string => compare(phq9, x);

export const therapyList = (intensity: 'low' | 'high' | 'employment'): string =>
  THERAPY_TYPES.filter((t) => t.intensity === intensity)
    .map((t) => lit(t.snomed))
    .join(', ');

export { THERAPY_TYPES, lit };
