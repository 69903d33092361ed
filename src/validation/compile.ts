// Compiles rules to SQL: row-level rules to boolean conditions over a table's staging view (true when the row
// FAILS the rule), file-level rules to queries of their failing rows, and builds the views. Values come from the
// spec (formats, code lists, tools) and the run's context, always through the SQL vocabulary (core/sql.ts).
import { TABLES, type ItemFormat, type TableName } from '../dataset/index.js';
import { postcodeKeySql } from '../dataset/checks.js';
import { YEAR_MONTH_EITHER_REGEX } from '../dataset/formats.js';
import { FINDING_SCHEME } from '../dataset/validationCodes.js';
import { formulaLikeSql } from '../core/formula.js';
import { caseOf, dateLiteral, fill, ident as q, literal as lit, notIn, type SqlValue } from '../core/sql.js';
import { stagingTable } from '../intake/types.js';
import type { RunContext } from './context.js';
import { acceptedCodes, itemSpec } from './rules/spec.js';
import type { Bound, Rule } from './types.js';

export { itemSpec };

export class RuleNotApplicable extends Error {}

const tableSpec = (name: TableName) => TABLES.find((t) => t.name === name)!;

const known = <T>(what: string, value: T | null): T => {
  if (value === null) throw new RuleNotApplicable(`${what} is not known`);
  return value;
};

/**
 * The run's context values that rule SQL may name as `$name`, filled in as literals by core/sql `fill`. Reading
 * one the run does not know throws RuleNotApplicable, naming it: the rule is reported as not run.
 */
export function contextParams(ctx: RunContext): Readonly<Record<string, SqlValue | { date: string }>> {
  return {
    get rpStart() {
      return { date: known('the reporting period', ctx.rpStart) };
    },
    get rpEnd() {
      return { date: known('the reporting period', ctx.rpEnd) };
    },
    get periodStart() {
      return { date: known('the selected period', ctx.periodStart) };
    },
    get periodEnd() {
      return { date: known('the selected period', ctx.periodEnd) };
    },
    get provider() {
      return known('the submitting organisation', ctx.provider);
    },
    get headerProvider() {
      return known('the Header provider', ctx.headerProvider);
    },
    /** The upload time as DuckDB reads a timestamp (`YYYY-MM-DD HH:MM:SS`); rules cast it. */
    received: ctx.received.replace('T', ' ').replace(/Z$/, '').slice(0, 19),
  };
}

function boundSql(bound: Bound, ctx: RunContext): string {
  if (typeof bound === 'object') return dateLiteral(bound.date);
  const value = bound === 'rpStart' ? ctx.rpStart : ctx.rpEnd;
  if (!value) throw new RuleNotApplicable('the reporting period is not known (no --period and no readable Header dates)');
  return dateLiteral(value);
}

/** Fails when the populated value is not in the format. */
export function formatFailure(column: string, format: ItemFormat | 'version' | 'timestamp' | 'yearMonthLoose'): string {
  const c = q(column);
  const filled = `filled(${c})`;
  if (format === 'version') return `${filled} AND NOT regexp_full_match(${c}, '[0-9]{1,2}\\.[0-9]{1,2}')`;
  if (format === 'timestamp') return `${filled} AND coalesce(try_cast(${c} AS TIMESTAMP) < TIMESTAMP '1890-01-01 00:00:00', true)`;
  if (format === 'yearMonthLoose') return `${filled} AND NOT regexp_full_match(${c}, ${lit(YEAR_MONTH_EITHER_REGEX)})`;
  switch (format.kind) {
    case 'an':
    case 'score':
    case 'postcode': {
      const max = format.kind === 'an' ? format.max : format.kind === 'score' ? 5 : 8;
      const min = format.kind === 'an' ? (format.min ?? 1) : 1;
      return `${filled} AND NOT (length(${c}) BETWEEN ${min} AND ${max})`;
    }
    case 'n':
      return `${filled} AND NOT regexp_full_match(${c}, ${lit(`[0-9]{${format.min ?? 1},${format.max}}`)})`;
    case 'date':
      return `${filled} AND coalesce(d(${c}) < DATE '1890-01-01', true)`;
    case 'datetime':
      return formatFailure(column, 'timestamp');
    case 'version':
      return formatFailure(column, 'version');
    case 'yearMonth':
      return formatFailure(column, 'yearMonthLoose');
    case 'snomed':
      return `${filled} AND NOT (length(${c}) BETWEEN ${format.min} AND ${format.max} AND regexp_full_match(${c}, '[0-9]+|[0-9][0-9A-Za-z:=,{}()|+ .-]*'))`;
    case 'nhsNumber':
      return `${filled} AND NOT regexp_full_match(${c}, '[0-9]{10}')`;
    case 'time':
      return 'false'; // the TOS sets no format for times: the NHS rules on them are placeholders
  }
}

