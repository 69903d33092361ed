// Reads the CSV form of a submission (a zip or a folder of <IDB table>.csv files) into staging tables.
// Each table file is streamed once to a UTF-8 temp file in the job's work folder (prepare.ts: encoding, line
// ends, an independent record count); DuckDB parses that file. Nothing holds a whole file in memory, and a zip
// entry that is not a table is never inflated.
import { createReadStream, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TABLE_NAMES, type TableName } from '../dataset/index.js';
import { expectedColumns, expectedTables, type Version } from './columns.js';
import { sqlInteger, type Db } from '../core/db.js';
import { ident, literal } from '../core/sql.js';
import { parseCsv } from './csvText.js';
import { limitsWith, type IntakeLimits } from './limits.js';
import { prepareTable, type PreparedTable } from './prepare.js';
import { createStaging, versionOf } from './stage.js';
import { IntakeError, type IntakeFinding } from './types.js';
import { checkDeclared, inflateEntry, listZipEntries, type InflateBudget, type ZipEntry } from './zip.js';
import { z } from 'zod';

/** A table file of the submission: its name as submitted and its bytes, streamed. */
interface TableFile {
  name: string;
  open(): AsyncIterable<Uint8Array>;
}

interface Listing {
  tables: Map<TableName, TableFile>;
  /** Files that are not tables (IDSFMT04). */
  others: string[];
}

const tableOf = (name: string): TableName | undefined => {
  const base = name.split(/[/\\]/).pop()!.toLowerCase();
  return TABLE_NAMES.find((t) => `${t}.csv`.toLowerCase() === base);
};

/** Two files for one table: which one is the table cannot be decided, so the submission is refused. */
function addTable(path: string, tables: Map<TableName, TableFile>, table: TableName, file: TableFile): void {
  const other = tables.get(table);
  if (other) throw new IntakeError(`${path} holds two files for table ${table}: "${other.name}" and "${file.name}"; submit exactly one`);
  tables.set(table, file);
}

/** The submission's files (a zip may put them in folders: any depth, but each table once). */
async function listFiles(path: string, form: 'csv-zip' | 'csv-folder', limits: IntakeLimits): Promise<Listing> {
  const tables = new Map<TableName, TableFile>();
  const others: string[] = [];
  if (form === 'csv-zip') {
    const entries = await listZipEntries(path, limits);
    const budget: InflateBudget = { inflated: 0 };
    let declared = 0;
    for (const entry of entries) {
      const base = entry.name.split(/[/\\]/).pop()!;
      if (entry.name.endsWith('/') || base === '' || base.startsWith('.') || /^__MACOSX[/\\]/.test(entry.name)) continue;
      const table = tableOf(entry.name);
      if (!table) {
        others.push(entry.name);
        continue;
      }
      checkDeclared(path, entry, limits);
      declared += entry.uncompressedSize;
      addTable(path, tables, table, { name: entry.name, open: () => inflateEntry(path, entry, limits, budget) });
    }
    checkDeclaredTotal(path, [...tables.values()].map((f) => f.name), entries, declared, limits);
  } else {
    for (const name of readdirSync(path).sort()) {
      if (!name.toLowerCase().endsWith('.csv')) continue;
      const table = tableOf(name);
      if (!table) others.push(name);
      else addTable(path, tables, table, { name, open: () => createReadStream(join(path, name), { highWaterMark: 1024 * 1024 }) as AsyncIterable<Uint8Array> });
    }
  }
  return { tables, others };
}

function checkDeclaredTotal(path: string, names: string[], entries: ZipEntry[], declared: number, limits: IntakeLimits): void {
  if (declared <= limits.maxTotalUncompressedBytes) return;
  const largest = entries.filter((e) => names.includes(e.name)).sort((a, b) => b.uncompressedSize - a.uncompressedSize)[0]!;
  throw new IntakeError(
    `${path}: the tables of the zip declare ${declared} bytes uncompressed (largest entry "${largest.name}"): more than the limit of ${limits.maxTotalUncompressedBytes} bytes`,
  );
}

/** Splits a CSV header line (quotes allowed) into trimmed names. */
export function headerNames(line: string): string[] {
  return (parseCsv(line)[0] ?? ['']).map((name) => name.trim());
}

