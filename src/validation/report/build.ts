// Builds report.json from the engine's tables, and writes findings.csv straight from DuckDB (uncapped).
import { neutraliseSql } from '../../core/formula.js';
import { codeList, TABLE_NAMES, TABLES } from '../../dataset/index.js';
import { z } from 'zod';
import { sqlInteger, type Db } from '../../core/db.js';

const tableCount = z.object({ tbl: z.string(), n: sqlInteger });
const findingRow = z.object({
  code: z.string(),
  severity: z.enum(['reject_file', 'reject_group', 'reject_record', 'warning']),
  tbl: z.string(),
  field: z.string().nullable(),
  count: sqlInteger,
  examples: z.array(z.object({ row: sqlInteger.nullable(), key: z.string(), value: z.string().nullable() })),
});
import { eq, ident as q, isIn, literal as lit, notIn, values } from '../../core/sql.js';
import { stagingTable, type StagedSubmission } from '../../intake/types.js';
import type { RunContext } from '../context.js';
import type { EngineResult } from '../engine.js';
import { RULES } from '../rules/index.js';
import { SEVERITIES } from '../types.js';
import type { ReportDataQuality, ReportFinding, ValidationReport } from './types.js';

const INVALID_KINDS = new Set(['format', 'codeList', 'reference']);

/** Attaches each failing row's key (its unique-key items) to `fail`, as table `fail_keyed`. */
async function keyFailures(db: Db): Promise<void> {
  const parts = TABLES.map((t) => {
    const key = t.uniqueKey.length > 0 ? `concat_ws(' | ', ${t.uniqueKey.map((k) => `coalesce(s.${q(k)}, '')`).join(', ')})` : `''`;
    return `SELECT f.*, ${key} AS key FROM fail f JOIN ${q(stagingTable(t.name))} s ON f.tbl = ${lit(t.name)} AND f._row = s._row`;
  });
  parts.push(`SELECT f.*, '' AS key FROM fail f WHERE f._row IS NULL OR ${notIn('f.tbl', TABLE_NAMES)} OR NOT EXISTS (SELECT 1 FROM (${TABLES.map((t) => `SELECT ${lit(t.name)} AS tbl, _row FROM ${q(stagingTable(t.name))}`).join(' UNION ALL ')}) s WHERE s.tbl = f.tbl AND s._row = f._row)`);
  await db.run(`CREATE OR REPLACE TABLE fail_keyed AS ${parts.join(' UNION ALL ')}`);
  const severities = values(RULES.map((r) => [r.code, r.severity, SEVERITIES.indexOf(r.severity)]));
  await db.run(`CREATE OR REPLACE TABLE rule_severity (code VARCHAR, severity VARCHAR, rank INTEGER); INSERT INTO rule_severity VALUES ${severities}`);
  const order = values([['File', -1], ...TABLE_NAMES.map((t, i) => [t, i])]);
  await db.run(`CREATE OR REPLACE TABLE table_order (tbl VARCHAR, rank INTEGER); INSERT INTO table_order VALUES ${order}`);
}

async function findings(db: Db, exampleLimit: number): Promise<ReportFinding[]> {
  const rows = await db.rows(
    findingRow,
    `SELECT f.code, s.severity, f.tbl, any_value(f.field) AS field, count(*) AS count, ` +
      `list({'row': f._row, 'key': f.key, 'value': f.value} ORDER BY f._row NULLS FIRST, f.value)[1:${exampleLimit}] AS examples ` +
      `FROM fail_keyed f JOIN rule_severity s USING (code) JOIN table_order o USING (tbl) GROUP BY f.code, s.severity, s.rank, f.tbl, o.rank ORDER BY s.rank, o.rank, f.code`,
  );
  const message = new Map(RULES.map((r) => [r.code, r.message]));
  return rows.map((r) => ({
    code: r.code,
    severity: r.severity,
    table: r.tbl,
    field: r.field,
    count: r.count,
    message: message.get(r.code) ?? '',
    examples: r.examples,
  }));
}

