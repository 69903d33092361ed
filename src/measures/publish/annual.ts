// The annual "main" file in NHS England's wide layout (metadata_measures_annual, measures_annual 2024-25):
// one row per organisation × breakdown category, one column per measure; NULL where NHS England publishes it (a
// column a breakdown's rows do not hold: breakdowns.ts) and for an England percentage over zero (discloseAnnual).
import { col, eq, isIn } from '../../core/sql.js';
import { codeList } from '../../dataset/index.js';
import { FOLLOW_UP_APPOINTMENT } from '../../dataset/measureCodes.js';
import { ANNUAL_BREAKDOWNS, TOTAL, type Breakdown, type Category, type PublishedColumn } from '../breakdowns.js';
import { measureById, withDependencies } from '../catalogue/index.js';
import { appliesTo, type MeasureValue } from '../compute.js';
import { discloseAnnual, NOT_APPLICABLE, type GroupType, type PolicyName, type Statistic } from '../disclosure/policy.js';
import { csvLine } from './csv.js';
import { attendedContact, ENDED, RECEIVED, and, days, finishers, treatmentAppointment, type MeasureDefinition, type ReferralItems } from '../definition.js';

export type AnnualColumn =
  /** The same measure as a catalogue measure. */
  | { column: string; measure: string; over?: string }
  /** A measure of the annual file only. */
  | { column: string; define: MeasureDefinition; over?: string }
  /** The row's count as a percentage of the organisation's total (all categories of the variable type). */
  | { column: string; shareOf: string };

type Body<T = MeasureDefinition> = T extends unknown ? Omit<T, 'id' | 'name' | 'frequency'> : never;
const annual = (column: string, definition: Body): MeasureDefinition => ({ id: column, name: column, frequency: 'Monthly', ...definition }) as MeasureDefinition;
const duration = (alias?: string) => `try_cast(${col(alias, 'ClinContDurOfCareCont')} AS DOUBLE)`;
const timedTreatment = (alias?: string) => and(attendedContact(alias), treatmentAppointment(alias), `${duration(alias)} > 0`);
const DURATION = duration();
const TIMED_TREATMENT = timedTreatment();
/** Per referral: the minutes of its timed treatment contacts, and whether it had a follow-up 30 days or more after its end. */
export const ANNUAL_ITEMS: ReferralItems = {
  name: 'annual',
  needs: ['contact'],
  columns: { TreatmentContactDuration_Total: 'DOUBLE', FollowUp_30DaysAfterEnd: 'BOOLEAN' },
  sql:
    `SELECT c.PathwayID, sum(${duration('c')}) FILTER (WHERE ${timedTreatment('c')}) AS TreatmentContactDuration_Total, ` +
    `coalesce(bool_or(${eq('c.AppType', FOLLOW_UP_APPOINTMENT)} AND ${days('d(c.ServDischDate)', 'd(c.CareContDate)')} >= 30), false) AS FollowUp_30DaysAfterEnd FROM m_contact c GROUP BY c.PathwayID`,
};
const referralDuration = 'TreatmentContactDuration_Total';
const FIRST_SIX_MONTHS = `d(ServDischDate) BETWEEN $start AND $start + INTERVAL 6 MONTH - INTERVAL 1 DAY`;
const FOLLOW_UP = 'coalesce(FollowUp_30DaysAfterEnd, false)';
/** BAFIndicatorCompletion: an ExBAFIndicator of the code list recorded, its Unknown and Not stated codes included. */
const BAF_RECORDED = isIn('ExBAFIndicator', codeList('ExBAFIndicator').values.map((v) => v.code));

/** Identification columns, then the measure columns in published order. */
export const ANNUAL_KEY_COLUMNS = ['OrgType', 'OrgCode', 'OrgName', 'VariableType', 'VariableA', 'VariableB'] as const;

