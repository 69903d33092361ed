// Test-only row reading: a test states the row shape it expects and its assertions check the values.
// Product code reads rows through Db.rows with a schema (src/core/db.ts).
import type { Db } from '../../src/core/db.js';

export async function readRows<T = Record<string, unknown>>(db: Db, sql: string): Promise<T[]> {
  return (await db.all(sql)) as T[];
}
