// Computes measure definitions for every group type (and optionally one breakdown), set-based: each measure's
// conditions evaluated once per unit row of the period (prepareMeasures), then per breakdown one GROUP BY over the
// finest groups and GROUPING SETS over the organisation keys (aggregateColumns).
import { IaptError } from '../core/errors.js';
import type { Db } from '../core/db.js';
import { caseWhen, ident, literal } from '../core/sql.js';
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
const inline = (t: Term): t is Cohort & { subtract?: boolean } => typeof t !== 'string';

function filterOf(c: Cohort, period: ReportingPeriod): string {
  return bindPeriod(and(c.date && `(${c.date}) BETWEEN $start AND $end`, c.where && `(${c.where})`) || 'true', period);
}

/** The terms of a percentage (numerator, then denominator) or a total, in the order their aliases number them. */
const termsOf = (m: MeasureDefinition & { statistic: 'percentage' | 'total' }): readonly Term[] => (m.statistic === 'total' ? m.terms : [...m.numerator, ...m.denominator]);

/**
 * One aggregate column of a computation, in three parts: its `inputs`, columns of each unit row (the measure's
 * condition evaluated once per row: `prepareMeasures` writes them to a table for the period, and every breakdown reads
 * them); then, when it is additive (counts, sums, minima, maxima; a mean as its sum and count; a ratio as its two sums),
 * `fine` per finest group (every organisation key and category) and `roll` over those for every grouping set — a
 * GROUPING SETS query over a few thousand finest groups instead of over every row; else (medians, distinct counts)
 * `direct`, over the rows. `sql` is the same aggregate as one expression over the unit's rows (what aggregates() shows).
 */
interface Aggregate {
  alias: string;
  sql: string;
  inputs: [string, string][];
  fine?: [string, string][];
  roll?: string;
  direct?: string;
}

function aggregateColumns(definitions: readonly MeasureDefinition[], period: ReportingPeriod): Map<Unit, Aggregate[]> {
  const columns = new Map<Unit, Aggregate[]>();
  const add = (unit: Unit, column: Aggregate) => columns.set(unit, [...(columns.get(unit) ?? []), column]);
  for (const m of definitions) {
    if (m.statistic === 'percentage' || m.statistic === 'total') {
      termsOf(m).forEach((t, i) => {
        if (inline(t)) add(unitOf(t), counted(`${m.id}__t${i}`, filterOf(t, period), t.distinct));
      });
      continue;
    }
    const filter = filterOf(m, period);
    const unit = unitOf(m);
    if (m.statistic === 'count') {
      add(unit, counted(m.id, filter, m.distinct));
      continue;
    }
    const present = `${filter} AND (${m.of}) IS NOT NULL`;
    const when = (value: string) => `CASE WHEN ${present} THEN ${value} END`;
    add(unit, counted(`${m.id}__n`, present));
    const alias = m.id;
    const input = ident(alias);
    if (m.statistic === 'ratio') {
      const per = `${alias}__per`;
      add(unit, {
        alias,
        sql: `sum(${m.of}) FILTER (WHERE ${present}) / nullif(sum(${m.per}) FILTER (WHERE ${present}), 0)`,
        inputs: [[alias, when(m.of)], [per, when(m.per)]],
        fine: [[alias, `sum(${input})`], [per, `sum(${ident(per)})`]],
        roll: `sum(${input}) / nullif(sum(${ident(per)}), 0)`,
      });
    } else if (m.statistic === 'mean') {
      const [total, n] = [`${alias}__sum`, `${alias}__count`];
      add(unit, {
        alias,
        sql: `avg(${m.of}) FILTER (WHERE ${present})`,
        inputs: [[alias, when(m.of)]],
        fine: [[total, `sum(${input})`], [n, `count(${input})`]],
        roll: `CAST(sum(${ident(total)}) AS DOUBLE) / nullif(sum(${ident(n)}), 0)`,
      });
    } else if (m.statistic === 'median') add(unit, { alias, sql: `median(${m.of}) FILTER (WHERE ${present})`, inputs: [[alias, when(m.of)]], direct: `median(${input})` });
    else add(unit, { alias, sql: `${m.statistic}(${m.of}) FILTER (WHERE ${present})`, inputs: [[alias, when(m.of)]], fine: [[alias, `${m.statistic}(${input})`]], roll: `${m.statistic}(${input})` });
  }
  return columns;
}

/**
 * A count of the rows meeting `filter` (additive), or of the distinct values of `distinct` among them: additive when
 * the values are pathways — every row of a pathway has its referral's organisation keys, so within a category a
 * pathway is in one finest group and the groups' counts add up — and otherwise not (an IDS004 record is a row of each
 * referral of its person at the provider, which may have different commissioners).
 */
