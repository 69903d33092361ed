// Staging tables: `stg_<TableName>` holds every submitted row as text, in the v2.1 shape, with `_row`, the
// 1-based data row in the file. Readers load raw tables; this turns them into staging tables.
import { TABLE_NAMES, type TableName } from '../dataset/index.js';
import { stagedColumns, type Version } from './columns.js';
import { sqlInteger, type Db } from '../core/db.js';
import { ident, literal } from '../core/sql.js';
import { stagingTable } from './types.js';
import { z } from 'zod';

/**
 * Creates stg_<table> from a raw table (columns named as in the file, plus `_row`), mapping v2.0 names to
 * v2.1 and filling items the file lacks with null. With no raw table the staging table is empty.
 */
export async function createStaging(db: Db, table: TableName, version: Version, raw: { name: string; columns: ReadonlySet<string>; rowExpr?: string } | null): Promise<void> {
  const columns = stagedColumns(table, version);
  if (!raw) {
    await db.run(`CREATE OR REPLACE TABLE ${ident(stagingTable(table))} (_row BIGINT, ${columns.map((c) => `${ident(c.column)} VARCHAR`).join(', ')})`);
    return;
  }
  const select = columns
    .map((c) => (c.from !== null && raw.columns.has(c.from) ? `CAST(${ident(c.from)} AS VARCHAR) AS ${ident(c.column)}` : `CAST(NULL AS VARCHAR) AS ${ident(c.column)}`))
    .join(', ');
  await db.run(`CREATE OR REPLACE TABLE ${ident(stagingTable(table))} AS SELECT CAST(${raw.rowExpr ?? '_row'} AS BIGINT) AS _row, ${select} FROM ${ident(raw.name)} r ORDER BY _row`);
}

/** Row counts of every staging table. */
export async function stagedRowCounts(db: Db): Promise<Map<TableName, number>> {
  const union = TABLE_NAMES.map((t) => `SELECT ${literal(t)} AS t, count(*) AS n FROM ${ident(stagingTable(t))}`).join(' UNION ALL ');
  const rows = await db.rows(z.object({ t: z.enum(TABLE_NAMES), n: sqlInteger }), union);
  return new Map(rows.map((r) => [r.t, r.n]));
}

/** The trimmed DatSetVer of the staged or raw header, if there is exactly one readable row. */
export function versionOf(datSetVer: string | null | undefined): Version {
  return datSetVer?.trim() === '2.0' ? '2.0' : '2.1';
}
