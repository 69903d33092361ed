// Reads the CSV form of a submission (a zip or a folder of <IDB table>.csv files) into staging tables.
// DuckDB parses the files; JavaScript only looks at bytes once per file (encoding) and at the header line.
import { isUtf8 } from 'node:buffer';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { unzipSync } from 'fflate';
import { TABLE_NAMES, type TableName } from '../dataset/index.js';
import { expectedColumns, expectedTables, type Version } from './columns.js';
import { quoteIdent, quoteLiteral, type Db } from './duckdb.js';
import { parseCsv } from './csvText.js';
import { createStaging, versionOf } from './stage.js';
import { IntakeError, type IntakeFinding } from './types.js';

const windows1252 = new TextDecoder('windows-1252');

/** The submission's CSV files by name (top-level names; a single enclosing folder is tolerated). */
function listFiles(path: string, form: 'csv-zip' | 'csv-folder'): Map<string, () => Uint8Array> {
  const files = new Map<string, () => Uint8Array>();
  if (form === 'csv-zip') {
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(readFileSync(path));
    } catch (error) {
      throw new IntakeError(`${path} is not a readable zip file (${(error as Error).message})`);
    }
    for (const [name, bytes] of Object.entries(entries)) if (!name.endsWith('/') && !basename(name).startsWith('.')) files.set(basename(name), () => bytes);
  } else {
    for (const name of readdirSync(path)) if (name.toLowerCase().endsWith('.csv')) files.set(name, () => readFileSync(join(path, name)));
  }
  return files;
}

/** Splits a CSV header line (quotes allowed) into trimmed names. */
export function headerNames(line: string): string[] {
  return (parseCsv(line)[0] ?? ['']).map((name) => name.trim());
}

interface Decoded {
  text: string | null;
  bytes: Uint8Array;
  windows1252: boolean;
}

function decode(raw: Uint8Array): Decoded {
  let bytes = raw;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  if (isUtf8(bytes)) return { text: null, bytes, windows1252: false };
  const text = windows1252.decode(bytes);
  return { text, bytes: Buffer.from(text, 'utf8'), windows1252: true };
}

function firstLine(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return null;
  let end = bytes.indexOf(0x0a);
  if (end < 0) end = bytes.length;
  return Buffer.from(bytes.subarray(0, end)).toString('utf8').replace(/\r$/, '');
}

