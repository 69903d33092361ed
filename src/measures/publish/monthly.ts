// The monthly (and quarterly) long file in NHS England's layout: one row per group × measure.
import type { MeasureValue } from '../compute.js';
import { disclose, type GroupType, type PolicyName } from '../disclosure/policy.js';
import type { ReportingPeriod } from '../periods.js';
import { csvLine } from './csv.js';

export const MONTHLY_HEADER = [
  'REPORTING_PERIOD_START',
  'REPORTING_PERIOD_END',
  'GROUP_TYPE',
  'ORG_CODE1',
  'ORG_NAME1',
  'ORG_CODE2',
  'ORG_NAME2',
  'MEASURE_ID',
  'MEASURE_NAME',
  'MEASURE_VALUE_SUPPRESSED',
] as const;

const GROUP_ORDER: readonly GroupType[] = ['England', 'CommissioningRegion', 'ICB', 'SubICB', 'Provider', 'SubICB/Provider'];

/**
 * ORG_CODE1/ORG_NAME1 hold the commissioner side (region, ICB or sub-ICB) and ORG_CODE2/ORG_NAME2 the provider
 * side, as the England row ("all SubICBs", "all Providers") and the SubICB/Provider pairs show.
 */
function organisations(v: MeasureValue, name: (code: string) => string): [string, string, string, string] {
  const ALL_COMMISSIONERS: [string, string] = ['all', 'all SubICBs'];
  const ALL_PROVIDERS: [string, string] = ['all', 'all Providers'];
  switch (v.groupType) {
    case 'England':
      return [...ALL_COMMISSIONERS, ...ALL_PROVIDERS];
    case 'Provider':
      return [...ALL_COMMISSIONERS, v.org1, name(v.org1)];
    case 'SubICB/Provider':
      return [v.org1, name(v.org1), v.org2, name(v.org2)];
    default:
      return [v.org1, name(v.org1), ...ALL_PROVIDERS];
  }
}

/**
 * The quarterly variables file (V001–V015): the monthly layout with the breakdown's VARIABLE_TYPE, VARIABLE_A and
 * VARIABLE_B before the measure (our layout: NHS England's quarterly files also carry VariableType/A/B, with the
 * organisations in ICB, SubICB and Provider columns).
 */
export const VARIABLES_HEADER = [...MONTHLY_HEADER.slice(0, 7), 'VARIABLE_TYPE', 'VARIABLE_A', 'VARIABLE_B', ...MONTHLY_HEADER.slice(7)] as const;

/** The monthly (or quarterly Total) file's text, measures in catalogue order within each group. */
export function monthlyFile(values: readonly MeasureValue[], period: ReportingPeriod, names: ReadonlyMap<string, string>, policy: PolicyName, published: ReadonlySet<string>): string {
  return longFile(values, period, names, policy, published, false);
}

/** The variables file's text for `values` (one or more breakdowns). */
export function variablesFile(values: readonly MeasureValue[], period: ReportingPeriod, names: ReadonlyMap<string, string>, policy: PolicyName, published: ReadonlySet<string>): string {
  return longFile(values, period, names, policy, published, true);
}

function longFile(values: readonly MeasureValue[], period: ReportingPeriod, names: ReadonlyMap<string, string>, policy: PolicyName, published: ReadonlySet<string>, variables: boolean): string {
  const name = (code: string) => names.get(code) ?? code;
  const rows = values.filter((v) => published.has(v.measure.id));
  const sorted = [...rows].sort((a, b) => GROUP_ORDER.indexOf(a.groupType) - GROUP_ORDER.indexOf(b.groupType) || a.org1.localeCompare(b.org1) || a.org2.localeCompare(b.org2));
  let text = csvLine(variables ? VARIABLES_HEADER : MONTHLY_HEADER);
  const order = [...published];
  const groups = new Map<string, MeasureValue[]>();
  for (const v of sorted) {
    const key = `${v.groupType}|${v.org1}|${v.org2}|${v.variableA}|${v.variableB}`;
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  for (const group of groups.values()) {
    group.sort((a, b) => order.indexOf(a.measure.id) - order.indexOf(b.measure.id));
    for (const v of group) {
      const value = disclose({ groupType: v.groupType, statistic: v.measure.statistic, value: v.value, ...(v.numerator !== undefined ? { numerator: v.numerator } : {}), ...(v.denominator !== undefined ? { denominator: v.denominator } : {}) }, policy);
      const variable = variables ? [v.breakdown ?? 'Total', v.variableA, v.variableB] : [];
      text += csvLine([period.start, period.end, v.groupType, ...organisations(v, name), ...variable, v.measure.id, v.measure.name, value]);
    }
  }
  return text;
}