async function dataQuality(db: Db): Promise<ReportDataQuality[]> {
  const invalidCodes = RULES.filter((r) => INVALID_KINDS.has(r.check.kind)).map((r) => r.code);
  const invalidRows = await db.rows(z.object({ tbl: z.string(), field: z.string(), n: sqlInteger }), `SELECT tbl, field, count(DISTINCT _row) AS n FROM fail WHERE ${isIn('code', invalidCodes)} AND _row IS NOT NULL GROUP BY 1, 2`);
  const invalid = new Map(invalidRows.map((r) => [`${r.tbl}.${r.field}`, Number(r.n)]));
  const out: ReportDataQuality[] = [];
  for (const t of TABLES) {
    const aggregates = t.items.flatMap((i, k) => {
      const defaults = i.codeList ? codeList(i.codeList).values.filter((v) => v.isDefault).map((v) => v.code) : [];
      return [`count(*) FILTER (WHERE blank(${q(i.name)})) AS m${k}`, defaults.length > 0 ? `count(*) FILTER (WHERE ${isIn(q(i.name), defaults)}) AS d${k}` : `0 AS d${k}`];
    });
    const [row] = await db.rows(z.record(z.string(), sqlInteger), `SELECT count(*) AS n, ${aggregates.join(', ')} FROM ${q(stagingTable(t.name))}`);
    const denominator = Number(row!.n);
    t.items.forEach((i, k) => {
      const missing = Number(row![`m${k}`]);
      const dflt = Number(row![`d${k}`]);
      const bad = invalid.get(`${t.name}.${i.name}`) ?? 0;
      out.push({ table: t.name, field: i.name, valid: denominator - dflt - bad - missing, default: dflt, invalid: bad, missing, denominator });
    });
  }
  return out;
}

export async function buildReport(db: Db, staged: StagedSubmission, ctx: RunContext, engine: EngineResult, exampleLimit = 10): Promise<ValidationReport> {
  await keyFailures(db);
  const unreadable = await db.rows(tableCount, `SELECT tbl, count(*) AS n FROM fail WHERE ${eq('code', 'IDSFMT03')} GROUP BY 1`);
  const unreadableBy = new Map(unreadable.map((r) => [r.tbl, Number(r.n)]));
  const rejectedRows = await db.rows(tableCount, `SELECT tbl, count(DISTINCT _row) AS n FROM rejected GROUP BY 1`);
  const rejectedBy = new Map(rejectedRows.map((r) => [r.tbl, Number(r.n)]));
  const fileRejected = engine.outcome === 'rejected';
  const tables = TABLE_NAMES.map((t) => {
    // Rows received are the data lines counted in the file itself, not what the CSV reader managed to load.
    const received = staged.received.get(t) ?? (staged.rows.get(t) ?? 0) + (unreadableBy.get(t) ?? 0);
    const rejected = fileRejected ? received : (rejectedBy.get(t) ?? 0) + (unreadableBy.get(t) ?? 0);
    return { table: t, received, accepted: received - rejected, rejected };
  });
  return {
    dataset: { name: 'IAPT', version: '2.1' },
    submission: {
      file: staged.file,
      sha256: staged.sha256,
      provider: ctx.provider ?? ctx.headerProvider,
      reportingPeriodStart: ctx.rpStart,
      reportingPeriodEnd: ctx.rpEnd,
      received: ctx.received,
    },
    outcome: engine.outcome,
    tables,
    findings: await findings(db, exampleLimit),
    dataQuality: staged.structureOk ? await dataQuality(db) : [],
    exampleLimit,
    notRun: engine.notRun.map((n) => ({ code: n.rule.code, table: n.rule.table, fields: n.rule.fields, reason: n.reason })),
    submittedVersion: staged.version,
  };
}

/** findings.csv: one line per failing row and rule, uncapped, written by DuckDB. The submitted text (key and
 * value) is neutralised so that a spreadsheet cannot run it as a formula (src/core/formula.ts). */
export async function writeFindingsCsv(db: Db, path: string): Promise<void> {
  await db.run(
    `COPY (SELECT f.code, s.severity, f.tbl AS "table", f._row AS "row", f.field, ${neutraliseSql('f.key')} AS key, ${neutraliseSql('f.value')} AS value ` +
      `FROM fail_keyed f JOIN rule_severity s USING (code) JOIN table_order o USING (tbl) ` +
      `ORDER BY o.rank, f._row NULLS FIRST, s.rank, f.code, f.field, f.value) TO ${lit(path)} (HEADER, DELIMITER ',')`,
  );
}
