// Runs the rule set over staged tables, set-based, in four named steps: the row-level rules (one statement per
// table), the uniqueness rules (one per rule), the referential cascade (in the rules' order, to a fixpoint), and
// the file-level rules (one query each). Results stay in DuckDB: `fail` (every failing row and rule) and
// `rejected` (rows not loaded); the report is built from them.
import { TABLE_NAMES, TABLES, type TableName } from '../dataset/index.js';
import { z } from 'zod';
import { sqlInteger, type Db } from '../core/db.js';
import { col, eq, ident as q, isIn, literal as lit, values } from '../core/sql.js';
import { stagingTable, type IntakeFinding, type StagedSubmission } from '../intake/types.js';
import { ancestorFields, fileRuleRows, rowCondition, RuleNotApplicable, viewSql } from './compile.js';
import { missingRequirement, type RunContext } from './context.js';
import { RULES } from './rules/index.js';
import type { Rule, Severity } from './types.js';

export interface NotRun {
  rule: Rule;
  reason: string;
}

export interface EngineResult {
  notRun: NotRun[];
  outcome: 'accepted' | 'rejected';
}

const ROW_KINDS = new Set(['blank', 'format', 'codeList', 'dateWindow', 'comparison', 'reference', 'custom']);

export function applies(rule: Rule, ctx: RunContext): boolean {
  return !rule.versions || rule.versions.includes(ctx.version);
}

/** Whether the run has what the rule requires (--provider, --period, --reference); if not, it is listed as not run. */
function runnable(rule: Rule, ctx: RunContext, notRun: NotRun[]): boolean {
  const missing = missingRequirement(rule.requires, ctx);
  if (missing) notRun.push({ rule, reason: missing });
  return !missing;
}

const codesOf = (severity: Severity): string[] => RULES.filter((r) => r.severity === severity).map((r) => r.code);

export async function runRules(db: Db, staged: StagedSubmission, ctx: RunContext): Promise<EngineResult> {
  await db.run(`CREATE OR REPLACE TABLE fail (code VARCHAR, tbl VARCHAR, _row BIGINT, field VARCHAR, value VARCHAR)`);
  await db.run(`CREATE OR REPLACE TABLE rejected (tbl VARCHAR, _row BIGINT)`);
  await recordIntakeFindings(db, staged.findings);
  if (!staged.structureOk) {
    const reason = 'the structure check failed (IDSREJ001): fix the tables and columns first';
    return { notRun: RULES.filter((r) => r.check.kind !== 'file').map((rule) => ({ rule, reason })), outcome: 'rejected' };
  }
  const notRun: NotRun[] = [];
  await runRowRules(db, ctx, notRun);
  await runUniquenessRules(db, ctx, notRun);
  await runReferentialCascade(db, cascadeRules(ctx));
  await runFileRules(db, ctx);
  const rejectedFile = (await db.count(`SELECT count(*) FROM fail WHERE ${isIn('code', codesOf('reject_file'))}`)) > 0;
  return { notRun, outcome: rejectedFile ? 'rejected' : 'accepted' };
}

async function recordIntakeFindings(db: Db, findings: readonly IntakeFinding[]): Promise<void> {
  for (let i = 0; i < findings.length; i += 1000) {
    const rows = findings.slice(i, i + 1000).map((f) => [f.code, f.table, f.row, f.field, f.value]);
    await db.run(`INSERT INTO fail VALUES ${values(rows)}`);
  }
}

/** `{code, field, value}` when the row under alias `t` fails `rule` on `field`, else NULL. */
const failing = (rule: Rule, field: string, ctx: RunContext): string =>
  `CASE WHEN ${rowCondition(rule, ctx, field)} THEN {'code': ${lit(rule.code)}, 'field': ${lit(field)}, 'value': CAST(${col('t', field)} AS VARCHAR)} END`;

