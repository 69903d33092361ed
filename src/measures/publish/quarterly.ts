// NHS England's quarterly files, in the layout published since 2025-26 (the raw files of 2025-26 Q3 and 2026-27 Q1
// kept as test fixtures by bennettoxford/nhstt): three files — ICB and sub-ICB, provider, sub-ICB by provider —
// each with the England rows, and the Total and every variable breakdown (V001–V015) in one long layout, every
// field quoted. Organisations sit in ICB / SubICB / Provider columns: "All_ICB" (name "null") where a group has
// none, a region in the ICB columns, a sub-ICB's ICB beside it ("InvalidCode", "Unknown" when it has none or it could
// not be resolved). The region and ICB groups of referrals whose geography could not be resolved are "UNKNOWN".
import { UNKNOWN_ORG, type MeasureValue } from '../compute.js';
import type { GroupType, PolicyName } from '../disclosure/policy.js';
import { UNKNOWN_GEOGRAPHY } from '../groups.js';
import type { ReportingPeriod } from '../periods.js';
import { csvQuotedLine } from './csv.js';
import { disclosed, publishedInOrder } from './long.js';

export const QUARTERLY_HEADER = [
  'REPORTING_PERIOD_START',
  'REPORTING_PERIOD_END',
  'ICB',
  'ICBName',
  'SubICB',
  'SubICBName',
  'Provider',
  'ProviderName',
  'GroupType',
  'VariableType',
  'VariableA',
  'VariableB',
  'MEASURE_ID',
  'MEASURE_NAME',
  'MEASURE_VALUE_SUPPRESSED',
] as const;

/** The three files of a quarter: the name part and the group types each holds. */
export const QUARTERLY_FILES: readonly { part: string; groups: readonly GroupType[] }[] = [
  { part: 'icb-subicb', groups: ['England', 'CommissioningRegion', 'ICB', 'SubICB'] },
  { part: 'provider', groups: ['England', 'Provider'] },
  { part: 'subicb-provider', groups: ['England', 'SubICB/Provider'] },
];

/** GroupType as the quarterly files spell it. */
export const QUARTERLY_GROUP_TYPES: ReadonlyMap<GroupType, string> = new Map<GroupType, string>([
  ['England', 'England'],
  ['CommissioningRegion', 'CommissioningRegion'],
  ['ICB', 'ICB'],
  ['SubICB', 'SubICB'],
  ['Provider', 'Provider'],
  ['SubICB/Provider', 'SubICB-Provider'],
]);

const NULL = 'null';

export interface QuarterlyOrganisations {
  names: ReadonlyMap<string, string>;
  /** Sub-ICB → ICB (groups.ts icbsOfSubIcbs). */
  icbOfSubIcb: ReadonlyMap<string, string>;
}

function organisations(v: MeasureValue, orgs: QuarterlyOrganisations): string[] {
  const named = (code: string): [string, string] => (code === UNKNOWN_ORG ? ['InvalidCode', 'Unknown'] : [code, orgs.names.get(code) ?? code]);
  const icbOf = (subIcb: string) => {
    const icb = orgs.icbOfSubIcb.get(subIcb);
    return named(icb === undefined || icb === UNKNOWN_GEOGRAPHY ? UNKNOWN_ORG : icb);
  };
  const [allIcbs, allSubIcbs, allProviders] = [['All_ICB', NULL], ['All_SubICB', NULL], ['All_Provider', NULL]];
  switch (v.groupType) {
    case 'England':
      return [...allIcbs, ...allSubIcbs, ...allProviders];
    case 'CommissioningRegion':
    case 'ICB':
      return [...named(v.org1), ...allSubIcbs, ...allProviders];
    case 'SubICB':
      return [...icbOf(v.org1), ...named(v.org1), ...allProviders];
    case 'Provider':
      return [...allIcbs, ...allSubIcbs, ...named(v.org1)];
    case 'SubICB/Provider':
      return [...icbOf(v.org1), ...named(v.org1), ...named(v.org2)];
  }
}

/** One quarterly file's text (or a part of it: the header, then the rows of `values` in its group types). */
export function quarterlyFile(values: readonly MeasureValue[], period: ReportingPeriod, orgs: QuarterlyOrganisations, policy: PolicyName, published: ReadonlySet<string>, groups: readonly GroupType[]): string {
  let text = csvQuotedLine(QUARTERLY_HEADER);
  for (const v of publishedInOrder(values.filter((x) => groups.includes(x.groupType)), published)) {
    const [a, b] = v.breakdown === undefined ? ['Total', NULL] : [v.variableA, v.variableB || NULL];
    text += csvQuotedLine([period.start, period.end, ...organisations(v, orgs), QUARTERLY_GROUP_TYPES.get(v.groupType)!, v.breakdown ?? 'Total', a, b, v.measure.id, v.measure.name, disclosed(v, policy)]);
  }
  return text;
}
