// Reads the Access Intermediate Database form (.mdb / .accdb) with mdb-reader, table by table in pages,
// appending text values into DuckDB raw tables, then staging them like the CSV form.
import { readFileSync } from 'node:fs';
import MDBReader from 'mdb-reader';
import { TABLE_NAMES, TABLES, type TableName } from '../dataset/index.js';
import { expectedColumns, expectedTables, type Version } from './columns.js';
import type { Db } from '../core/db.js';
import { ident } from '../core/sql.js';
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
  /** The file, for messages. */
  name?: string;
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

const corrupt = (path: string, table: string | null, error: unknown): IntakeError =>
  error instanceof IntakeError
    ? error
    : new IntakeError(`${path} is a corrupt or truncated Access database (${table ? `table ${table} cannot be read: ` : ''}${error instanceof Error ? error.message : String(error)})`);

/** Runs a reader call; any exception of mdb-reader (it reads pages lazily) becomes an IntakeError naming the file and table. */
function guarded<T>(path: string, table: string | null, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw corrupt(path, table, error);
  }
}

/**
 * Opens an Access database. mdb-reader reads pages lazily, so a truncated file may open and list its tables;
 * the file length and every table's definition are checked here, and every later read is guarded, so a damaged
 * file is reported as damaged (IntakeError) rather than as a database with missing tables.
 */
export function openAccess(path: string): DatabaseSource {
  const bytes = readFileSync(path);
  let reader: MDBReader;
  try {
    reader = new MDBReader(bytes);
  } catch (error) {
    throw new IntakeError(`${path} is not a readable Access database (${(error as Error).message})`);
  }
  // Jet 3 (Access 97) pages are 2 KiB, later versions 4 KiB; a file is a whole number of pages.
  const pageSize = bytes[0x14] === 0 ? 2048 : 4096;
  if (bytes.length % pageSize !== 0) throw new IntakeError(`${path} is a corrupt or truncated Access database (${bytes.length} bytes is not a whole number of ${pageSize}-byte pages)`);
  const names = guarded(path, null, () => reader.getTableNames());
  const tables = new Map<string, TableSource>();
  for (const name of names) {
    const table = guarded(path, name, () => {
      const t = reader.getTable(name);
      t.getColumnNames();
      void t.rowCount;
      return t;
    });
    tables.set(name, {
      rowCount: table.rowCount,
      getColumnNames: () => guarded(path, name, () => table.getColumnNames()),
      getData: (options) => guarded(path, name, () => table.getData(options as Parameters<typeof table.getData>[0])),
    });
  }
  return {
    name: path,
    getTableNames: () => [...names],
    getTable: (name) => tables.get(name) ?? guarded(path, name, () => reader.getTable(name)),
  };
}

async function loadRaw(db: Db, table: TableName, source: TableSource, columns: string[]): Promise<void> {
  const raw = `raw_${table}`;
  await db.run(`CREATE OR REPLACE TABLE ${ident(raw)} (${['_row BIGINT', ...columns.map((c) => `${ident(c)} VARCHAR`)].join(', ')})`);
  const types = new Map(TABLES.find((t) => t.name === table)!.items.map((i) => [i.name, i.type]));
  const appender = await db.connection.createAppender(raw);
  try {
    for (let offset = 0; offset < source.rowCount; offset += PAGE) {
      const rows = fromTable(table, () => source.getData({ columns, rowOffset: offset, rowLimit: PAGE }));
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

export async function stageAccess(db: Db, database: DatabaseSource): Promise<{ version: Version; findings: IntakeFinding[]; structureOk: boolean; received: Map<TableName, number> }> {
  const file = database.name ?? 'the Access database';
  try {
    return await stageTables(db, database);
  } catch (error) {
    if (error instanceof IntakeError) throw error;
    // A reader that fails mid-way (a damaged page) is a damaged file, not a defect of ours.
    const table = error instanceof TableReadError ? error.table : null;
    throw corrupt(file, table, table ? (error as TableReadError).cause : error);
  }
}

class TableReadError extends Error {
  constructor(
    readonly table: string,
    override readonly cause: unknown,
  ) {
    super(`table ${table}: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

/** Calls into a table source, tagging any failure with the table. */
function fromTable<T>(table: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof IntakeError) throw error;
    throw new TableReadError(table, error);
  }
}

async function stageTables(db: Db, database: DatabaseSource): Promise<{ version: Version; findings: IntakeFinding[]; structureOk: boolean; received: Map<TableName, number> }> {
  const findings: IntakeFinding[] = [];
  const received = new Map<TableName, number>();
  const names = database.getTableNames();
  const find = (t: TableName) => names.find((n) => n.toLowerCase() === t.toLowerCase());
  for (const name of names) if (!TABLE_NAMES.some((t) => t.toLowerCase() === name.toLowerCase())) findings.push({ code: 'IDSFMT04', table: 'File', row: null, field: null, value: name });

  let version: Version = '2.1';
  const headerName = find('IDS000Header');
  if (headerName) {
    version = fromTable(headerName, () => {
      const header = database.getTable(headerName);
      return header.getColumnNames().includes('DatSetVer') && header.rowCount > 0 ? versionOf(String(header.getData({ columns: ['DatSetVer'], rowOffset: 0, rowLimit: 1 })[0]?.DatSetVer ?? '')) : version;
    });
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
    const source = fromTable(name, () => database.getTable(name));
    const present = fromTable(name, () => source.getColumnNames());
    received.set(table, source.rowCount);
    const wanted = expectedColumns(table, version);
    const missing = wanted.filter((c) => !present.includes(c));
    for (const column of missing) findings.push({ code: 'IDSREJ001', table, row: null, field: column, value: `column ${column} is missing` });
    for (const column of present.filter((c) => !wanted.includes(c))) findings.push({ code: 'IDSFMT02', table, row: null, field: column, value: column });
    if (missing.length > 0) structureOk = false;
    const columns = present.filter((c) => wanted.includes(c));
    await loadRaw(db, table, source, columns);
    await createStaging(db, table, version, { name: `raw_${table}`, columns: new Set(columns) });
    await db.run(`DROP TABLE ${ident(`raw_${table}`)}`);
  }
  return { version, findings, structureOk, received };
}