export const ANNUAL_COLUMNS: readonly AnnualColumn[] = [
  { column: 'Count_ReferralsReceived', measure: 'M001' },
  { column: 'Count_AccessingServices', measure: 'M031' },
  { column: 'Count_SecondTreatment', measure: 'M184' },
  { column: 'Count_FinishedCourseTreatment', measure: 'M076' },
  { column: 'Percentage_FinishedCourseTreatment', shareOf: 'Count_FinishedCourseTreatment' },
  { column: 'Count_EndedReferrals', measure: 'M056' },
  { column: 'Count_EndedBeforeTreatment', define: annual('Count_EndedBeforeTreatment', { statistic: 'count', date: ENDED, where: 'coalesce(TreatmentCareContact_Count, 0) = 0' }) },
  { column: 'Count_EndedAfterOneTreatment', measure: 'M075' },
  { column: 'Mean_ApptsFinishedCourseTreatment', measure: 'M141', over: 'Count_FinishedCourseTreatment' },
  { column: 'Mean_WaitAccessingServices', measure: 'M048', over: 'Count_AccessingServices' },
  { column: 'Mean_WaitCompletedTreatment', measure: 'M050', over: 'Count_FinishedCourseTreatment' },
  { column: 'Count_AppropriatePairedADSM', measure: 'M204' },
  { column: 'Percentage_AppropriatePairedADSM', measure: 'M205' },
  { column: 'Count_AtCaseness', define: annual('Count_AtCaseness', { statistic: 'count', ...finishers('Caseness_Flag') }) },
  { column: 'Count_NotAtCaseness', measure: 'M179' },
  { column: 'Count_Improvement', measure: 'M185' },
  { column: 'Percentage_Improvement', measure: 'M186', over: 'Count_FinishedCourseTreatment' },
  { column: 'Count_NoReliableChange', measure: 'M187' },
  { column: 'Percentage_NoReliableChange', define: annual('Percentage_NoReliableChange', { statistic: 'percentage', numerator: ['M187'], denominator: ['M076'] }), over: 'Count_FinishedCourseTreatment' },
  { column: 'Count_Deterioration', measure: 'M189' },
  { column: 'Percentage_Deterioration', measure: 'M1010', over: 'Count_FinishedCourseTreatment' },
  { column: 'Count_Recovery', measure: 'M191' },
  { column: 'Percentage_Recovery', measure: 'M192' },
  { column: 'Count_ReliableRecovery', measure: 'M193' },
  { column: 'Percentage_ReliableRecovery', measure: 'M195' },
  { column: 'Count_BAFIndicatorCompletion', define: annual('Count_BAFIndicatorCompletion', { statistic: 'count', date: RECEIVED, where: BAF_RECORDED }) },
  {
    column: 'Percentage_BAFIndicatorCompletion',
    define: annual('Percentage_BAFIndicatorCompletion', { statistic: 'percentage', numerator: [{ date: RECEIVED, where: BAF_RECORDED }], denominator: ['M001'] }),
    over: 'Count_ReferralsReceived',
  },
  { column: 'Count_FinishedTreatmentFirst6Months', define: annual('Count_FinishedTreatmentFirst6Months', { statistic: 'count', ...finishers(FIRST_SIX_MONTHS) }) },
  { column: 'Count_FinishedTreatmentFirst6MonthsFollowUp', define: annual('Count_FinishedTreatmentFirst6MonthsFollowUp', { statistic: 'count', ...finishers(and(FIRST_SIX_MONTHS, FOLLOW_UP)) }) },
  {
    column: 'Percentage_FollowUpAppointment',
    define: annual('Percentage_FollowUpAppointment', { statistic: 'percentage', numerator: [finishers(and(FIRST_SIX_MONTHS, FOLLOW_UP))], denominator: [finishers(FIRST_SIX_MONTHS)] }),
    over: 'Count_FinishedTreatmentFirst6Months',
  },
  { column: 'Mean_ContactDuration', define: annual('Mean_ContactDuration', { statistic: 'mean', unit: 'contact', of: DURATION, ...finishers(TIMED_TREATMENT) }) },
  { column: 'Median_ContactDuration', define: annual('Median_ContactDuration', { statistic: 'median', unit: 'contact', of: DURATION, ...finishers(TIMED_TREATMENT) }) },
  { column: 'Sum_ContactDuration', define: annual('Sum_ContactDuration', { statistic: 'sum', unit: 'contact', of: DURATION, ...finishers(TIMED_TREATMENT) }) },
  { column: 'Mean_TotalContactDurationPerReferral', define: annual('Mean_TotalContactDurationPerReferral', { statistic: 'mean', of: referralDuration, ...finishers() }), over: 'Count_FinishedCourseTreatmentContactDuration' },
  { column: 'Median_TotalContactDurationPerReferral', define: annual('Median_TotalContactDurationPerReferral', { statistic: 'median', of: referralDuration, ...finishers() }), over: 'Count_FinishedCourseTreatmentContactDuration' },
  { column: 'Count_FinishedCourseTreatmentContactDuration', define: annual('Count_FinishedCourseTreatmentContactDuration', { statistic: 'count', unit: 'contact', distinct: 'PathwayID', ...finishers(TIMED_TREATMENT) }) },
  ...(
    [
      ['Recovery', 'Recovery_Flag'],
      ['Improvement', 'ReliableImprovement_Flag'],
      ['NoChange', 'NoChange_Flag'],
      ['Deterioration', 'ReliableDeterioration_Flag'],
      ['ReliableRecovery', 'Recovery_Flag AND ReliableImprovement_Flag'],
    ] as const
  ).map(([outcome, flag]): AnnualColumn => ({
    column: `Mean_TreatmentAppointments${outcome}`,
    define: annual(`Mean_TreatmentAppointments${outcome}`, { statistic: 'mean', of: 'TreatmentCareContact_Count', ...finishers(flag) }),
  })),
];

