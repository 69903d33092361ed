// Reads the Access Intermediate Database form (.mdb / .accdb) with mdb-reader, table by table in pages,
// appending text values into DuckDB raw tables, then staging them like the CSV form.
import { readFileSync } from 'node:fs';
import MDBReader from 'mdb-reader';
import { TABLE_NAMES, TABLES, type TableName } from '../dataset/index.js';
import { expectedColumns, expectedTables, type Version } from './columns.js';
import { quoteIdent, type Db } from './duckdb.js';
import { createStaging, versionOf } from './stage.js';
import { IntakeError, type IntakeFinding } from './types.js';

const PAGE = 10_000;

/** The parts of an Access table the reader needs; mdb-reader's Table satisfies it (tests pass fakes). */
export interface TableSource {
  rowCount: number;
  getColumnNames(): string[];
  getData(options: { columns?: readonly string[]; rowOffset: number; rowLimit: number }): Record<string, unknown>[];
}

export interface DatabaseSource {
  getTableNames(): string[];
  getTable(name: string): TableSource;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** An Access value as the text the CSV form would carry for an item of this type. */
export function accessValueText(value: unknown, type: 'string' | 'integer' | 'date' | 'time' | 'datetime'): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    // mdb-reader returns the stored wall-clock value as UTC.
    const date = `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
    const time = `${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}`;
    if (type === 'time') return time;
    if (type === 'datetime') return `${date}T${time}`;
    return time === '00:00:00' ? date : `${date}T${time}`;
  }
  if (typeof value === 'boolean') return value ? 'Y' : 'N';
  if (typeof value === 'bigint' || typeof value === 'number') return String(value);
  if (typeof value === 'string') return value === '' ? null : value; // as in the CSV form, empty is null
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return String(value);
}

export function openAccess(path: string): DatabaseSource {
  let reader: MDBReader;
  try {
    reader = new MDBReader(readFileSync(path));
  } catch (error) {
    throw new IntakeError(`${path} is not a readable Access database (${(error as Error).message})`);
  }
  return { getTableNames: () => reader.getTableNames(), getTable: (name) => reader.getTable(name) };
}

async function loadRaw(db: Db, table: TableName, source: TableSource, columns: string[]): Promise<void> {
  const raw = `raw_${table}`;
  await db.run(`CREATE OR REPLACE TABLE ${quoteIdent(raw)} (_row BIGINT, ${columns.map((c) => `${quoteIdent(c)} VARCHAR`).join(', ')})`);
  const types = new Map(TABLES.find((t) => t.name === table)!.items.map((i) => [i.name, i.type]));
  const appender = await db.connection.createAppender(raw);
  try {
    for (let offset = 0; offset < source.rowCount; offset += PAGE) {
      const rows = source.getData({ columns, rowOffset: offset, rowLimit: PAGE });
      rows.forEach((row, i) => {
        appender.appendBigInt(BigInt(offset + i + 1));
        for (const c of columns) {
          const text = accessValueText(row[c], types.get(c) ?? 'string');
          if (text === null) appender.appendNull();
          else appender.appendVarchar(text);
        }
        appender.endRow();
      });
    }
  } finally {
    appender.closeSync();
  }
}

export async function stageAccess(db: Db, database: DatabaseSource): Promise<{ version: Version; findings: IntakeFinding[]; structureOk: boolean }> {
  const findings: IntakeFinding[] = [];
  const names = database.getTableNames();
  const find = (t: TableName) => names.find((n) => n.toLowerCase() === t.toLowerCase());
  for (const name of names) if (!TABLE_NAMES.some((t) => t.toLowerCase() === name.toLowerCase())) findings.push({ code: 'IDSFMT04', table: 'File', row: null, field: null, value: name });

  let version: Version = '2.1';
  const headerName = find('IDS000Header');
  if (headerName) {
    const header = database.getTable(headerName);
    if (header.getColumnNames().includes('DatSetVer') && header.rowCount > 0) version = versionOf(String(header.getData({ columns: ['DatSetVer'], rowOffset: 0, rowLimit: 1 })[0]?.DatSetVer ?? ''));
  }
  let structureOk = true;
  const expected = new Set(expectedTables(version));
  for (const table of TABLE_NAMES) {
    const name = find(table);
    if (!expected.has(table) || !name) {
      if (expected.has(table)) {
        findings.push({ code: 'IDSREJ001', table, row: null, field: null, value: `table ${table} is missing` });
        structureOk = false;
      }
      await createStaging(db, table, version, null);
      continue;
    }
    const source = database.getTable(name);
    const present = source.getColumnNames();
    const wanted = expectedColumns(table, version);
    const missing = wanted.filter((c) => !present.includes(c));
    for (const column of missing) findings.push({ code: 'IDSREJ001', table, row: null, field: column, value: `column ${column} is missing` });
    for (const column of present.filter((c) => !wanted.includes(c))) findings.push({ code: 'IDSFMT02', table, row: null, field: column, value: column });
    if (missing.length > 0) structureOk = false;
    const columns = present.filter((c) => wanted.includes(c));
    await loadRaw(db, table, source, columns);
    await createStaging(db, table, version, { name: `raw_${table}`, columns: new Set(columns) });
    await db.run(`DROP TABLE ${quoteIdent(`raw_${table}`)}`);
  }
  return { version, findings, structureOk };
}