/**
 * 1. Row-level rules: one scan per table, each row yielding the list of rules it fails; then the rows failing a
 *    reject-record rule are rejected. Formula rules name items of every table: each table checks those it has.
 *    A rule whose requirement (--provider, --period, --reference) or context value is missing is not run.
 */
export async function runRowRules(db: Db, ctx: RunContext, notRun: NotRun[]): Promise<void> {
  const formulaRules = RULES.filter((r) => r.check.kind === 'formula' && applies(r, ctx));
  for (const table of TABLE_NAMES) {
    const rules = RULES.filter((r) => r.table === table && ROW_KINDS.has(r.check.kind) && applies(r, ctx) && runnable(r, ctx, notRun));
    const parts: string[] = [];
    for (const rule of rules) {
      try {
        parts.push(failing(rule, rule.fields[0]!, ctx));
      } catch (error) {
        if (!(error instanceof RuleNotApplicable)) throw error;
        notRun.push({ rule, reason: error.message });
      }
    }
    const items = new Set(TABLES.find((t) => t.name === table)!.items.map((i) => i.name));
    for (const rule of formulaRules) for (const field of rule.fields.filter((f) => items.has(f))) parts.push(failing(rule, field, ctx));
    if (parts.length === 0) continue;
    const view = viewSql(table, ancestorFields(table, rules));
    await db.run(
      `INSERT INTO fail SELECT f.code, ${lit(table)}, _row, f.field, f.value FROM (` +
        `SELECT _row, unnest(list_filter([${parts.join(', ')}], x -> x IS NOT NULL)) AS f FROM (${view}) t) WHERE f IS NOT NULL`,
    );
  }
  await db.run(`INSERT INTO rejected SELECT DISTINCT tbl, _row FROM fail WHERE _row IS NOT NULL AND ${isIn('code', codesOf('reject_record'))}`);
}

/** 2. Uniqueness: every row sharing a key fails; group rules reject them all. */
export async function runUniquenessRules(db: Db, ctx: RunContext, notRun: NotRun[]): Promise<void> {
  for (const rule of RULES.filter((r) => r.check.kind === 'uniqueness' && applies(r, ctx) && runnable(r, ctx, notRun))) {
    const check = rule.check as Extract<Rule['check'], { kind: 'uniqueness' }>;
    const keys = check.key.map((k) => `nullif(trim(${q(k)}), '')`);
    const where = [check.where ?? 'true', ...(check.nullsEqual ? [] : keys.map((k) => `${k} IS NOT NULL`)), ...(check.onlyWhereBlank ? [`blank(${q(check.onlyWhereBlank)})`] : [])].join(' AND ');
    await db.run(
      `INSERT INTO fail SELECT ${lit(rule.code)}, ${lit(rule.table)}, _row, ${lit(rule.fields[0]!)}, value FROM (` +
        `SELECT _row, concat_ws(' + ', ${check.key.map((k) => `coalesce(${q(k)}, '')`).join(', ')}) AS value, count(*) OVER (PARTITION BY ${keys.join(', ')}) AS n ` +
        `FROM ${q(stagingTable(rule.table as TableName))} WHERE ${where}) WHERE n > 1`,
    );
    if (rule.severity === 'reject_group') await db.run(`INSERT INTO rejected SELECT tbl, _row FROM fail WHERE ${eq('code', rule.code)}`);
  }
}

/** A rule of the referential cascade: a valid row of `table` whose `key` has no valid row in `partner` fails `code`. */
export interface CascadeRule {
  code: string;
  table: TableName;
  partner: TableName;
  key: string;
}

/**
 * The referential rules that apply, in their cascade order (`order` on each rule): a child without its parent
 * (referential rules, the NHS order of reference §5.3, then ours), then a parent without a required child
 * (IDS00145, IDS00146).
 */
