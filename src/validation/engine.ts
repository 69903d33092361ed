// Runs the rule set over staged tables, set-based: one SQL statement per table for the row-level rules,
// one per uniqueness rule, then the referential rules in the NHS order until nothing more is rejected, then
// the file-level rules. Results stay in DuckDB: `fail` (every failing row and rule) and `rejected` (rows
// not loaded); the report is built from them.
import { TABLE_NAMES, TABLES, type TableName } from '../dataset/index.js';
import { z } from 'zod';
import { sqlInteger, type Db } from '../core/db.js';

const tableCount = z.object({ tbl: z.string(), n: sqlInteger });
import { ident as q, literal as lit } from '../core/sql.js';
import { stagingTable, type IntakeFinding, type StagedSubmission } from '../intake/types.js';
import { ancestorFields, rowCondition, RuleNotApplicable, viewSql } from './compile.js';
import { missingRequirement, type RunContext } from './context.js';
import { RULES } from './rules/index.js';
import type { Rule } from './types.js';

export interface NotRun {
  rule: Rule;
  reason: string;
}

export interface EngineResult {
  notRun: NotRun[];
  outcome: 'accepted' | 'rejected';
}

const ROW_KINDS = new Set(['blank', 'format', 'codeList', 'dateWindow', 'comparison', 'reference', 'custom', 'placeholder']);

/** Referential rules in the order the NHS applies them (reference §5.3), then ours for the v2.1 tables. */
const REFERENTIAL_ORDER = ['IDS00220', 'IDS10101', 'IDS20142', 'IDS20224', 'IDS60612', 'IDS60708', 'IDS00401', 'IDS00701', 'IDS01101', 'IDS01201', 'IDS80301', 'IDS10510', 'IDS10801', 'IDS20501', 'IDS60201', 'IDS60301', 'IDS00301', 'IDS60101'];
const PARENT_NEEDS_CHILD = ['IDS00145', 'IDS00146'];

export function applies(rule: Rule, ctx: RunContext): boolean {
  return !rule.versions || rule.versions.includes(ctx.version);
}

async function recordIntakeFindings(db: Db, findings: readonly IntakeFinding[]): Promise<void> {
  if (findings.length === 0) return;
  const values = findings.map((f) => `(${lit(f.code)}, ${lit(f.table)}, ${f.row === null ? 'NULL' : f.row}, ${f.field === null ? 'NULL' : lit(f.field)}, ${f.value === null ? 'NULL' : lit(f.value)})`);
  for (let i = 0; i < values.length; i += 1000) await db.run(`INSERT INTO fail VALUES ${values.slice(i, i + 1000).join(', ')}`);
}