function counted(alias: string, filter: string, distinct?: string): Aggregate {
  const input = ident(alias);
  if (distinct === 'PathwayID') {
    return { alias, sql: `count(DISTINCT ${distinct}) FILTER (WHERE ${filter})`, inputs: [[alias, `CASE WHEN ${filter} THEN ${distinct} END`]], fine: [[alias, `count(DISTINCT ${input})`]], roll: `sum(${input})` };
  }
  if (distinct) return { alias, sql: `count(DISTINCT ${distinct}) FILTER (WHERE ${filter})`, inputs: [[alias, `CASE WHEN ${filter} THEN ${distinct} END`]], direct: `count(DISTINCT ${input})` };
  return { alias, sql: `count(*) FILTER (WHERE ${filter})`, inputs: [[alias, `coalesce(${filter}, false)`]], fine: [[alias, `count(*) FILTER (WHERE ${input})`]], roll: `sum(${input})` };
}

/** The SQL a computation runs per unit: each measure's FILTERed aggregate columns, [column alias, SQL], as one expression over the rows. */
export function aggregates(definitions: readonly MeasureDefinition[], period: ReportingPeriod): Map<Unit, [string, string][]> {
  return new Map([...aggregateColumns(definitions, period)].map(([unit, columns]) => [unit, columns.map((c): [string, string] => [c.alias, c.sql])]));
}

/**
 * Aggregates per query over the rows (medians, distinct counts). DuckDB 1.5's time for one GROUPING SETS query grows
 * faster than its number of aggregates (a 20-provider synthetic month's 228 referral measures: 73 s in one query,
 * 5.6 s in queries of 16).
 */
const AGGREGATES_PER_QUERY = 16;
/** Additive aggregates per two-step query (one GROUP BY over the rows, then the grouping sets over its groups). */
const ADDITIVE_PER_QUERY = 64;

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
  /** The period's per-row inputs (prepareMeasures for these definitions and this breakdown); made and dropped for this call when absent. */
  prepared?: PreparedMeasures;
}

/** The per-row inputs of a period's measures (a table per unit) and the categories of its rows, per breakdown. */
export interface PreparedMeasures {
  period: ReportingPeriod;
  /** The period's rows of `unit` with their categories of `breakdown` (bd_a, bd_b) and their inputs, as a relation aliased src. */
  source(unit: Unit, breakdown: Breakdown): string;
  drop(): Promise<void>;
}

let preparations = 0;

/**
 * Evaluates every definition's conditions once per unit row of the period (the organisation keys and each aggregate's
 * inputs) into temporary tables, which every breakdown's computation then reads: a quarter's sixteen breakdowns no
 * longer evaluate several hundred conditions per row each. A breakdown's categories are evaluated once per row too,
 * as a list: those of a breakdown of every unit (Breakdown.units undefined: conditions on the referral, which every
 * unit's row carries) once per referral, and joined to the other units' rows by PathwayID.
 */