/** SQL condition (true = the row fails) of a row-level rule on its field (or the one given), with context values inlined. */
export function rowCondition(rule: Rule, ctx: RunContext, field = rule.fields[0]!): string {
  const table = rule.table as TableName;
  const c = q(field);
  const check = rule.check;
  switch (check.kind) {
    case 'blank':
      return `blank(${c})`;
    case 'format': {
      if (check.format === 'icd10OrSnomed') {
        const scheme = q(table === 'IDS601MedHistPrevDiag' ? 'DiagSchemeInUse' : 'FindSchemeInUse');
        const icd10 = `NOT regexp_full_match(regexp_replace(upper(${c}), '[^A-Z0-9]', '', 'g'), '[A-Z][0-9]{2}[0-9A-Z]{0,4}')`;
        const snomedCt = `NOT regexp_full_match(${c}, '[0-9]{6,18}')`;
        return `filled(${c}) AND ${caseOf(scheme, [[FINDING_SCHEME.icd10, icd10], [FINDING_SCHEME.snomedCt, snomedCt]], 'false')}`;
      }
      if (check.format) return formatFailure(field, check.format);
      const spec = itemSpec(table, field);
      if (!spec) throw new Error(`${rule.code}: ${table}.${field} is not in the spec`);
      return formatFailure(field, spec.format);
    }
    case 'codeList':
      return `filled(${c}) AND ${notIn(c, acceptedCodes(rule, ctx.version))}`;
    case 'dateWindow': {
      let bound = boundSql(check.bound, ctx);
      if (check.offsetDays) bound = `(${bound} + INTERVAL ${check.offsetDays} DAY)`;
      if (check.offsetYears) bound = `(${bound} + INTERVAL ${check.offsetYears} YEAR)`;
      return `d(${c}) ${check.op} ${bound}`;
    }
    case 'comparison':
      return `d(${c}) ${check.op} d(${q(check.other)})`;
    case 'reference':
      return referenceFailure(c, check.lookup, ctx);
    case 'custom':
      return fill(check.sql, contextParams(ctx));
    case 'formula':
      return formulaLikeSql(c);
    case 'placeholder':
      return 'false';
    default:
      throw new Error(`${rule.code}: ${check.kind} is not a row-level rule`);
  }
}

function referenceFailure(c: string, lookup: 'organisation' | 'gpPractice' | 'site' | 'postcode', ctx: RunContext): string {
  const start = dateLiteral(known('the reporting period', ctx.rpStart));
  const end = dateLiteral(known('the reporting period', ctx.rpEnd));
  if (lookup === 'postcode') {
    return `filled(${c}) AND NOT EXISTS (SELECT 1 FROM ref_postcode r WHERE r.code = ${postcodeKeySql(c)} AND r.open_date <= ${end} AND (r.close_date IS NULL OR r.close_date >= ${start}))`;
  }
  const ref = { organisation: 'ref_organisation', gpPractice: 'ref_gp_practice', site: 'ref_site' }[lookup];
  return `filled(${c}) AND NOT EXISTS (SELECT 1 FROM ${ref} r WHERE r.code = upper(trim(${c})) AND r.open_date <= ${start} AND (r.close_date IS NULL OR r.close_date >= ${start}))`;
}

/** The query of a file-level rule's failing rows (`_row`, `value`), with context values filled in. */
export function fileRuleRows(rule: Rule, ctx: RunContext): string {
  const check = rule.check;
  if (check.kind !== 'file' || !check.fails) throw new Error(`${rule.code} is not a file-level rule the engine runs`);
  const table = q(stagingTable(rule.table as TableName));
  const field = q(rule.fields[0] ?? '');
  switch (check.fails.kind) {
    case 'empty':
      return `SELECT NULL::BIGINT AS _row, 'no rows' AS value WHERE NOT EXISTS (SELECT 1 FROM ${table})`;
    case 'rows':
      return `SELECT _row, ${field} AS value FROM ${table} WHERE ${fill(check.fails.where, contextParams(ctx))}`;
    case 'duplicated':
      return `SELECT _row, ${field} AS value FROM ${table} WHERE filled(${field}) QUALIFY count(*) OVER (PARTITION BY trim(${field})) > 1`;
    case 'query':
      return fill(check.fails.sql, contextParams(ctx));
  }
}

/** Items of ancestor tables that rules of this table refer to. */
export function ancestorFields(table: TableName, rules: readonly Rule[]): string[] {
  const own = new Set(tableSpec(table).items.map((i) => i.name));
  const wanted = new Set<string>();
  for (const r of rules) {
    if (r.check.kind === 'comparison' && !own.has(r.check.other)) wanted.add(r.check.other);
    if (r.check.kind === 'custom') for (const a of r.check.ancestors ?? []) if (!own.has(a)) wanted.add(a);
  }
  return [...wanted];
}

/**
 * A view over stg_<table> with the ancestor items joined in (through the parent keys of the spec; a key
 * that appears twice in the parent takes its smallest value).
 */
export function viewSql(table: TableName, ancestors: readonly string[]): string {
  const base = q(stagingTable(table));
  if (ancestors.length === 0) return `SELECT * FROM ${base}`;
  const joins: string[] = [];
  const select: string[] = [];
  const remaining = new Set(ancestors);
  let current = tableSpec(table);
  let keySource = `t0.${q(current.parent?.item ?? '')}`;
  let depth = 0;
  while (remaining.size > 0 && current.parent) {
    const parent = tableSpec(current.parent.table);
    const here = [...remaining].filter((f) => parent.items.some((i) => i.name === f));
    const nextKey = parent.parent?.item;
    const cols = [...new Set([...here, ...(nextKey && remaining.size > here.length ? [nextKey] : [])])];
    depth += 1;
    const a = `a${depth}`;
    joins.push(
      `LEFT JOIN (SELECT ${q(current.parent.item)} AS k${cols.map((f) => `, min(${q(f)}) AS ${q(f)}`).join('')} FROM ${q(stagingTable(parent.name))} GROUP BY 1) ${a} ON ${a}.k = ${keySource}`,
    );
    for (const f of here) {
      select.push(`${a}.${q(f)}`);
      remaining.delete(f);
    }
    if (!nextKey) break;
    keySource = `${a}.${q(nextKey)}`;
    current = parent;
  }
  if (remaining.size > 0) throw new Error(`${table}: no ancestor holds ${[...remaining].join(', ')}`);
  return `SELECT t0.*, ${select.join(', ')} FROM ${base} t0 ${joins.join(' ')}`;
}
