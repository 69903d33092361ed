// Computes measure definitions for every group type (and optionally one breakdown) in one set-based pass per
// unit: GROUPING SETS over the organisation keys, one FILTERed aggregate per measure.
import { IaptError } from '../core/errors.js';
import type { Db } from '../core/db.js';
import { caseWhen, ident, literal, struct } from '../core/sql.js';
import { TOTAL, type Breakdown } from './breakdowns.js';
import { and, type Cohort, type MeasureDefinition, type Term, type Unit } from './definition.js';
import type { GroupType } from './disclosure/policy.js';
import { GROUPS, ORG_KEYS } from './groups.js';
import { bindPeriod, type ReportingPeriod } from './periods.js';

export interface MeasureValue {
  groupType: GroupType;
  /** Organisation codes ('all' when the group has none); UNKNOWN_ORG for a referral without the code. */
  org1: string;
  org2: string;
  /** The breakdown (VariableType) the value belongs to; undefined for Total. */
  breakdown?: string;
  variableA: string;
  variableB: string;
  measure: MeasureDefinition;
  /** Unrounded value; null when undefined (no rows, or a zero denominator). */
  value: number | null;
  /** Percentages: Σ numerator terms. */
  numerator?: number;
  /** Percentages: Σ denominator terms; other statistics: the number of rows aggregated. */
  denominator?: number;
}

export class MeasureError extends IaptError {
  constructor(message: string) {
    super('input', message);
    this.name = 'MeasureError';
  }
}

/** The organisation code of a referral that has none. */
export const UNKNOWN_ORG = 'Unknown';

const unitOf = (c: Cohort): Unit => c.unit ?? 'referral';
const counter = (c: Cohort): string => (c.distinct ? `count(DISTINCT ${c.distinct})` : 'count(*)');
const inline = (t: Term): t is Cohort & { subtract?: boolean } => typeof t !== 'string';

function filterOf(c: Cohort, period: ReportingPeriod): string {
  return bindPeriod(and(c.date && `(${c.date}) BETWEEN $start AND $end`, c.where && `(${c.where})`) || 'true', period);
}

/** The terms of a percentage (numerator, then denominator) or a total, in the order their aliases number them. */
const termsOf = (m: MeasureDefinition & { statistic: 'percentage' | 'total' }): readonly Term[] => (m.statistic === 'total' ? m.terms : [...m.numerator, ...m.denominator]);

/** The SQL a computation runs per unit: each measure's FILTERed aggregate columns, [column alias, SQL]. */
export function aggregates(definitions: readonly MeasureDefinition[], period: ReportingPeriod): Map<Unit, [string, string][]> {
  const columns = new Map<Unit, [string, string][]>();
  const add = (unit: Unit, alias: string, sql: string) => columns.set(unit, [...(columns.get(unit) ?? []), [alias, sql]]);
  for (const m of definitions) {
    if (m.statistic === 'percentage' || m.statistic === 'total') {
      termsOf(m).forEach((t, i) => {
        if (inline(t)) add(unitOf(t), `${m.id}__t${i}`, `${counter(t)} FILTER (WHERE ${filterOf(t, period)})`);
      });
      continue;
    }
    const filter = filterOf(m, period);
    const unit = unitOf(m);
    if (m.statistic === 'count') {
      add(unit, m.id, `${counter(m)} FILTER (WHERE ${filter})`);
      continue;
    }
    const present = `${filter} AND (${m.of}) IS NOT NULL`;
    add(unit, `${m.id}__n`, `count(*) FILTER (WHERE ${present})`);
    if (m.statistic === 'ratio') add(unit, m.id, `sum(${m.of}) FILTER (WHERE ${present}) / nullif(sum(${m.per}) FILTER (WHERE ${present}), 0)`);
    else add(unit, m.id, `${m.statistic === 'mean' ? 'avg' : m.statistic}(${m.of}) FILTER (WHERE ${present})`);
  }
  return columns;
}

/**
 * Aggregates per query. DuckDB 1.5's time for one GROUPING SETS query grows faster than its number of FILTERed
 * aggregates (a 20-provider synthetic month's 228 referral measures: 73 s in one query, 5.6 s in queries of 16).
 */
const AGGREGATES_PER_QUERY = 16;

/** The grouping() bit mask of each group over `keys` (a set bit = that key is not grouped). */
const groupBits = (keys: readonly string[], groups: typeof GROUPS) =>
  new Map(groups.map((g) => [keys.reduce((bits, k, i) => bits | ((g.keys as readonly string[]).includes(k) ? 0 : 1 << (keys.length - 1 - i)), 0), g]));

export interface ComputeOptions {
  definitions: readonly MeasureDefinition[];
  period: ReportingPeriod;
  groups: readonly GroupType[];
  breakdown?: Breakdown;
  /** The units whose views exist (createSources). */
  units: ReadonlySet<Unit>;
}

/** The units a definition's rows are (a percentage's or total's: its terms', through the measures it names in `definitions`). */
export function unitsOf(m: MeasureDefinition, definitions: readonly MeasureDefinition[]): Set<Unit> {
  if (m.statistic !== 'percentage' && m.statistic !== 'total') return new Set([unitOf(m)]);
  const units = new Set<Unit>();
  for (const t of termsOf(m)) {
    if (inline(t)) units.add(unitOf(t));
    else {
      const named = definitions.find((d) => d.id === t.replace(/^-/, ''));
      if (!named) throw new MeasureError(`measure ${m.id} names ${t}, which is not among the definitions`);
      unitsOf(named, definitions).forEach((u) => units.add(u));
    }
  }
  return units;
}