export async function runRules(db: Db, staged: StagedSubmission, ctx: RunContext): Promise<EngineResult> {
  await db.run(`CREATE OR REPLACE TABLE fail (code VARCHAR, tbl VARCHAR, _row BIGINT, field VARCHAR, value VARCHAR)`);
  await db.run(`CREATE OR REPLACE TABLE rejected (tbl VARCHAR, _row BIGINT)`);
  await recordIntakeFindings(db, staged.findings);
  const notRun: NotRun[] = [];
  if (!staged.structureOk) return { notRun: RULES.filter((r) => r.check.kind !== 'file').map((rule) => ({ rule, reason: 'the structure check failed (IDSREJ001): fix the tables and columns first' })), outcome: 'rejected' };

  const usable = (rule: Rule): boolean => {
    if (!applies(rule, ctx)) return false;
    const missing = missingRequirement(rule.requires, ctx);
    if (missing) notRun.push({ rule, reason: missing });
    return !missing;
  };

  // 1. Row-level rules: one statement per table. Formula rules name items of every table: each table checks
  //    those of its items that it has.
  const formulaRules = RULES.filter((r) => r.check.kind === 'formula' && usable(r));
  const failing = (rule: Rule, field: string) =>
    `CASE WHEN ${rowCondition(rule, ctx, field)} THEN {'code': ${lit(rule.code)}, 'field': ${lit(field)}, 'value': CAST(t.${q(field)} AS VARCHAR)} END`;
  for (const table of TABLE_NAMES) {
    const rules = RULES.filter((r) => r.table === table && ROW_KINDS.has(r.check.kind) && r.check.kind !== 'placeholder' && usable(r));
    const parts: string[] = [];
    for (const rule of rules) {
      try {
        parts.push(failing(rule, rule.fields[0]!));
      } catch (error) {
        if (!(error instanceof RuleNotApplicable)) throw error;
        notRun.push({ rule, reason: error.message });
      }
    }
    const items = new Set(TABLES.find((t) => t.name === table)!.items.map((i) => i.name));
    for (const rule of formulaRules) for (const field of rule.fields.filter((f) => items.has(f))) parts.push(failing(rule, field));
    if (parts.length === 0) continue;
    // One scan of the table: each row yields the list of rules it fails.
    const view = viewSql(table, ancestorFields(table, rules));
    await db.run(
      `INSERT INTO fail SELECT f.code, ${lit(table)}, _row, f.field, f.value FROM (` +
        `SELECT _row, unnest(list_filter([${parts.join(', ')}], x -> x IS NOT NULL)) AS f FROM (${view}) t) WHERE f IS NOT NULL`,
    );
  }
  const severity = new Map(RULES.map((r) => [r.code, r.severity]));
  const codesOf = (s: string) => [...severity].filter(([, v]) => v === s).map(([c]) => lit(c));
  await db.run(`INSERT INTO rejected SELECT DISTINCT tbl, _row FROM fail WHERE _row IS NOT NULL AND code IN (${codesOf('reject_record').join(', ')})`);

  // 2. Uniqueness: every row sharing a key fails; group rules reject them all.
  for (const rule of RULES.filter((r) => r.check.kind === 'uniqueness' && usable(r))) {
    const check = rule.check as Extract<Rule['check'], { kind: 'uniqueness' }>;
    const table = rule.table as TableName;
    const keys = check.key.map((k) => `nullif(trim(${q(k)}), '')`);
    const where = [check.where ?? 'true', ...(check.nullsEqual ? [] : keys.map((k) => `${k} IS NOT NULL`)), ...(check.onlyWhereBlank ? [`blank(${q(check.onlyWhereBlank)})`] : [])].join(' AND ');
    await db.run(
      `INSERT INTO fail SELECT ${lit(rule.code)}, ${lit(table)}, _row, ${lit(rule.fields[0]!)}, value FROM (` +
        `SELECT _row, concat_ws(' + ', ${check.key.map((k) => `coalesce(${q(k)}, '')`).join(', ')}) AS value, count(*) OVER (PARTITION BY ${keys.join(', ')}) AS n ` +
        `FROM ${q(stagingTable(table))} WHERE ${where}) WHERE n > 1`,
    );
    if (rule.severity === 'reject_group') await db.run(`INSERT INTO rejected SELECT tbl, _row FROM fail WHERE code = ${lit(rule.code)}`);
  }

  // 3. Referential integrity in the NHS order, against rows still valid; repeated until nothing changes so
  //    that a rejection cascades to every dependant (each reported under its own referential code).
  const partnerChecks = [...REFERENTIAL_ORDER, ...PARENT_NEEDS_CHILD]
    .map((code) => RULES.find((r) => r.code === code)!)
    .filter((rule) => applies(rule, ctx))
    .map((rule) => {
      const check = rule.check;
      if (check.kind === 'referential') return { code: rule.code, table: rule.table as TableName, partner: check.parent, key: check.key };
      if (check.kind === 'parentWithoutChild') return { code: rule.code, table: rule.table as TableName, partner: check.child, key: check.key };
      throw new Error(`${rule.code} is not a referential rule`);
    });
  // The row under `alias` has not been rejected (the rejected table is aliased `rj` so it cannot shadow the caller's).
  const valid = (table: TableName, alias: string) => `NOT EXISTS (SELECT 1 FROM rejected rj WHERE rj.tbl = ${lit(table)} AND rj._row = ${alias}._row)`;
  const rejectedCounts = async (): Promise<Map<string, number>> =>
    new Map((await db.rows(tableCount, `SELECT tbl, count(*) AS n FROM rejected GROUP BY 1`)).map((r) => [r.tbl, r.n]));
  const recordRejections = (code: string) =>
    `INSERT INTO rejected SELECT tbl, _row FROM fail f WHERE code = ${lit(code)} AND NOT EXISTS (SELECT 1 FROM rejected x WHERE x.tbl = f.tbl AND x._row = f._row)`;
  // A valid row of `table` whose key has no valid row in `partner` fails `code` and is rejected: a child
  // without its parent (referential rules) or a parent without a required child (IDS00145, IDS00146).
  const rejectWithoutPartner = (code: string, table: TableName, partner: TableName, keyItem: string) => {
    const key = q(keyItem);
    return db.run(
      `INSERT INTO fail SELECT ${lit(code)}, ${lit(table)}, own._row, ${lit(keyItem)}, own.${key} FROM ${q(stagingTable(table))} own ` +
        `WHERE ${valid(table, 'own')} AND NOT EXISTS (SELECT 1 FROM ${q(stagingTable(partner))} other WHERE other.${key} = own.${key} AND ${valid(partner, 'other')}); ${recordRejections(code)}`,
    );
  };
  let counts = await rejectedCounts();
  // Tables whose rejections changed since a rule last ran; a rule reruns only when one of its tables did.
  let changed: Set<string> | null = null;
  for (let pass = 0; pass < 10; pass++) {
    for (const { code, table, partner, key } of partnerChecks) {
      if (changed && !changed.has(table) && !changed.has(partner)) continue;
      await rejectWithoutPartner(code, table, partner, key);
    }
    const now = await rejectedCounts();
    changed = new Set([...now].filter(([t, n]) => counts.get(t) !== n).map(([t]) => t));
    counts = now;
    if (changed.size === 0) break;
  }

  // 4. File-level rules.
  await fileRules(db, staged, ctx);
  const fileCodes = RULES.filter((r) => r.severity === 'reject_file').map((r) => lit(r.code));
  const rejectedFile = (await db.count(`SELECT count(*) FROM fail WHERE code IN (${fileCodes.join(', ')})`)) > 0;
  return { notRun, outcome: rejectedFile ? 'rejected' : 'accepted' };
}