/** A finding value safe to carry anywhere (DuckDB SQL text cannot hold NUL). */
const clean = (value: string): string => value.replace(/\0/g, '\\0');

/** Reads one prepared CSV file into raw_<table>_read (all text); returns its column names, the SQL for each row's data-row number, and the rows read + rejected. */
async function loadRaw(db: Db, table: TableName, file: string, header: string[], findings: IntakeFinding[]): Promise<{ columns: Set<string>; rowExpr: string; read: number }> {
  const seen = new Map<string, number>();
  const names = header.map((h, k) => {
    const base = h === '' ? `__column${k + 1}` : h;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}__${n}`;
  });
  const raw = `raw_${table}`;
  const rejects = `rej_${table}`;
  const columns = `{${names.map((n) => `${literal(n)}: 'VARCHAR'`).join(', ')}}`;
  await db.run(
    `CREATE OR REPLACE TABLE ${ident(`${raw}_read`)} AS SELECT * FROM read_csv(${literal(file)}, columns = ${columns}, header = true, auto_detect = false, ` +
      `delim = ',', quote = '"', escape = '"', new_line = '\\n', store_rejects = true, rejects_table = ${literal(rejects)}, rejects_scan = ${literal(`${rejects}_scan`)}, max_line_size = 10000000)`,
  );
  const rejected = await db.rows(z.object({ row: sqlInteger, value: z.string().nullable() }), `SELECT line - 1 AS row, any_value(csv_line) AS value FROM ${ident(rejects)} GROUP BY line ORDER BY line`);
  for (const r of rejected) findings.push({ code: 'IDSFMT03', table, row: r.row, field: null, value: clean((r.value ?? '').replace(/^\r?\n/, '').slice(0, 200)) });
  // Rows DuckDB rejected leave gaps: the a-th accepted row is data row a + (rejected rows before it).
  const rowExpr =
    rejected.length === 0
      ? 'rowid + 1'
      : `rowid + 1 + coalesce((SELECT max(j) FROM (SELECT (line - 1) - row_number() OVER (ORDER BY line) AS g, row_number() OVER (ORDER BY line) AS j FROM (SELECT DISTINCT line FROM ${ident(rejects)})) WHERE g < r.rowid + 1), 0)`;
  const count = await db.count(`SELECT count(*) FROM ${ident(`${raw}_read`)}`);
  return { columns: new Set(names), rowExpr, read: count + rejected.length };
}

async function dropRaw(db: Db, table: TableName): Promise<void> {
  await db.run(`DROP TABLE IF EXISTS ${ident(`raw_${table}_read`)}; DROP TABLE IF EXISTS ${ident(`rej_${table}`)}; DROP TABLE IF EXISTS ${ident(`rej_${table}_scan`)}`);
}

export interface CsvStaged {
  version: Version;
  findings: IntakeFinding[];
  structureOk: boolean;
  /** Data rows in each table file, counted from its bytes (not from what could be parsed). */
  received: Map<TableName, number>;
}

export async function stageCsv(db: Db, path: string, form: 'csv-zip' | 'csv-folder', workDir: string, limits: IntakeLimits = limitsWith()): Promise<CsvStaged> {
  const { tables: byTable, others } = await listFiles(path, form, limits);
  const findings: IntakeFinding[] = others.map((name) => ({ code: 'IDSFMT04', table: 'File', row: null, field: null, value: clean(name) }));
  const received = new Map<TableName, number>();

  // Each table file is prepared once, when first needed (the Header first: its DatSetVer decides the columns).
  const prepared = new Map<TableName, { file: TableFile; target: string; info: PreparedTable }>();
  const prepare = async (t: TableName) => {
    const file = byTable.get(t);
    if (!file) return null;
    if (!prepared.has(t)) {
      const target = join(workDir, `${t}.csv`);
      prepared.set(t, { file, target, info: await prepareTable(file.open(), target) });
    }
    return prepared.get(t)!;
  };
  let version: Version = '2.1';
  const headerFile = await prepare('IDS000Header');
  if (headerFile && headerFile.info.headerNul === null) {
    const [names, values] = parseCsv(headerFile.info.prefix);
    const idx = (names ?? []).map((n) => n.trim()).indexOf('DatSetVer');
    if (idx >= 0 && values) version = versionOf(values[idx]);
  }

  let structureOk = true;
  /** A table file that cannot be read completely: the whole submission is rejected (IDSFMT07). */
  const unreadable = (table: TableName, row: number | null, field: string | null, value: string) => {
    findings.push({ code: 'IDSFMT07', table, row, field, value: clean(value) });
    structureOk = false;
  };
  const expected = new Set(expectedTables(version));
  for (const table of TABLE_NAMES) {
    const entry = byTable.get(table);
    if (!expected.has(table)) {
      if (entry) findings.push({ code: 'IDSFMT04', table: 'File', row: null, field: null, value: clean(entry.name) });
      await createStaging(db, table, version, null);
      continue;
    }
    if (!entry) {
      findings.push({ code: 'IDSREJ001', table, row: null, field: null, value: `${table}.csv is missing` });
      structureOk = false;
      await createStaging(db, table, version, null);
      continue;
    }
    const { target, info } = (await prepare(table))!;
    const name = entry.name;
    received.set(table, info.dataRecords);
    if (info.encoding === 'windows-1252') findings.push({ code: 'IDSFMT01', table, row: null, field: null, value: clean(name) });
    if (info.encoding === 'utf-16le' || info.encoding === 'utf-16be') findings.push({ code: 'IDSFMT08', table, row: null, field: null, value: `${clean(name)} (${info.encoding.toUpperCase()})` });
    const done = async () => {
      await createStaging(db, table, version, null);
      rmSync(target, { force: true });
    };
    if (info.header === null) {
      findings.push({ code: 'IDSREJ001', table, row: null, field: null, value: `${clean(name)} is empty: no header row` });
      structureOk = false;
      await done();
      continue;
    }
    if (info.headerNul !== null) {
      unreadable(table, null, null, `${name}: the header line holds a NUL byte (at byte ${info.headerNul + 1}), so it is not a text CSV file (UTF-16 without a byte-order mark?); save it as "CSV UTF-8"`);
      await done();
      continue;
    }
    const header = headerNames(info.header);
    if (header.length === 1 && info.header.includes('\t')) {
      unreadable(table, null, null, `${name} is tab-separated (Excel "Unicode text"?), not comma-separated; save it as "CSV UTF-8"`);
      await done();
      continue;
    }
    const wanted = expectedColumns(table, version);
    const missing = wanted.filter((c) => !header.includes(c));
    for (const column of missing) findings.push({ code: 'IDSREJ001', table, row: null, field: column, value: `column ${column} is missing from the header` });
    for (const column of header.filter((h) => !wanted.includes(h))) findings.push({ code: 'IDSFMT02', table, row: null, field: column || null, value: column });
    const duplicated = header.filter((h, i) => h !== '' && header.indexOf(h) !== i);
    for (const column of new Set(duplicated)) findings.push({ code: 'IDSREJ001', table, row: null, field: column, value: `column ${column} appears more than once` });
    if (missing.length > 0 || duplicated.length > 0) structureOk = false;

    const quote = info.unclosedQuote;
    if (quote) {
      // Rows from the one holding the quote to the end of the file cannot be told apart: each line counts as a row.
      const column = header[quote.column] || `column ${quote.column + 1}`;
      received.set(table, quote.dataRow - 1 + quote.linesAfter);
      unreadable(
        table,
        quote.dataRow,
        header[quote.column] || null,
        `${name}: a quote opened on line ${quote.line} (data row ${quote.dataRow}, column ${column}) is never closed, so the rest of the file (${quote.linesAfter} lines) cannot be read`,
      );
    }
    let raw: Awaited<ReturnType<typeof loadRaw>>;
    try {
      raw = await loadRaw(db, table, target, header, findings);
    } catch (error) {
      await dropRaw(db, table);
      const reason = (error as Error).message.split('\n')[0]!.replace(/^[A-Za-z ]+Error: /, '');
      if (!quote) unreadable(table, null, null, `${name} could not be read as CSV: ${reason}`);
      await done();
      continue;
    }
    if (!quote && raw.read !== info.dataRecords) {
      unreadable(table, null, null, `${name} has ${info.dataRecords} data rows but ${raw.read} were read (loaded or reported as unreadable); the file is not read reliably`);
    }
    await createStaging(db, table, version, { name: `raw_${table}_read`, ...raw });
    await dropRaw(db, table);
    rmSync(target, { force: true });
  }
  return { version, findings, structureOk, received };
}