/** The measure behind a column (undefined for shares). */
export function annualDefinition(c: AnnualColumn): MeasureDefinition | undefined {
  if ('shareOf' in c) return undefined;
  if ('define' in c) return c.define;
  const m = measureById(c.measure);
  if (!m) throw new Error(`annual column ${c.column}: catalogue measure ${c.measure} is not implemented`);
  return m;
}

/** The count column a percentage column's numerator is published in (for the release check). */
export function numeratorColumn(c: AnnualColumn): string | undefined {
  if ('shareOf' in c) return c.shareOf;
  return c.column.startsWith('Percentage_') ? ANNUAL_COLUMNS.map((x) => x.column).find((x) => x === c.column.replace('Percentage_', 'Count_')) : undefined;
}

/** OrgType labels of the annual file, by group type (the annual file has no SubICB/Provider pairs). */
export const ANNUAL_ORG_TYPES: ReadonlyMap<GroupType, string> = new Map([
  ['England', 'England'],
  ['CommissioningRegion', 'Commissioning Region'],
  ['ICB', 'ICB'],
  ['SubICB', 'SubICB'],
  ['Provider', 'Provider'],
]);

/** The measures some categories give a column's value with (a mean wait of another interval). */
const substitutes = (breakdowns: readonly Breakdown[]): MeasureDefinition[] =>
  breakdowns.flatMap((b) => b.categories.flatMap((c) => (c.columns ?? []).flatMap((p) => (typeof p === 'string' ? [] : [p.measure]))));

/** Every measure the annual columns and the breakdowns' rows need (with the percentages' dependencies). */
export const annualDefinitions = (breakdowns: readonly Breakdown[] = ANNUAL_BREAKDOWNS): MeasureDefinition[] => {
  const all = withDependencies([...ANNUAL_COLUMNS.map(annualDefinition).filter((m): m is MeasureDefinition => m !== undefined), ...substitutes(breakdowns)]);
  return all.filter((m, i) => all.findIndex((x) => x.id === m.id) === i);
};

const COLUMN_NAMES = new Set(ANNUAL_COLUMNS.map((c) => c.column));
/** A category's columns with a value, each with the measure behind it (undefined: the column's own); undefined: every column. */
function publishedColumns(category: Category, breakdown: Breakdown): Map<string, MeasureDefinition | undefined> | undefined {
  if (!category.columns) return undefined;
  const named = (p: PublishedColumn): [string, MeasureDefinition | undefined] => (typeof p === 'string' ? [p, undefined] : [p.column, p.measure]);
  const columns = new Map(category.columns.map(named));
  const unknown = [...columns.keys()].filter((c) => !COLUMN_NAMES.has(c));
  if (unknown.length > 0) throw new Error(`${breakdown.type} / ${category.a} / ${category.b}: no annual column ${unknown.join(', ')}`);
  return columns;
}

