// The catalog's SQL is written once for DuckDB (embedded) and PostgreSQL (service mode). This runs every
// catalog statement on PostgreSQL (PGlite: PostgreSQL compiled to WebAssembly) and checks the results agree
// with the embedded catalog's meaning: latest valid wins, pending rows invisible.
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_SCHEMA, SQL } from '../../src/store/sql.js';

let pg: PGlite;
beforeAll(async () => {
  pg = new PGlite();
  for (const statement of CATALOG_SCHEMA) await pg.exec(statement);
});
afterAll(async () => pg.close());

const reserve = (id: number, fileType: string, received: string, outcome = 'accepted') =>
  pg.query(SQL.reserveSubmission, [id, 'RA1', '2024-05', 1490, fileType, false, received, `sha${id}`, `f${id}.zip`, '2.1', outcome, 10, 9, 1, `submissions/${id}`, '2024-06-01 00:00:00']);

describe('catalog SQL on PostgreSQL', () => {
  it('runs every statement, and the counting rule picks the latest Refresh', async () => {
    expect((await pg.query<{ id: number }>(SQL.nextSubmissionId)).rows[0]!.id).toBe(1);
    await reserve(1, 'Primary', '2024-06-10 10:00:00');
    await reserve(2, 'Primary', '2024-06-20 10:00:00');
    await reserve(3, 'Refresh', '2024-07-05 10:00:00');
    await reserve(4, 'Refresh', '2024-07-06 10:00:00', 'rejected');
    await reserve(5, 'Refresh', '2024-07-07 10:00:00');
    for (const id of [1, 2, 3, 4]) await pg.query(SQL.completeSubmission, [id]);
    await pg.query(SQL.insertTableCounts, [1, 'IDS101Referral', 10, 9, 1]);
    expect((await pg.query(SQL.pendingSubmissions)).rows).toEqual([{ id: 5, folder: 'submissions/5' }]);
    const listed = (await pg.query<{ id: number; counts: boolean }>(SQL.listSubmissions, [null, null, null])).rows.map((r) => [Number(r.id), r.counts]);
    expect(listed).toEqual([[1, false], [2, false], [3, true], [4, false]]);
    // Selected in SQL: one id still knows whether it counts among its provider-month's submissions.
    const one = (await pg.query<{ id: number; counts: boolean }>(SQL.listSubmissions, [null, null, 3])).rows.map((r) => [Number(r.id), r.counts]);
    expect(one).toEqual([[3, true]]);
    expect((await pg.query(SQL.bySha256, ['sha2'])).rows).toHaveLength(1);
    await pg.query(SQL.deletePendingTables, [5]);
    await pg.query(SQL.deletePending, [5]);
    expect((await pg.query(SQL.completeFolders)).rows).toHaveLength(4);
    expect((await pg.query(SQL.getSetting, ['key_fingerprint'])).rows).toEqual([]);
    await pg.query(SQL.insertSetting, ['key_fingerprint', 'f'.repeat(64)]);
    expect((await pg.query(SQL.getSetting, ['key_fingerprint'])).rows).toEqual([{ value: 'f'.repeat(64) }]);
  });

  it('uses only statements this test exercises', () => {
    expect(Object.keys(SQL).sort()).toEqual(
      ['bySha256', 'completeFolders', 'completeSubmission', 'deletePending', 'deletePendingTables', 'getSetting', 'insertSetting', 'insertTableCounts', 'listSubmissions', 'nextSubmissionId', 'pendingSubmissions', 'reserveSubmission'].sort(),
    );
  });
});
