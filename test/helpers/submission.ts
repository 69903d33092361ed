import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { parseCsv } from '../../src/intake/csvText.js';

/** Reads a submission zip into header + rows per table (file name without .csv). */
export function readSubmission(path: string): Map<string, { header: string[]; rows: string[][] }> {
  const entries = unzipSync(readFileSync(path));
  const tables = new Map<string, { header: string[]; rows: string[][] }>();
  for (const [name, bytes] of Object.entries(entries)) {
    const [header = [], ...rows] = parseCsv(strFromU8(bytes));
    tables.set(name.replace(/\.csv$/, ''), { header, rows });
  }
  return tables;
}
