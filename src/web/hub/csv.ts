// The CSV behind a chart: the same rows and columns as its table, values exactly as published.
import { csvLine } from '../../measures/publish/csv.js';
import type { DataTable } from './format.js';

export const tableCsv = (table: DataTable): string =>
  csvLine([table.rowHeader, ...table.columns]) + table.rows.map((r) => csvLine([r.label, ...r.cells.map((c) => c ?? '')])).join('');