export async function prepareMeasures(db: Db, options: { definitions: readonly MeasureDefinition[]; period: ReportingPeriod; units: ReadonlySet<Unit>; breakdowns: readonly Breakdown[] }): Promise<PreparedMeasures> {
  const { period, units } = options;
  const definitions = [...new Map(options.definitions.map((m) => [m.id, m])).values()];
  const id = ++preparations;
  const tables = new Map<Unit, string>();
  const columnOf = new Map<Breakdown, string>(options.breakdowns.filter((b) => b !== TOTAL).map((b, i) => [b, `bd_${i}`]));
  const lists = (chosen: [Breakdown, string][]) => chosen.map(([b, column]) => `${categoryList(b, period)} AS ${column}`);
  const drop = async () => {
    for (const table of tables.values()) await db.run(`DROP TABLE IF EXISTS ${table}`);
  };
  try {
    const byUnit = aggregateColumns(definitions, period);
    // The referral table carries the categories of the breakdowns of every unit, for the other units' rows too.
    if (!byUnit.has('referral') && [...columnOf.keys()].some((b) => b.units === undefined) && byUnit.size > 0) byUnit.set('referral', []);
    for (const [unit, columns] of [...byUnit].sort(([a], [b]) => Number(b === 'referral') - Number(a === 'referral'))) {
      if (!units.has(unit)) throw new MeasureError(`measure ${columns[0]?.alias.split('__')[0] ?? ''} needs ${unit} rows, whose table is missing`);
      const own = [...columnOf].filter(([b]) => (unit === 'referral' && b.units === undefined) || b.units?.includes(unit));
      const table = `m_inputs_${id}_${unit}`;
      const selected = [...ORG_KEYS, 'PathwayID', ...lists(own), ...columns.flatMap((c) => c.inputs).map(([alias, sql]) => `${sql} AS ${ident(alias)}`)];
      await db.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT ${selected.join(', ')} FROM m_${unit} src`);
      tables.set(unit, table);
    }
  } catch (error) {
    await drop();
    throw error;
  }
  const source = (unit: Unit, breakdown: Breakdown): string => {
    const table = tables.get(unit);
    if (!table) throw new MeasureError(`the measures over ${unit} rows were not prepared for ${period.label}`);
    if (breakdown === TOTAL) return `(SELECT *, ${literal(TOTAL.categories[0]!.a)} AS bd_a, ${literal(TOTAL.categories[0]!.b)} AS bd_b FROM ${table}) src`;
    const column = columnOf.get(breakdown);
    if (!column) throw new MeasureError(`the ${breakdown.type} breakdown was not prepared for ${period.label}`);
    const names = (part: 'a' | 'b') => `list_extract([${breakdown.categories.map((c) => literal(c[part])).join(', ')}], bd + 1)`;
    const categorised =
      unit !== 'referral' && breakdown.units === undefined
        ? `SELECT i.*, k.bd FROM ${table} i JOIN (SELECT PathwayID, unnest(${column}) AS bd FROM ${tables.get('referral')!}) k USING (PathwayID)`
        : `SELECT *, unnest(${column}) AS bd FROM ${table}`;
    return `(SELECT *, ${names('a')} AS bd_a, ${names('b')} AS bd_b FROM (${categorised})) src`;
  };
  return { period, source, drop };
}

/** The indexes (from 0) of the breakdown's categories a row belongs to, as a list. */
const categoryList = (breakdown: Breakdown, period: ReportingPeriod): string =>
  bindPeriod(`list_filter([${breakdown.categories.map((c, i) => caseWhen([[c.when, String(i)]])).join(', ')}], x -> x IS NOT NULL)`, period);

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
  const prepared = options.prepared ?? (await prepareMeasures(db, { definitions, period, units, breakdowns: [breakdown] }));
  if (prepared.period !== period) throw new MeasureError(`measures prepared for ${prepared.period.label} cannot be computed for ${period.label}`);
  const chosen = GROUPS.filter((g) => groups.includes(g.type));
  const keys = ORG_KEYS.filter((k) => chosen.some((g) => g.keys.includes(k)));
  const bits = groupBits(keys, chosen);
  const sets = chosen.map((g) => `(${[...g.keys, 'bd_a', 'bd_b'].join(', ')})`).join(', ');
  const rows = new Map<string, { group: (typeof GROUPS)[number]; org1: string; org2: string; a: string; b: string; values: Map<string, number | null> }>();
  const fineKeys = [...keys, 'bd_a', 'bd_b'].join(', ');
  const grouped = `${fineKeys}, ${keys.length ? `grouping(${keys.join(', ')})` : '0'} AS g`;
  const sourceOf = (unit: Unit) => prepared.source(unit, breakdown);
  const collect = (result: Record<string, unknown>[], columns: readonly Aggregate[]) => {
    for (const row of result) {
      const group = bits.get(Number(row.g))!;
      const code = (k: string) => (row[k] === null ? UNKNOWN_ORG : String(row[k]));
      const org1 = group.keys.length === 0 ? 'all' : code(group.keys[0]!);
      const org2 = group.keys.length === 2 ? code(group.keys[1]!) : 'all';
      const key = [group.type, org1, org2, row.bd_a, row.bd_b].join('\u0000');
      const entry = rows.get(key) ?? { group, org1, org2, a: String(row.bd_a), b: String(row.bd_b), values: new Map() };
      for (const { alias } of columns) entry.values.set(alias, row[alias] === null ? null : Number(row[alias]));
      rows.set(key, entry);
    }
  };
  // Only the rows with a value for one of the columns: a median or distinct count ignores the others, and a group
  // none of whose rows has one still gets its row from the unit's additive statistics (null median, zero count).
  const overRows = async (unit: Unit, columns: readonly Aggregate[], withValue: boolean) =>
    collect(
      await db.all(
        `SELECT ${grouped}, ${columns.map((c) => `${c.direct!} AS ${ident(c.alias)}`).join(', ')} FROM ${sourceOf(unit)} ` +
          `${withValue ? `WHERE ${columns.map((c) => `${ident(c.inputs[0]![0])} IS NOT NULL`).join(' OR ')} ` : ''}GROUP BY GROUPING SETS (${sets})`,
      ),
      columns,
    );
  const twoStep = async (unit: Unit, columns: readonly Aggregate[]) => {
    const fine = columns.flatMap((c) => c.fine!).map(([alias, sql]) => `${sql} AS ${ident(alias)}`);
    const rolled = columns.map((c) => `${c.roll!} AS ${ident(c.alias)}`);
    collect(await db.all(`WITH fine AS (SELECT ${fineKeys}, ${fine.join(', ')} FROM ${sourceOf(unit)} GROUP BY ${fineKeys}) SELECT ${grouped}, ${rolled.join(', ')} FROM fine GROUP BY GROUPING SETS (${sets})`), columns);
  };
  try {
    for (const [unit, all] of aggregateColumns(definitions, period)) {
      const additives = all.filter((c) => c.fine);
      const others = all.filter((c) => c.direct);
      for (let i = 0; i < additives.length; i += ADDITIVE_PER_QUERY) await twoStep(unit, additives.slice(i, i + ADDITIVE_PER_QUERY));
      for (let i = 0; i < others.length; i += AGGREGATES_PER_QUERY) await overRows(unit, others.slice(i, i + AGGREGATES_PER_QUERY), additives.length > 0);
    }
  } finally {
    if (!options.prepared) await prepared.drop();
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