/** Whether `m` is computed for `breakdown`: all its units are ones the breakdown's categories are conditions on. */
export const appliesTo = (m: MeasureDefinition, breakdown: Breakdown, definitions: readonly MeasureDefinition[]): boolean =>
  breakdown.units === undefined || [...unitsOf(m, definitions)].every((u) => breakdown.units!.includes(u));

/**
 * Values of every definition for every group (× category of the breakdown), from the views of sources.ts. A
 * breakdown limited to some units (Breakdown.units) gets no values for the definitions over other units.
 */
export async function computeMeasures(db: Db, options: ComputeOptions): Promise<MeasureValue[]> {
  const { period, groups, units } = options;
  const breakdown = options.breakdown ?? TOTAL;
  const definitions = options.definitions.filter((m) => appliesTo(m, breakdown, options.definitions));
  const categories = bindPeriod(`list_filter([${breakdown.categories.map((c) => caseWhen([[c.when, struct({ a: c.a, b: c.b })]])).join(', ')}], x -> x IS NOT NULL)`, period);
  const chosen = GROUPS.filter((g) => groups.includes(g.type));
  const keys = ORG_KEYS.filter((k) => chosen.some((g) => g.keys.includes(k)));
  const bits = groupBits(keys, chosen);
  const sets = chosen.map((g) => `(${[...g.keys, 'bd_a', 'bd_b'].join(', ')})`).join(', ');
  const rows = new Map<string, { group: (typeof GROUPS)[number]; org1: string; org2: string; a: string; b: string; values: Map<string, number | null> }>();
  const query = async (unit: Unit, columns: readonly [string, string][]): Promise<void> => {
    const source = breakdown === TOTAL ? `(SELECT *, ${literal(TOTAL.categories[0]!.a)} AS bd_a, ${literal(TOTAL.categories[0]!.b)} AS bd_b FROM m_${unit}) src` : `(SELECT *, bd.a AS bd_a, bd.b AS bd_b FROM (SELECT *, unnest(${categories}) AS bd FROM m_${unit})) src`;
    const result = await db.all(
      `SELECT ${[...keys, 'bd_a', 'bd_b'].join(', ')}, ${keys.length ? `grouping(${keys.join(', ')})` : '0'} AS g, ${columns.map(([alias, sql]) => `${sql} AS ${ident(alias)}`).join(', ')} FROM ${source} GROUP BY GROUPING SETS (${sets})`,
    );
    for (const row of result) {
      const group = bits.get(Number(row.g))!;
      const code = (k: string) => (row[k] === null ? UNKNOWN_ORG : String(row[k]));
      const org1 = group.keys.length === 0 ? 'all' : code(group.keys[0]!);
      const org2 = group.keys.length === 2 ? code(group.keys[1]!) : 'all';
      const key = [group.type, org1, org2, row.bd_a, row.bd_b].join('\u0000');
      const entry = rows.get(key) ?? { group, org1, org2, a: String(row.bd_a), b: String(row.bd_b), values: new Map() };
      for (const [alias] of columns) entry.values.set(alias, row[alias] === null ? null : Number(row[alias]));
      rows.set(key, entry);
    }
  };
  for (const [unit, all] of aggregates(definitions, period)) {
    if (!units.has(unit)) throw new MeasureError(`measure ${all[0]![0].split('__')[0]} needs ${unit} rows, whose table is missing`);
    for (let i = 0; i < all.length; i += AGGREGATES_PER_QUERY) await query(unit, all.slice(i, i + AGGREGATES_PER_QUERY));
  }
  // Categories in the breakdown's order, whatever order DuckDB returned the groups in, so that a file is the same
  // bytes each time it is published from the same data.
  const rank = new Map(breakdown.categories.map((c, i) => [`${c.a}\u0000${c.b}`, i]));
  const place = (r: { a: string; b: string }) => rank.get(`${r.a}\u0000${r.b}`) ?? rank.size;
  const out: MeasureValue[] = [];
  for (const { group, org1, org2, a, b, values } of [...rows.values()].sort((x, y) => place(x) - place(y))) {
    const num = (alias: string) => values.get(alias) ?? 0;
    const term = (m: MeasureDefinition, t: Term, i: number) => (inline(t) ? (t.subtract ? -1 : 1) * num(`${m.id}__t${i}`) : t.startsWith('-') ? -num(t.slice(1)) : num(t));
    for (const m of definitions) {
      const base = { groupType: group.type, org1, org2, ...(breakdown === TOTAL ? {} : { breakdown: breakdown.type }), variableA: a, variableB: b, measure: m };
      if (m.statistic === 'count') out.push({ ...base, value: num(m.id) });
      else if (m.statistic === 'total') out.push({ ...base, value: m.terms.reduce((s, t, i) => s + term(m, t, i), 0) });
      else if (m.statistic === 'percentage') {
        const numerator = m.numerator.reduce((s, t, i) => s + term(m, t, i), 0);
        const denominator = m.denominator.reduce((s, t, i) => s + term(m, t, m.numerator.length + i), 0);
        out.push({ ...base, value: denominator > 0 ? (100 * numerator) / denominator : null, numerator, denominator });
      } else out.push({ ...base, value: values.get(m.id) ?? null, denominator: num(`${m.id}__n`) });
    }
  }
  return out;
}
