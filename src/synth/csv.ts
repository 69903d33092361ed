// Writes tables in the submission CSV contract (docs/submission-format.md): UTF-8, comma separated,
// RFC 4180 quoting, CRLF line ends, header row of IDB column names, empty field = null.
import { columnNames, type TableName } from '../dataset/index.js';

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv(table: TableName, rows: readonly (readonly string[])[], columns: readonly string[] = columnNames(table)): string {
  const parts: string[] = [columns.map(csvField).join(',')];
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < row.length; i++) {
      if (i > 0) line += ',';
      const v = row[i]!;
      line += NEEDS_QUOTES.test(v) ? csvField(v) : v;
    }
    parts.push(line);
  }
  return parts.join('\r\n') + '\r\n';
}