/**
 * The file's text from the values of every breakdown. Every organisation gets a row for every category of
 * every breakdown (a category nobody fell in has zero counts), as published; a column the row does not hold (the
 * category's columns, the breakdown's units) is NULL, and so is a share whose count is.
 */
export function annualFile(values: readonly MeasureValue[], breakdowns: readonly Breakdown[], names: ReadonlyMap<string, string>, policy: PolicyName): string {
  const byRow = new Map<string, Map<string, MeasureValue>>();
  const rowKey = (groupType: string, org: string, type: string, a: string, b: string) => [groupType, org, type, a, b].join('\u0000');
  const organisations: [GroupType, string][] = [];
  for (const v of values) {
    const key = rowKey(v.groupType, v.org1, v.breakdown ?? TOTAL.type, v.variableA, v.variableB);
    if (!byRow.has(key)) byRow.set(key, new Map());
    byRow.get(key)!.set(v.measure.id, v);
    if ((v.breakdown ?? TOTAL.type) === TOTAL.type && !organisations.some(([g, o]) => g === v.groupType && o === v.org1)) organisations.push([v.groupType, v.org1]);
  }
  const order = [...ANNUAL_ORG_TYPES.keys()];
  organisations.sort(([g1, o1], [g2, o2]) => order.indexOf(g1) - order.indexOf(g2) || o1.localeCompare(o2));
  const definitions = annualDefinitions(breakdowns);
  let text = csvLine([...ANNUAL_KEY_COLUMNS, ...ANNUAL_COLUMNS.map((c) => c.column)]);
  for (const [groupType, org] of organisations) {
    const total = byRow.get(rowKey(groupType, org, TOTAL.type, TOTAL.categories[0]!.a, TOTAL.categories[0]!.b))!;
    const [code, name] = groupType === 'England' ? ['All', 'All'] : [org, names.get(org) ?? org];
    const cell = (statistic: Statistic, value: number | null, numerator?: number, denominator?: number) =>
      discloseAnnual({ groupType, statistic, value, ...(numerator !== undefined ? { numerator } : {}), ...(denominator !== undefined ? { denominator } : {}) }, policy);
    for (const breakdown of breakdowns) {
      for (const category of breakdown.categories) {
        const row = byRow.get(rowKey(groupType, org, breakdown.type, category.a, category.b)) ?? new Map<string, MeasureValue>();
        const published = publishedColumns(category, breakdown);
        /** The measure behind a column in this row, or undefined where the row publishes NULL. */
        const measureOf = (c: AnnualColumn): MeasureDefinition | undefined => {
          if ('shareOf' in c) return undefined;
          if (published && !published.has(c.column)) return undefined;
          const m = published?.get(c.column) ?? annualDefinition(c)!;
          return appliesTo(m, breakdown, definitions) ? m : undefined;
        };
        const cells = ANNUAL_COLUMNS.map((c) => {
          if ('shareOf' in c) {
            const counted = ANNUAL_COLUMNS.find((x) => x.column === c.shareOf)!;
            const m = measureOf(counted);
            if (!m || (published && !published.has(c.column))) return NOT_APPLICABLE;
            const [n, d] = [row.get(m.id)?.value ?? 0, total.get(annualDefinition(counted)!.id)?.value ?? 0];
            return cell('percentage', d > 0 ? (100 * n) / d : null, n, d);
          }
          const m = measureOf(c);
          if (!m) return NOT_APPLICABLE;
          const v = row.get(m.id);
          if (!v) return cell(m.statistic, m.statistic === 'count' || m.statistic === 'sum' || m.statistic === 'total' ? 0 : null, 0, 0);
          return cell(m.statistic, v.value, v.numerator, v.denominator);
        });
        text += csvLine([ANNUAL_ORG_TYPES.get(groupType)!, code, name, breakdown.type, category.a, category.b, ...cells]);
      }
    }
  }
  return text;
}
