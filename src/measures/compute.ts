// Computes the catalogue for every group type in one pass (GROUPING SETS) over the derived IDS101 table.
import type { Db } from '../intake/duckdb.js';
import { MEASURES, type MeasureDefinition } from './catalogue.js';
import type { GroupType } from './disclosure/policy.js';

export interface MeasureValue {
  groupType: GroupType;
  org1: string;
  org2: string;
  measure: MeasureDefinition;
  /** Unrounded value (count, percentage or mean); null when undefined (no denominator). */
  value: number | null;
  numerator?: number;
  denominator?: number;
}

const GROUPS: { type: GroupType; keys: string[] }[] = [
  { type: 'England', keys: [] },
  { type: 'CommissioningRegion', keys: ['CommissioningRegion'] },
  { type: 'ICB', keys: ['OrgIDICBComm'] },
  { type: 'SubICB', keys: ['OrgIDComm'] },
  { type: 'Provider', keys: ['OrgID_Provider'] },
  { type: 'SubICB/Provider', keys: ['OrgIDComm', 'OrgID_Provider'] },
];

/** Values of every measure for every group, for the period [start, end] (ISO dates), from table `derived`. */
export async function computeMeasures(db: Db, derived: string, start: string, end: string): Promise<MeasureValue[]> {
  const inPeriod = (date: string) => `(${date}) BETWEEN DATE '${start}' AND DATE '${end}'`;
  const columns: string[] = [];
  for (const m of MEASURES) {
    if (m.statistic === 'count') columns.push(`count(DISTINCT PathwayID) FILTER (WHERE ${inPeriod(m.date)}${m.where ? ` AND ${m.where}` : ''}) AS "${m.id}"`);
    if (m.statistic === 'mean') {
      const filter = `${inPeriod(m.date)}${m.where ? ` AND ${m.where}` : ''}`;
      columns.push(`avg(${m.of}) FILTER (WHERE ${filter}) AS "${m.id}"`, `count(DISTINCT PathwayID) FILTER (WHERE ${filter}) AS "${m.id}__n"`);
    }
  }
  const keys = ['CommissioningRegion', 'OrgIDICBComm', 'OrgIDComm', 'OrgID_Provider'];
  const sets = GROUPS.map((g) => `(${g.keys.join(', ')})`).join(', ');
  const rows = await db.all<Record<string, unknown>>(
    `SELECT ${keys.map((k) => `${k}, grouping(${k}) AS g_${k}`).join(', ')}, ${columns.join(', ')} FROM ${derived} WHERE UsePathway_Flag GROUP BY GROUPING SETS (${sets})`,
  );
  const out: MeasureValue[] = [];
  for (const row of rows) {
    const present = keys.filter((k) => Number(row[`g_${k}`]) === 0);
    const group = GROUPS.find((g) => g.keys.length === present.length && g.keys.every((k) => present.includes(k)))!;
    const org1 = group.keys.length === 0 ? 'all' : String(row[group.keys[0]!] ?? 'Unknown');
    const org2 = group.keys.length === 2 ? String(row[group.keys[1]!] ?? 'Unknown') : 'all';
    const num = (id: string) => Number(row[id] ?? 0);
    for (const m of MEASURES) {
      if (m.statistic === 'count') out.push({ groupType: group.type, org1, org2, measure: m, value: num(m.id) });
      else if (m.statistic === 'mean') out.push({ groupType: group.type, org1, org2, measure: m, value: row[m.id] === null ? null : Number(row[m.id]), denominator: num(`${m.id}__n`) });
      else {
        const numerator = num(m.numerator);
        const denominator = m.denominator.reduce((sum, d) => (d.startsWith('-') ? sum - num(d.slice(1)) : sum + num(d)), 0);
        out.push({ groupType: group.type, org1, org2, measure: m, value: denominator > 0 ? (100 * numerator) / denominator : null, numerator, denominator });
      }
    }
  }
  return out;
}
