// The monthly long file in NHS England's layout: one row per group × measure.
import type { MeasureValue } from '../compute.js';
import type { PolicyName } from '../disclosure/policy.js';
import type { ReportingPeriod } from '../periods.js';
import { csvLine } from './csv.js';
import { disclosed, publishedInOrder } from './long.js';

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

/** The monthly file's text, measures in catalogue order within each group. */
export function monthlyFile(values: readonly MeasureValue[], period: ReportingPeriod, names: ReadonlyMap<string, string>, policy: PolicyName, published: ReadonlySet<string>): string {
  const name = (code: string) => names.get(code) ?? code;
  let text = csvLine(MONTHLY_HEADER);
  for (const v of publishedInOrder(values, published)) text += csvLine([period.start, period.end, v.groupType, ...organisations(v, name), v.measure.id, v.measure.name, disclosed(v, policy)]);
  return text;
}