async function fileRules(db: Db, staged: StagedSubmission, ctx: RunContext): Promise<void> {
  const stg = (t: TableName) => q(stagingTable(t));
  const insert = (code: string, table: TableName | 'File', field: string | null, select: string) => db.run(`INSERT INTO fail SELECT ${lit(code)}, ${lit(table)}, _row, ${field ? lit(field) : 'NULL'}, value FROM (${select})`);
  const empty: [string, TableName][] = [
    ['IDSREJ002', 'IDS000Header'],
    ['IDSREJ003', 'IDS001MPI'],
    ['IDSREJ004', 'IDS101Referral'],
    ['IDSREJ005', 'IDS002GP'],
  ];
  for (const [code, table] of empty) if ((staged.rows.get(table) ?? 0) === 0) await insert(code, table, null, `SELECT NULL::BIGINT AS _row, 'no rows' AS value`);
  await insert('IDSREJ006', 'IDS001MPI', 'NHSNumber', `SELECT _row, NHSNumber AS value FROM ${stg('IDS001MPI')} WHERE filled(NHSNumber) AND NOT nhs_number_valid(trim(NHSNumber))`);
  await insert('IDSREJ007', 'IDS001MPI', 'Postcode', `SELECT _row, Postcode AS value FROM ${stg('IDS001MPI')} WHERE filled(Postcode) AND NOT regexp_full_match(Postcode, '[A-Za-z]{1,2}[0-9][A-Za-z0-9]?\\s+[0-9][A-Za-z]{2}')`);
  if (ctx.rpStart && ctx.rpEnd) {
    await insert(
      'IDSREJ008',
      'IDS001MPI',
      'PersonBirthDate',
      `SELECT _row, PersonBirthDate AS value FROM ${stg('IDS001MPI')} WHERE d(PersonBirthDate) > DATE ${lit(ctx.rpEnd)} OR date_sub('month', d(PersonBirthDate), DATE ${lit(ctx.rpStart)}) // 12 > 120`,
    );
  }
  await insert('IDSREJ009', 'IDS001MPI', 'NHSNumber', `SELECT _row, NHSNumber AS value FROM ${stg('IDS001MPI')} WHERE filled(NHSNumber) QUALIFY count(*) OVER (PARTITION BY trim(NHSNumber)) > 1`);
  await insert('IDSREJ010', 'IDS001MPI', 'LocalPatientId', `SELECT _row, LocalPatientId AS value FROM ${stg('IDS001MPI')} WHERE filled(LocalPatientId) QUALIFY count(*) OVER (PARTITION BY trim(LocalPatientId)) > 1`);
  const headerRows = staged.rows.get('IDS000Header') ?? 0;
  const headerRejected = await db.count(`SELECT count(*) FROM rejected WHERE tbl = 'IDS000Header'`);
  if (headerRows > 1 || (headerRows === 1 && headerRejected > 0)) {
    await insert('IDSREJ015', 'IDS000Header', null, `SELECT _row, ${headerRows > 1 ? "'more than one Header row'" : "'the Header row failed its own rules'"} AS value FROM ${stg('IDS000Header')}`);
  }
  if (ctx.rpStart && ctx.rpEnd && (staged.rows.get('IDS101Referral') ?? 0) > 0) {
    const [s, e] = [`DATE ${lit(ctx.rpStart)}`, `DATE ${lit(ctx.rpEnd)}`];
    const inPeriod = await db.count(
      `SELECT (SELECT count(*) FROM ${stg('IDS101Referral')} WHERE d(ReferralRequestReceivedDate) <= ${e} AND (d(ServDischDate) IS NULL OR d(ServDischDate) >= ${s})) + ` +
        `(SELECT count(*) FROM ${stg('IDS201CareContact')} WHERE d(CareContDate) BETWEEN ${s} AND ${e}) AS n`,
    );
    if (inPeriod === 0) await insert('IDSREJ012', 'File', null, `SELECT NULL::BIGINT AS _row, 'no referral open and no contact in ${ctx.rpStart} – ${ctx.rpEnd}' AS value`);
  }
  const validReferrals = await db.count(`SELECT count(*) FROM ${stg('IDS101Referral')} r WHERE NOT EXISTS (SELECT 1 FROM rejected x WHERE x.tbl = 'IDS101Referral' AND x._row = r._row)`);
  if (validReferrals === 0 && (staged.rows.get('IDS101Referral') ?? 0) > 0) await insert('IDSREJ101', 'IDS101Referral', null, `SELECT NULL::BIGINT AS _row, 'no valid referral left after record-level validation' AS value`);
}

/** Tables in the order of the record tree, for sorting output. */
export const TABLE_ORDER = new Map<string, number>([['File', -1], ...TABLES.map((t, i) => [t.name, i] as [string, number])]);
