// The outcome items of IDS101 (finished course, caseness, recovery, reliable change, PPSM) as data: each a name and
// the SQL expression that derives it from the columns before it. Layers are evaluated in order, each seeing the
// items of the layers before; working items (lower case) are dropped from the table. Definitions: docs/derivations.md.
import type { OutcomeMeasure } from '../dataset/index.js';
import { FINISHED_COURSE_TREATMENT_APPOINTMENTS, PPS_TOOLS } from '../dataset/derivation.js';
import { caseWhen, literal } from '../core/sql.js';
import { anxietyCaseness, anxietyReliableChange, depression, phq9Caseness } from './sqlConfig.js';

export interface DerivationContext {
  /** Last day of the period (YYYY-MM-DD): the end of a referral's span while it is open. */
  periodEnd: string;
  /** The outcome configuration table (src/dataset/outcomes.ts), or a test's own. */
  outcomes: readonly OutcomeMeasure[];
}

export interface DerivedItem {
  name: string;
  sql(ctx: DerivationContext): string;
}

const phqCase = (x: string, ctx: DerivationContext) => phq9Caseness(x, ctx.outcomes);
const anxCase = (x: string, ctx: DerivationContext) => anxietyCaseness('ADSM', x, ctx.outcomes);
const fall = (first: string, last: string, rc: string) => `(round(${first} - ${last}, 2) >= ${rc})`;
const rise = (first: string, last: string, rc: string) => `(round(${last} - ${first}, 2) >= ${rc})`;
const rcPhq = (ctx: DerivationContext) => literal(depression(ctx.outcomes).reliableChange);
const rcAnx = (ctx: DerivationContext) => anxietyReliableChange('ADSM', ctx.outcomes);

const item = (name: string, sql: (ctx: DerivationContext) => string): DerivedItem => ({ name, sql });

/** Finished a course of treatment (M076): discharged after at least two treatment appointments. */
const completedTreatment = item(
  'CompletedTreatment_Flag',
  () => `ServDischDate IS NOT NULL AND trim(ServDischDate) <> '' AND TreatmentCareContact_Count >= ${literal(FINISHED_COURSE_TREATMENT_APPOINTMENTS)}`,
);
/** Paired: both the PHQ-9 and the anxiety measure have a last score. */
const paired = item('paired', () => 'PHQ9_LastScore IS NOT NULL AND ADSM_LastScore IS NOT NULL');

/**
 * PPSM and its scores: for a referral with an integrated (LTC) contact, the first tool of PPS_TOOLS with a first
 * score; the last tool is taken without asking (its scores are then null when it has none).
 */
const ppsPick = (value: (tool: string) => string, lastValue: (tool: string) => string): string => {
  const preferred = PPS_TOOLS.slice(0, -1).map((t): [string, string] => [`${t}_FirstScore IS NOT NULL`, value(t)]);
  return caseWhen([['IntegratedContact_FirstDate IS NULL', 'NULL'], ...preferred], lastValue(PPS_TOOLS[PPS_TOOLS.length - 1]!));
};
const ppsItems = [
  item('PPSM', () => ppsPick(literal, (t) => caseWhen([[`${t}_FirstScore IS NOT NULL`, literal(t)]]))),
  item('PPSM_FirstScore', () => ppsPick((t) => `${t}_FirstScore`, (t) => `${t}_FirstScore`)),
  item('PPSM_LastScore', () => ppsPick((t) => `${t}_LastScore`, (t) => `${t}_LastScore`)),
];