/** Reads one CSV file into raw_<table>_read (all text); returns its column names and the SQL for each row's data-row number. */
async function loadRaw(db: Db, table: TableName, file: string, header: string[], findings: IntakeFinding[]): Promise<{ columns: Set<string>; rowExpr: string }> {
  const seen = new Map<string, number>();
  const names = header.map((h, k) => {
    const base = h === '' ? `__column${k + 1}` : h;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}__${n}`;
  });
  const raw = `raw_${table}`;
  const rejects = `rej_${table}`;
  const columns = `{${names.map((n) => `${quoteLiteral(n)}: 'VARCHAR'`).join(', ')}}`;
  await db.run(
    `CREATE OR REPLACE TABLE ${quoteIdent(`${raw}_read`)} AS SELECT * FROM read_csv(${quoteLiteral(file)}, columns = ${columns}, header = true, auto_detect = false, ` +
      `delim = ',', quote = '"', escape = '"', store_rejects = true, rejects_table = ${quoteLiteral(rejects)}, rejects_scan = ${quoteLiteral(`${rejects}_scan`)}, max_line_size = 10000000)`,
  );
  const rejected = await db.all<{ row: bigint; value: string | null }>(`SELECT line - 1 AS row, any_value(csv_line) AS value FROM ${quoteIdent(rejects)} GROUP BY line ORDER BY line`);
  for (const r of rejected) findings.push({ code: 'IDSFMT03', table, row: Number(r.row), field: null, value: (r.value ?? '').replace(/^\r?\n/, '').slice(0, 200) });
  // Rows DuckDB rejected leave gaps: the a-th accepted row is data row a + (rejected rows before it).
  const rowExpr =
    rejected.length === 0
      ? 'rowid + 1'
      : `rowid + 1 + coalesce((SELECT max(j) FROM (SELECT (line - 1) - row_number() OVER (ORDER BY line) AS g, row_number() OVER (ORDER BY line) AS j FROM (SELECT DISTINCT line FROM ${quoteIdent(rejects)})) WHERE g < r.rowid + 1), 0)`;
  return { columns: new Set(names), rowExpr };
}

export async function stageCsv(db: Db, path: string, form: 'csv-zip' | 'csv-folder', workDir: string): Promise<{ version: Version; findings: IntakeFinding[]; structureOk: boolean }> {
  const files = listFiles(path, form);
  const findings: IntakeFinding[] = [];
  const byTable = new Map<TableName, string>();
  for (const name of files.keys()) {
    const table = TABLE_NAMES.find((t) => `${t}.csv`.toLowerCase() === name.toLowerCase());
    if (table) byTable.set(table, name);
    else findings.push({ code: 'IDSFMT04', table: 'File', row: null, field: null, value: name });
  }

  // The Header's DatSetVer decides which columns to expect.
  const decoded = new Map<TableName, Decoded>();
  const get = (t: TableName): Decoded | null => {
    const name = byTable.get(t);
    if (!name) return null;
    if (!decoded.has(t)) decoded.set(t, decode(files.get(name)!()));
    return decoded.get(t)!;
  };
  let version: Version = '2.1';
  const headerFile = get('IDS000Header');
  if (headerFile) {
    const names = headerNames(firstLine(headerFile.bytes) ?? '');
    const idx = names.indexOf('DatSetVer');
    const secondLine = Buffer.from(headerFile.bytes).toString('utf8').split(/\r?\n/)[1];
    if (idx >= 0 && secondLine) version = versionOf(headerNames(secondLine)[idx]);
  }

  let structureOk = true;
  const expected = new Set(expectedTables(version));
  for (const table of TABLE_NAMES) {
    const file = get(table);
    if (!expected.has(table)) {
      if (file) findings.push({ code: 'IDSFMT04', table: 'File', row: null, field: null, value: byTable.get(table)! });
      await createStaging(db, table, version, null);
      continue;
    }
    if (!file) {
      findings.push({ code: 'IDSREJ001', table, row: null, field: null, value: `${table}.csv is missing` });
      structureOk = false;
      await createStaging(db, table, version, null);
      continue;
    }
    if (file.windows1252) findings.push({ code: 'IDSFMT01', table, row: null, field: null, value: byTable.get(table)! });
    const line = firstLine(file.bytes);
    if (line === null) {
      findings.push({ code: 'IDSREJ001', table, row: null, field: null, value: `${byTable.get(table)} is empty: no header row` });
      structureOk = false;
      await createStaging(db, table, version, null);
      continue;
    }
    const header = headerNames(line);
    const wanted = expectedColumns(table, version);
    const missing = wanted.filter((c) => !header.includes(c));
    for (const column of missing) findings.push({ code: 'IDSREJ001', table, row: null, field: column, value: `column ${column} is missing from the header` });
    for (const column of header.filter((h) => !wanted.includes(h))) findings.push({ code: 'IDSFMT02', table, row: null, field: column || null, value: column });
    const duplicated = header.filter((h, i) => h !== '' && header.indexOf(h) !== i);
    for (const column of new Set(duplicated)) findings.push({ code: 'IDSREJ001', table, row: null, field: column, value: `column ${column} appears more than once` });
    if (missing.length > 0 || duplicated.length > 0) structureOk = false;
    const target = join(workDir, `${table}.csv`);
    writeFileSync(target, file.bytes);
    const raw = await loadRaw(db, table, target, header, findings);
    await createStaging(db, table, version, { name: `raw_${table}_read`, ...raw });
    await db.run(`DROP TABLE ${quoteIdent(`raw_${table}_read`)}; DROP TABLE ${quoteIdent(`rej_${table}`)}; DROP TABLE ${quoteIdent(`rej_${table}_scan`)}`);
  }
  return { version, findings, structureOk };
}