export function cascadeRules(ctx: RunContext): CascadeRule[] {
  const rules: (CascadeRule & { order: number })[] = [];
  for (const rule of RULES.filter((r) => applies(r, ctx))) {
    const { check, code } = rule;
    const table = rule.table as TableName;
    if (check.kind === 'referential') rules.push({ code, table, partner: check.parent, key: check.key, order: check.order });
    if (check.kind === 'parentWithoutChild') rules.push({ code, table, partner: check.child, key: check.key, order: check.order });
  }
  return rules.sort((a, b) => a.order - b.order).map(({ code, table, partner, key }) => ({ code, table, partner, key }));
}

/** The row under `alias` has not been rejected (`rejected` is aliased `rj` so that it cannot shadow the caller's). */
const valid = (table: TableName, alias: string): string => `NOT EXISTS (SELECT 1 FROM rejected rj WHERE ${eq('rj.tbl', table)} AND rj._row = ${alias}._row)`;

/** The SQL of one cascade rule: record its failures, then reject the rows that failed it and were not yet rejected. */
export function cascadeRuleSql({ code, table, partner, key }: CascadeRule): string {
  const k = q(key);
  return (
    `INSERT INTO fail SELECT ${lit(code)}, ${lit(table)}, own._row, ${lit(key)}, own.${k} FROM ${q(stagingTable(table))} own ` +
    `WHERE ${valid(table, 'own')} AND NOT EXISTS (SELECT 1 FROM ${q(stagingTable(partner))} other WHERE other.${k} = own.${k} AND ${valid(partner, 'other')}); ` +
    `INSERT INTO rejected SELECT tbl, _row FROM fail f WHERE ${eq('code', code)} AND NOT EXISTS (SELECT 1 FROM rejected x WHERE x.tbl = f.tbl AND x._row = f._row)`
  );
}

const tableCount = z.object({ tbl: z.string(), n: sqlInteger });

/**
 * 3. Referential integrity, against rows still valid (only records that survived their own rules count as
 *    partners), pass after pass until a pass rejects nothing more, so that a rejection cascades to every
 *    dependant, each reported under its own referential code. A rule reruns only when a pass changed the
 *    rejections of its table or its partner's. It ends: rejections only grow, and a pass that adds none is the
 *    last. Returns the number of passes.
 */
export async function runReferentialCascade(db: Db, rules: readonly CascadeRule[]): Promise<number> {
  const rejectedCounts = async () => new Map((await db.rows(tableCount, `SELECT tbl, count(*) AS n FROM rejected GROUP BY 1`)).map((r) => [r.tbl, r.n]));
  let counts = await rejectedCounts();
  let changed: Set<string> | null = null;
  let passes = 0;
  do {
    passes += 1;
    for (const rule of rules) if (!changed || changed.has(rule.table) || changed.has(rule.partner)) await db.run(cascadeRuleSql(rule));
    const now = await rejectedCounts();
    changed = new Set([...now].filter(([t, n]) => counts.get(t) !== n).map(([t]) => t));
    counts = now;
  } while (changed.size > 0);
  return passes;
}

/**
 * 4. File-level rules, each a query of its failing rows (compile.ts `fileRuleRows`), after the record-level rules
 *    so that they can read `rejected`. A rule that needs the reporting period is skipped when it is not known.
 */
export async function runFileRules(db: Db, ctx: RunContext): Promise<void> {
  for (const rule of RULES.filter((r) => r.check.kind === 'file' && r.check.fails && applies(r, ctx))) {
    let rows: string;
    try {
      rows = fileRuleRows(rule, ctx);
    } catch (error) {
      if (error instanceof RuleNotApplicable) continue;
      throw error;
    }
    await db.run(`INSERT INTO fail SELECT ${lit(rule.code)}, ${lit(rule.table)}, _row, ${lit(rule.fields[0] ?? null)}, value FROM (${rows})`);
  }
}

/** Tables in the order of the record tree, for sorting output. */
export const TABLE_ORDER = new Map<string, number>([['File', -1], ...TABLES.map((t, i) => [t.name, i] as [string, number])]);
