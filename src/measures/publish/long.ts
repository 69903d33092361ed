// What the long layouts (monthly, quarterly) share: which values are published, in what order, and each value's
// disclosed text.
import type { MeasureValue } from '../compute.js';
import { disclose, type PolicyName } from '../disclosure/policy.js';
import { GROUPS } from '../groups.js';

const GROUP_ORDER = GROUPS.map((g) => g.type);

/** The values of the `published` measures: by group type, organisations and category, measures in `published` order within each. */
export function publishedInOrder(values: readonly MeasureValue[], published: ReadonlySet<string>): MeasureValue[] {
  const rows = values.filter((v) => published.has(v.measure.id));
  const sorted = [...rows].sort((a, b) => GROUP_ORDER.indexOf(a.groupType) - GROUP_ORDER.indexOf(b.groupType) || a.org1.localeCompare(b.org1) || a.org2.localeCompare(b.org2));
  const order = new Map([...published].map((id, i) => [id, i]));
  const groups = new Map<string, MeasureValue[]>();
  for (const v of sorted) {
    const key = `${v.groupType}|${v.org1}|${v.org2}|${v.variableA}|${v.variableB}`;
    const group = groups.get(key);
    if (group) group.push(v);
    else groups.set(key, [v]);
  }
  return [...groups.values()].flatMap((group) => group.sort((a, b) => order.get(a.measure.id)! - order.get(b.measure.id)!));
}

/** A value as published under `policy`. */
export const disclosed = (v: MeasureValue, policy: PolicyName): string =>
  disclose({ groupType: v.groupType, statistic: v.measure.statistic, value: v.value, ...(v.numerator !== undefined ? { numerator: v.numerator } : {}), ...(v.denominator !== undefined ? { denominator: v.denominator } : {}) }, policy);
