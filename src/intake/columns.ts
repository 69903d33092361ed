// The columns a submission must have, per data set version, derived from the spec and the v2.0 differences.
import { RENAMED_IN_V21, REMOVED_IN_V21, TABLES, TABLES_NEW_IN_V21, type TableName } from '../dataset/index.js';

export type Version = '2.0' | '2.1';

/** How a staged v2.1 column is filled from a file of this version: from a column, or null (new item). */
export interface ColumnSource {
  column: string;
  from: string | null;
}

/** Tables a file of this version must contain. */
export function expectedTables(version: Version): TableName[] {
  return TABLES.filter((t) => version === '2.1' || !TABLES_NEW_IN_V21.includes(t.name)).map((t) => t.name);
}

/** Columns a file of this version must have for the table, as named in that version. */
export function expectedColumns(table: TableName, version: Version): string[] {
  const spec = TABLES.find((t) => t.name === table)!;
  if (version === '2.1') return spec.items.map((i) => i.name);
  const columns: string[] = [];
  for (const item of spec.items) {
    const renamed = RENAMED_IN_V21.find((r) => r.table === table && r.v21 === item.name);
    if (renamed) columns.push(renamed.v20);
    else if (item.since !== '2.1') columns.push(item.name);
  }
  for (const removed of REMOVED_IN_V21) if (removed.table === table) columns.push(removed.item.name);
  return columns;
}

/**
 * The staged (v2.1-shaped) columns of a table and where each comes from in a file of this version, plus the
 * v2.0-only columns kept for the v2.0 rules. This is the uplift.
 */
export function stagedColumns(table: TableName, version: Version): ColumnSource[] {
  const spec = TABLES.find((t) => t.name === table)!;
  const sources: ColumnSource[] = spec.items.map((item) => {
    if (version === '2.1') return { column: item.name, from: item.name };
    const renamed = RENAMED_IN_V21.find((r) => r.table === table && r.v21 === item.name);
    if (renamed) return { column: item.name, from: renamed.v20 };
    return { column: item.name, from: item.since === '2.1' ? null : item.name };
  });
  if (version === '2.0') for (const removed of REMOVED_IN_V21) if (removed.table === table) sources.push({ column: removed.item.name, from: removed.item.name });
  return sources;
}