/** At caseness at the start: PHQ-9 or the anxiety measure's first score at its cut-off. */
const caseness = item('Caseness_Flag', (ctx) => `coalesce(${phqCase('PHQ9_FirstScore', ctx)}, false) OR coalesce(${anxCase('ADSM_FirstScore', ctx)}, false)`);
const notCaseness = item(
  'NotCaseness_Flag',
  (ctx) => `coalesce(CompletedTreatment_Flag AND PHQ9_FirstScore IS NOT NULL AND ADSM_FirstScore IS NOT NULL AND NOT ${phqCase('PHQ9_FirstScore', ctx)} AND NOT ${anxCase('ADSM_FirstScore', ctx)}, false)`,
);
/** A reliable fall (improvement) on PHQ-9 or the anxiety measure. */
const fallAny = item('fall_any', (ctx) => `coalesce(${fall('PHQ9_FirstScore', 'PHQ9_LastScore', rcPhq(ctx))} OR ${fall('ADSM_FirstScore', 'ADSM_LastScore', rcAnx(ctx))}, false)`);
/** A reliable rise (deterioration) on PHQ-9 or the anxiety measure. */
const riseAny = item('rise_any', (ctx) => `coalesce(${rise('PHQ9_FirstScore', 'PHQ9_LastScore', rcPhq(ctx))} OR ${rise('ADSM_FirstScore', 'ADSM_LastScore', rcAnx(ctx))}, false)`);

const recovery = item(
  'Recovery_Flag',
  (ctx) => `coalesce(CompletedTreatment_Flag AND Caseness_Flag AND paired AND NOT ${phqCase('PHQ9_LastScore', ctx)} AND NOT ${anxCase('ADSM_LastScore', ctx)}, false)`,
);
/** Finished, paired, a reliable fall on at least one measure and a reliable rise on neither. */
const reliableImprovement = item('ReliableImprovement_Flag', () => 'coalesce(CompletedTreatment_Flag AND paired AND fall_any AND NOT rise_any, false)');
const reliableDeterioration = item('ReliableDeterioration_Flag', () => 'coalesce(CompletedTreatment_Flag AND paired AND rise_any AND NOT fall_any, false)');
const noChange = item('NoChange_Flag', () => 'coalesce(CompletedTreatment_Flag AND paired AND NOT (fall_any AND NOT rise_any) AND NOT (rise_any AND NOT fall_any), false)');
const adsmScoreCaseness = [
  item('ADSM_FirstScoreAtCaseness', (ctx) => `CASE WHEN ADSM_FirstScore IS NOT NULL THEN ${anxCase('ADSM_FirstScore', ctx)} END`),
  item('ADSM_FirstScoreNotAtCaseness', (ctx) => `CASE WHEN ADSM_FirstScore IS NOT NULL THEN NOT ${anxCase('ADSM_FirstScore', ctx)} END`),
  item('ADSM_LastScoreNotAtCaseness', (ctx) => `CASE WHEN ADSM_LastScore IS NOT NULL THEN NOT ${anxCase('ADSM_LastScore', ctx)} END`),
];
const reliableRecovery = item('ReliableRecovery_Flag', () => 'coalesce(Recovery_Flag AND ReliableImprovement_Flag, false)');

/** The outcome items in evaluation order: each layer reads the items of the layers before it. */
export const OUTCOME_LAYERS: readonly (readonly DerivedItem[])[] = [
  [paired, completedTreatment, ...ppsItems],
  [caseness, notCaseness, fallAny, riseAny],
  [recovery, reliableImprovement, reliableDeterioration, noChange, ...adsmScoreCaseness],
  [reliableRecovery],
];

/** An outcome item by name (so a test can read what it compiles to). */
export function outcomeItem(name: string): DerivedItem {
  const found = OUTCOME_LAYERS.flat().find((i) => i.name === name);
  if (!found) throw new Error(`no outcome item ${name}`);
  return found;
}

/** The working columns of the earlier steps (with_anxiety) that IDS101 does not keep. */
const WORKING_INPUTS = ['adsm_candidate', 'adsm_first', 'adsm_last'];
const isWorking = (name: string) => name === name.toLowerCase();

/** `SELECT` of the layers over `source`, dropping the working columns. */
export function outcomeSelect(source: string, ctx: DerivationContext, layers: readonly (readonly DerivedItem[])[] = OUTCOME_LAYERS): string {
  const columns = (items: readonly DerivedItem[]) => items.map((i) => `${i.sql(ctx)} AS ${i.name}`).join(', ');
  const inner = layers.slice(0, -1).reduce((from, items) => `(SELECT *, ${columns(items)} FROM ${from})`, source);
  const working = [...WORKING_INPUTS, ...layers.flat().map((i) => i.name).filter(isWorking)];
  return `SELECT * EXCLUDE (${working.join(', ')}), ${columns(layers[layers.length - 1]!)} FROM ${inner}`;
}
