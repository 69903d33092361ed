// Users, API tokens and the hash-chained audit trail (issue 17), each test run on the embedded DuckDB catalog and on
// PostgreSQL (PGlite, with BIGINT read back as text as node-postgres does), through the same functions: the SQL is
// one set for both. Then what one connection cannot show: appends that really overlap, between two DuckDB
// connections and between four service-mode catalogs on a real PostgreSQL server.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createHash, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { IaptError } from '../../src/core/errors.js';
import { isValidNhsNumber } from '../../src/dataset/index.js';
import {
  addUser,
  appendAudit,
  auditHash,
  containsNhsNumber,
  ensureAccessSchema,
  GENESIS_HASH,
  listAudit,
  listUsers,
  principalOfToken,
  revokeUser,
  verifyAudit,
  type AccessCatalog,
  type AuditEntry,
} from '../../src/store/access.js';
import { Catalog, type Param } from '../../src/store/catalog.js';
import { freshDatabase, startPostgres, type TestPostgres } from '../helpers/postgres.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-access-'));
const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  rmSync(root, { recursive: true, force: true });
});

/** A catalog under test, with a way to run raw SQL on it (to tamper) and to copy it (to tamper with the copy). */
interface Handle {
  catalog: AccessCatalog;
  sql(statement: string, params?: Param[]): Promise<void>;
  copy(): Promise<Handle>;
}

let dirs = 0;
async function duckdbHandle(): Promise<Handle> {
  const dir = join(root, `duck-${++dirs}`);
  const handle: Handle = {
    catalog: await Catalog.open(dir, { create: true }),
    sql: (statement, params = []) => handle.catalog.exec(statement, params),
    copy: async () => {
      // DuckDB holds the file open: close it, copy the data directory at rest, open the original again.
      await (handle.catalog as Catalog).close();
      const to = join(root, `duck-${++dirs}`);
      cpSync(dir, to, { recursive: true });
      handle.catalog = await Catalog.open(dir);
      const copied: Handle = { catalog: await Catalog.open(to), sql: (statement, params = []) => copied.catalog.exec(statement, params), copy: () => Promise.reject(new Error('copy of a copy')) };
      closers.push(() => (copied.catalog as Catalog).close());
      return copied;
    },
  };
  closers.push(() => (handle.catalog as Catalog).close());
  return handle;
}

// One PostgreSQL (PGlite) for the file, BIGINT (type 20) read as text as node-postgres returns it; each catalog
// under test is a schema of its own, on the search_path of every statement it runs.
let pglite: PGlite | undefined;
let pgSchemas = 0;
let pgCurrent = '';

/** PGlite behind the three methods the access functions use, as the PostgreSQL catalog provides them. */
function pgAdapter(pg: PGlite, schema: string): AccessCatalog {
  const query = async (sql: string, params: readonly Param[] = []) => {
    if (pgCurrent !== schema) await pg.exec(`SET search_path TO ${schema}`);
    pgCurrent = schema;
    return (await pg.query(sql, [...params])).rows;
  };
  const adapter = {
    exec: async (sql: string, params: readonly Param[] = []) => void (await query(sql, params)),
    rows: async <S extends z.ZodType>(schema: S, sql: string, params: readonly Param[] = []) => (await query(sql, params)).map((r) => schema.parse(r) as z.output<S>),
    transaction: async <T,>(work: () => Promise<T>) => {
      await query('BEGIN');
      try {
        const result = await work();
        await query('COMMIT');
        return result;
      } catch (error) {
        await query('ROLLBACK');
        throw error;
      }
    },
  };
  return adapter as unknown as AccessCatalog;
}

async function pgliteHandle(): Promise<Handle> {
  if (!pglite) {
    const pg = new PGlite({ parsers: { 20: (value: string) => value } });
    closers.push(() => pg.close());
    pglite = pg;
  }
  const pg = pglite;
  const schema = `catalog_${++pgSchemas}`;
  await pg.exec(`CREATE SCHEMA ${schema}`);
  const catalog = pgAdapter(pg, schema);
  const handle: Handle = {
    catalog,
    sql: (statement, params = []) => catalog.exec(statement, params),
    copy: async () => {
      const copied = await pgliteHandle();
      await ensureAccessSchema(copied.catalog);
      await copied.sql('DELETE FROM audit_head');
      for (const table of ['users', 'audit_log', 'audit_head']) await copied.sql(`INSERT INTO ${table} SELECT * FROM ${schema}.${table}`);
      return copied;
    },
  };
  return handle;
}

const BACKENDS: [string, () => Promise<Handle>][] = [
  ['DuckDB (embedded catalog)', () => duckdbHandle()],
  ['PostgreSQL (PGlite)', () => pgliteHandle()],
];

const entry = (i: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  requestId: randomUUID(),
  actor: `client-${i % 3}`,
  role: 'provider',
  org: 'RA1',
  action: 'GET /submissions/{id}',
  object: `submission:${i}`,
  outcome: '200',
  ...extra,
});

/** A valid NHS number (Modulus 11), and the same digits with a wrong check digit. */
const NHS = '9434765919';
const NOT_NHS = '9434765918';

describe.each(BACKENDS)('users and API tokens on %s', (_name, open) => {
  it('adds a user with a token that works until it is revoked; the token is not stored', async () => {
    const { catalog } = await open();
    const { id, token } = await addUser(catalog, { name: 'RA1 submission client', role: 'provider', org: 'ra1' });
    expect(id).toBe(1);
    expect(token).toMatch(/^iapt_[A-Za-z0-9_-]{43}$/);
    expect(await principalOfToken(catalog, token)).toEqual({ userId: 1, name: 'RA1 submission client', role: 'provider', org: 'RA1', via: 'token' });

    const second = await addUser(catalog, { name: 'national analyst', role: 'analyst', org: null });
    expect(second.id).toBe(2);
    expect(second.token).not.toBe(token);
    expect((await principalOfToken(catalog, second.token))?.role).toBe('analyst');

    // Wrong, malformed and near-miss tokens.
    expect(await principalOfToken(catalog, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toBeNull();
    expect(await principalOfToken(catalog, 'iapt_short')).toBeNull();
    expect(await principalOfToken(catalog, '')).toBeNull();

    // Only a hash is in the table: no column of any row holds the token.
    const users = await listUsers(catalog);
    expect(users.map((u) => [u.id, u.name, u.role, u.org, u.revokedAt])).toEqual([
      [1, 'RA1 submission client', 'provider', 'RA1', null],
      [2, 'national analyst', 'analyst', null, null],
    ]);
    expect(users[0]!.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const listed = JSON.stringify(users);
    expect(listed).not.toContain(token);
    expect(listed).not.toContain(createHash('sha256').update(token).digest('hex'));
    const stored = JSON.stringify(await catalog.rows(z.record(z.string(), z.unknown()), 'SELECT * FROM users'), (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(token.slice(5));
    expect(stored).toContain(createHash('sha256').update(token).digest('hex'));

    await revokeUser(catalog, 1);
    expect(await principalOfToken(catalog, token)).toBeNull();
    expect((await principalOfToken(catalog, second.token))?.name).toBe('national analyst');
    const revoked = (await listUsers(catalog))[0]!;
    expect(revoked.revokedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    await revokeUser(catalog, 1); // again: no change
    expect((await listUsers(catalog))[0]!.revokedAt).toBe(revoked.revokedAt);
    await expect(revokeUser(catalog, 99)).rejects.toMatchObject({ kind: 'input', message: expect.stringContaining('no user 99') });
  });

  it('checks role and organisation, with clear messages', async () => {
    const { catalog } = await open();
    const refused = async (user: Parameters<typeof addUser>[1]) => {
      const error = await addUser(catalog, user).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(IaptError);
      expect((error as IaptError).kind).toBe('usage');
      return (error as IaptError).message;
    };
    expect(await refused({ name: 'x', role: 'wizard' as never, org: null })).toMatch(/role "wizard" is not one of provider, commissioner, analyst, researcher, auditor, admin/);
    expect(await refused({ name: 'x', role: 'provider', org: null })).toMatch(/the provider role acts for one organisation: give its ODS code \(--org CODE\)/);
    expect(await refused({ name: 'x', role: 'commissioner', org: null })).toMatch(/commissioner role acts for one organisation/);
    expect(await refused({ name: 'x', role: 'analyst', org: 'RA1' })).toMatch(/the analyst role is national and has no organisation: leave out --org/);
    expect(await refused({ name: 'x', role: 'auditor', org: 'RA1' })).toMatch(/auditor role is national/);
    expect(await refused({ name: 'x', role: 'admin', org: 'RA1' })).toMatch(/admin role is national/);
    expect(await refused({ name: 'x', role: 'provider', org: 'RA-1' })).toMatch(/ODS code: 3 to 5 letters or digits/);
    expect(await refused({ name: 'x', role: 'provider', org: 'RA123X' })).toMatch(/3 to 5 letters or digits/);
    expect(await refused({ name: '  ', role: 'admin', org: null })).toMatch(/needs a name/);
    expect(await refused({ name: `patient ${NHS}`, role: 'admin', org: null })).toMatch(/may not hold an NHS number/);
    expect(await listUsers(catalog)).toEqual([]);

    // A researcher may name an institution, or none; a commissioner code is upper-cased.
    await addUser(catalog, { name: 'r1', role: 'researcher', org: null });
    await addUser(catalog, { name: 'r2', role: 'researcher', org: 'ucl01' });
    await addUser(catalog, { name: 'c', role: 'commissioner', org: '00l' });
    expect((await listUsers(catalog)).map((u) => u.org)).toEqual([null, 'UCL01', '00L']);
  });
});

describe.each(BACKENDS)('the audit trail on %s', (_name, open) => {
  /** 50 rows, then the catalog handle and what verify says of it intact. */
  async function fifty() {
    const handle = await open();
    for (let i = 1; i <= 50; i++) await appendAudit(handle.catalog, entry(i, { at: `2024-07-01T10:00:${String(i % 60).padStart(2, '0')}.${String(i).padStart(3, '0')}Z` }));
    return handle;
  }
  let base: Handle;
  const copy = async () => (base ??= await fifty()).copy();

  it('is intact after 50 appends, and lists them oldest first', async () => {
    base ??= await fifty();
    const verdict = await verifyAudit(base.catalog);
    const rows = await listAudit(base.catalog, { afterSeq: 0, limit: 1000 });
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(verdict).toEqual({ ok: true, rows: 50, head: rows[49]!.hash });
    expect(rows[6]).toMatchObject({ seq: 7, at: '2024-07-01T10:00:07.007Z', actor: 'client-1', role: 'provider', org: 'RA1', action: 'GET /submissions/{id}', object: 'submission:7', outcome: '200' });
    // The chain as documented: row 1 follows the genesis value, each row's hash covers the one before.
    expect(rows[0]!.hash).toBe(auditHash(GENESIS_HASH, rows[0]!));
    expect(rows[1]!.hash).toBe(auditHash(rows[0]!.hash, rows[1]!));
    expect((await listAudit(base.catalog, { limit: 3 })).map((r) => r.seq)).toEqual([48, 49, 50]);
    expect((await listAudit(base.catalog, { afterSeq: 45, limit: 2 })).map((r) => r.seq)).toEqual([46, 47]);
    expect(JSON.stringify(rows)).not.toContain('prev');
  });

  it('names an edited row', async () => {
    const h = await copy();
    await h.sql(`UPDATE audit_log SET object = 'submission:999' WHERE seq = 17`);
    expect(await verifyAudit(h.catalog)).toEqual({ ok: false, rows: 16, firstBad: 17, problem: 'row 17 does not match its hash: its content was changed after it was written' });
  });

  it('names the row after one edited and rehashed', async () => {
    const h = await copy();
    const [row16, row17] = await listAudit(h.catalog, { afterSeq: 15, limit: 2 });
    await h.sql(`UPDATE audit_log SET outcome = '403', hash = $1 WHERE seq = 17`, [auditHash(row16!.hash, { ...row17!, outcome: '403' })]);
    const verdict = await verifyAudit(h.catalog);
    // A forger who recomputes row 17's hash still breaks the link to row 18 (changing 18 on breaks 19, … up to the head).
    expect(verdict).toMatchObject({ ok: false, rows: 17, firstBad: 18 });
    expect(verdict.ok === false && verdict.problem).toMatch(/row 18 does not follow row 17/);
  });

  it('names a deleted row', async () => {
    const h = await copy();
    await h.sql(`DELETE FROM audit_log WHERE seq = 20`);
    expect(await verifyAudit(h.catalog)).toEqual({ ok: false, rows: 19, firstBad: 20, problem: 'row 20 is missing: the trail goes from row 19 to row 21 (rows deleted)' });
  });

  it('names a deleted first row', async () => {
    const h = await copy();
    await h.sql(`DELETE FROM audit_log WHERE seq = 1`);
    expect(await verifyAudit(h.catalog)).toMatchObject({ ok: false, rows: 0, firstBad: 1 });
  });

  it('names a forged row inserted between two others, carelessly or with its hash recomputed', async () => {
    const shiftAfter30 = async (h: Handle) => {
      // Make room after row 30 (two steps: a key is never taken twice in one statement).
      await h.sql(`UPDATE audit_log SET seq = seq + 1000 WHERE seq > 30`);
      await h.sql(`UPDATE audit_log SET seq = seq - 999 WHERE seq > 1000`);
    };
    const careless = await copy();
    const insert = `INSERT INTO audit_log (seq, occurred_at, request_id, actor, role, org, action, object, outcome, prev_hash, hash) VALUES (31, CAST('2024-07-01 10:00:30.5' AS TIMESTAMP), 'forged', 'client-1', 'provider', 'RA1', 'GET /submissions/{id}', 'submission:7', '200', $1, $2)`;
    const row30 = (await listAudit(base.catalog, { afterSeq: 29, limit: 1 }))[0]!;

    await shiftAfter30(careless);
    await careless.sql(insert, [row30.hash, 'e'.repeat(64)]);
    expect(await verifyAudit(careless.catalog)).toMatchObject({ ok: false, rows: 30, firstBad: 31, problem: 'row 31 does not match its hash: its content was changed after it was written' });

    const careful = await copy();
    await shiftAfter30(careful);
    const forged = { seq: 31, at: '2024-07-01T10:00:30.500Z', requestId: 'forged', actor: 'client-1', role: 'provider', org: 'RA1', action: 'GET /submissions/{id}', object: 'submission:7', outcome: '200' };
    await careful.sql(insert, [row30.hash, auditHash(row30.hash, forged)]);
    const verdict = await verifyAudit(careful.catalog);
    // Row 31 itself is a well-formed link (the hash is public: anyone can compute one); the chain breaks after it.
    expect(verdict).toMatchObject({ ok: false, rows: 31, firstBad: 32 });
    expect(verdict.ok === false && verdict.problem).toMatch(/row 32 does not follow row 31 .*a row was inserted or deleted here/);
  });

  it('names the row cut off the end, and rows added past the head', async () => {
    const cut = await copy();
    await cut.sql(`DELETE FROM audit_log WHERE seq = 50`);
    expect(await verifyAudit(cut.catalog)).toEqual({ ok: false, rows: 49, firstBad: 50, problem: 'row 50 is missing: the head records 50 rows, the trail ends at row 49 (rows deleted from the end)' });

    const cutMore = await copy();
    await cutMore.sql(`DELETE FROM audit_log WHERE seq > 40`);
    expect(await verifyAudit(cutMore.catalog)).toMatchObject({ ok: false, rows: 40, firstBad: 41 });

    const added = await copy();
    const row50 = (await listAudit(added.catalog, { limit: 1 }))[0]!;
    const extra = { seq: 51, at: '2024-07-02T00:00:00.000Z', requestId: 'x', actor: 'x', role: 'admin', org: null, action: 'x', object: '', outcome: 'ok' };
    await added.sql(
      `INSERT INTO audit_log (seq, occurred_at, request_id, actor, role, org, action, object, outcome, prev_hash, hash) VALUES (51, CAST('2024-07-02 00:00:00' AS TIMESTAMP), 'x', 'x', 'admin', NULL, 'x', '', 'ok', $1, $2)`,
      [row50.hash, auditHash(row50.hash, extra)],
    );
    expect(await verifyAudit(added.catalog)).toMatchObject({ ok: false, rows: 50, firstBad: 51, problem: expect.stringContaining('past the head') });

    const replaced = await copy();
    await replaced.sql(`UPDATE audit_log SET outcome = '500', hash = $1 WHERE seq = 50`, ['a'.repeat(64)]);
    // Row 50 no longer matches its hash; with the hash recomputed as well, the head catches it.
    expect(await verifyAudit(replaced.catalog)).toMatchObject({ ok: false, firstBad: 50 });

    const headless = await copy();
    await headless.sql(`DELETE FROM audit_head`);
    expect(await verifyAudit(headless.catalog)).toMatchObject({ ok: false, rows: 50, firstBad: 51, problem: expect.stringContaining('head record (audit_head) is missing') });
    await expect(appendAudit(headless.catalog, entry(51))).rejects.toMatchObject({ kind: 'input', message: expect.stringContaining('lost its head record') });

    const early = await copy();
    await early.sql(`INSERT INTO audit_log (seq, occurred_at, request_id, actor, role, org, action, object, outcome, prev_hash, hash) VALUES (0, CAST('2024-07-02 00:00:00' AS TIMESTAMP), 'x', 'x', 'x', NULL, 'x', '', 'ok', $1, $1)`, [GENESIS_HASH]);
    expect(await verifyAudit(early.catalog)).toMatchObject({ ok: false, firstBad: 0 });
  });

  it('replaced last row with its hash recomputed: the head catches it', async () => {
    const h = await copy();
    const row49 = (await listAudit(h.catalog, { afterSeq: 48, limit: 1 }))[0]!;
    const [row50] = await listAudit(h.catalog, { limit: 1 });
    const changed = { ...row50!, outcome: '500' };
    await h.sql(`UPDATE audit_log SET outcome = '500', hash = $1 WHERE seq = 50`, [auditHash(row49.hash, changed)]);
    expect(await verifyAudit(h.catalog)).toMatchObject({ ok: false, rows: 49, firstBad: 50, problem: expect.stringContaining("row 50's hash is not the one the head records") });
  });

  it('keeps one chain under concurrent appends', async () => {
    const { catalog } = await open();
    await appendAudit(catalog, entry(0));
    const ids = Array.from({ length: 30 }, (_, i) => `req-${i}`);
    await Promise.all(ids.map((requestId, i) => appendAudit(catalog, entry(i, { requestId }))));
    expect(await verifyAudit(catalog)).toMatchObject({ ok: true, rows: 31 });
    const rows = await listAudit(catalog, { afterSeq: 0 });
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    expect(rows.slice(1).map((r) => r.requestId).sort()).toEqual([...ids].sort());
  });

  it('appends entries sent together in a few transactions (a group commit), chained in the order they were sent', async () => {
    const { catalog } = await open();
    await appendAudit(catalog, entry(0));
    let transactions = 0;
    const counting: AccessCatalog = {
      exec: (sql, params) => catalog.exec(sql, params),
      rows: (schema, sql, params) => catalog.rows(schema, sql, params),
      transaction: (work) => {
        transactions += 1;
        return catalog.transaction(work);
      },
    };
    const ids = Array.from({ length: 100 }, (_, i) => `req-${i}`);
    await Promise.all(ids.map((requestId, i) => appendAudit(counting, entry(i, { requestId }))));
    // Queued before the first append starts, the 100 go in one transaction, or two if the first started alone
    // (AUDIT_BATCH is 200); one append per entry would be 100 transactions.
    expect(transactions).toBeGreaterThanOrEqual(1);
    expect(transactions).toBeLessThanOrEqual(2);
    expect(await verifyAudit(catalog)).toMatchObject({ ok: true, rows: 101 });
    expect((await listAudit(catalog, { afterSeq: 1 })).map((r) => r.requestId)).toEqual(ids);
  });

  it('refuses an entry that may hold an NHS number, without repeating it', async () => {
    const { catalog } = await open();
    expect(isValidNhsNumber(NHS)).toBe(true);
    expect(isValidNhsNumber(NOT_NHS)).toBe(false);
    await appendAudit(catalog, entry(1));
    for (const bad of [{ object: `patient:${NHS}` }, { object: 'patient:943 476 5919' }, { object: 'nhs=943-476-5919' }, { outcome: `not found ${NHS}` }, { actor: NHS }, { action: `GET /people/${NHS}` }, { requestId: `req-${NHS}` }, { org: NHS }]) {
      const error = await appendAudit(catalog, entry(2, bad)).then(
        () => null,
        (e: unknown) => e as IaptError,
      );
      expect(error, JSON.stringify(bad)).toBeInstanceOf(IaptError);
      expect(error!.kind).toBe('input');
      expect(error!.message).toMatch(/may hold an NHS number, and identifiers are never written to the audit trail/);
      expect(error!.message).not.toContain('5919');
    }
    // Not NHS numbers: a wrong check digit, a 12-digit record id, digits inside a UUID.
    await appendAudit(catalog, entry(3, { object: `patient:${NOT_NHS}` }));
    await appendAudit(catalog, entry(4, { object: 'record:678000000054' }));
    await appendAudit(catalog, entry(5, { requestId: `3f2a9c1e-7b4d-4e8a-9c2f-a${NHS}b` }));
    expect(await verifyAudit(catalog)).toMatchObject({ ok: true, rows: 4 });
    expect((await listAudit(catalog)).map((r) => r.object)).toEqual(['submission:1', `patient:${NOT_NHS}`, 'record:678000000054', 'submission:5']);
  });

  it('checks the entry and keeps the time to the millisecond, in UTC', async () => {
    const { catalog } = await open();
    await expect(appendAudit(catalog, entry(1, { actor: '' }))).rejects.toMatchObject({ kind: 'input', message: expect.stringContaining('actor must not be empty') });
    await expect(appendAudit(catalog, entry(1, { object: 'x'.repeat(501) }))).rejects.toMatchObject({ message: expect.stringContaining('object is longer than 500') });
    await expect(appendAudit(catalog, entry(1, { actor: 'a\nb' }))).rejects.toMatchObject({ message: expect.stringContaining('control character') });
    await expect(appendAudit(catalog, entry(1, { at: 'yesterday' }))).rejects.toMatchObject({ message: expect.stringContaining('ISO date-time') });
    await appendAudit(catalog, entry(1, { at: '2024-07-01T11:00:00.123456+01:00' }));
    await appendAudit(catalog, entry(2, { at: '2024-07-01 10:00:01', org: null, object: '', actor: 'Zoë “quoted” \\ name' }));
    await appendAudit(catalog, entry(3));
    const rows = await listAudit(catalog);
    expect(rows.map((r) => r.at).slice(0, 2)).toEqual(['2024-07-01T10:00:00.123Z', '2024-07-01T10:00:01.000Z']);
    expect(rows[1]).toMatchObject({ org: null, object: '', actor: 'Zoë “quoted” \\ name' });
    expect(Date.now() - Date.parse(rows[2]!.at)).toBeLessThan(60_000);
    expect(await verifyAudit(catalog)).toMatchObject({ ok: true, rows: 3 });
  });

  it('verifies an empty trail, and one that was never made', async () => {
    const { catalog } = await open();
    expect(await verifyAudit(catalog)).toEqual({ ok: true, rows: 0, head: GENESIS_HASH });
    expect(await listAudit(catalog)).toEqual([]);
    await ensureAccessSchema(catalog);
    await ensureAccessSchema(catalog);
    expect(await verifyAudit(catalog)).toEqual({ ok: true, rows: 0, head: GENESIS_HASH });
  });
});

describe('the audit trail under real contention (DuckDB, two connections)', () => {
  /** Two connections to one database: their transactions really overlap, and DuckDB refuses the loser's write. */
  function connectionCatalog(connection: DuckDBConnection): AccessCatalog {
    const read = async (sql: string, params: readonly Param[]) => (await connection.runAndReadAll(sql, params.length ? ([...params] as DuckDBValue[]) : undefined)).getRowObjectsJS();
    const adapter = {
      exec: async (sql: string, params: readonly Param[] = []) => void (await read(sql, params)),
      rows: async <S extends z.ZodType>(schema: S, sql: string, params: readonly Param[] = []) => (await read(sql, params)).map((r) => schema.parse(r) as z.output<S>),
      transaction: async <T,>(work: () => Promise<T>) => {
        await connection.run('BEGIN TRANSACTION');
        try {
          const result = await work();
          await connection.run('COMMIT');
          return result;
        } catch (error) {
          await connection.run('ROLLBACK');
          throw error;
        }
      },
    };
    return adapter as unknown as AccessCatalog;
  }

  it('retries the appends that lost, and the chain stays whole', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const a = connectionCatalog(await instance.connect());
    const b = connectionCatalog(await instance.connect());
    closers.push(() => instance.closeSync());
    await ensureAccessSchema(a);
    const work = Array.from({ length: 40 }, (_, i) => appendAudit(i % 2 ? a : b, entry(i, { requestId: `req-${i}` })));
    await Promise.all(work);
    expect(await verifyAudit(a)).toMatchObject({ ok: true, rows: 40 });
    expect((await listAudit(b, { afterSeq: 0 })).map((r) => r.requestId).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `req-${i}`).sort());
  });

  it('gives up as busy, not as a failure, when it keeps losing', async () => {
    const { catalog } = await duckdbHandle();
    await ensureAccessSchema(catalog);
    let attempts = 0;
    const losing: AccessCatalog = {
      exec: async (sql, params) => {
        if (sql.startsWith('INSERT INTO audit_log')) {
          attempts++;
          throw Object.assign(new Error('duplicate key value violates unique constraint "audit_log_pkey"'), { code: '23505' });
        }
        return catalog.exec(sql, params);
      },
      rows: (schema, sql, params) => catalog.rows(schema, sql, params),
      transaction: (work) => catalog.transaction(work),
    };
    await expect(appendAudit(losing, entry(1))).rejects.toMatchObject({ kind: 'busy' });
    expect(attempts).toBe(20); // withRetry: up to 20 tries (src/store/accessSql.ts)
    expect(await verifyAudit(catalog)).toEqual({ ok: true, rows: 0, head: GENESIS_HASH });
  });
});

describe('on a real PostgreSQL server, through the service-mode catalog', () => {
  // A throwaway cluster (test/helpers/postgres.ts): separate Catalog objects are separate pools of connections, as
  // separate server processes would be, so their appends really run at once.
  let server: TestPostgres | undefined;
  let url = '';
  beforeAll(async () => {
    server = await startPostgres();
    url = await freshDatabase(server.url, 'iapt_access');
  }, 90_000);
  afterAll(() => server?.stop());

  it('keeps one chain when four catalogs append at once, and tokens work across them', async () => {
    const dir = join(root, 'service');
    const catalogs = await Promise.all(Array.from({ length: 4 }, () => Catalog.open(dir, { databaseUrl: url, create: true })));
    let readOnly: Catalog | undefined;
    try {
      await Promise.all(Array.from({ length: 200 }, (_, i) => appendAudit(catalogs[i % 4]!, entry(i, { requestId: `req-${i}` }))));
      expect(await verifyAudit(catalogs[0]!)).toMatchObject({ ok: true, rows: 200 });
      expect((await listAudit(catalogs[1]!, { afterSeq: 0, limit: 1000 })).map((r) => r.requestId).sort()).toEqual(Array.from({ length: 200 }, (_, i) => `req-${i}`).sort());

      const users = await Promise.all(catalogs.map((c, i) => addUser(c, { name: `client ${i}`, role: 'commissioner', org: '00l' })));
      expect(users.map((u) => u.id).sort()).toEqual([1, 2, 3, 4]);
      expect(await principalOfToken(catalogs[3]!, users[0]!.token)).toMatchObject({ name: 'client 0', role: 'commissioner', org: '00L' });
      await revokeUser(catalogs[2]!, users[0]!.id);
      expect(await principalOfToken(catalogs[1]!, users[0]!.token)).toBeNull();

      readOnly = await Catalog.open(dir, { databaseUrl: url, readOnly: true });
      expect((await listUsers(readOnly)).filter((u) => u.revokedAt === null)).toHaveLength(3);
      await catalogs[0]!.exec(`DELETE FROM audit_log WHERE seq = 120`);
      expect(await verifyAudit(readOnly)).toMatchObject({ ok: false, rows: 119, firstBad: 120 });
    } finally {
      await Promise.all([...catalogs, ...(readOnly ? [readOnly] : [])].map((c) => c.close()));
    }
  });
});

describe('reading a read-only catalog', () => {
  it('finds no users and an empty trail where none were made, and reads them once made', async () => {
    const dir = join(root, 'readonly');
    await (await Catalog.open(dir, { create: true })).close();
    let ro = await Catalog.open(dir, { readOnly: true });
    expect(await listUsers(ro)).toEqual([]);
    expect(await principalOfToken(ro, `iapt_${'A'.repeat(43)}`)).toBeNull();
    expect(await verifyAudit(ro)).toEqual({ ok: true, rows: 0, head: GENESIS_HASH });
    await ro.close();
    const rw = await Catalog.open(dir);
    const { token } = await addUser(rw, { name: 'auditor', role: 'auditor', org: null });
    await appendAudit(rw, entry(1));
    await rw.close();
    ro = await Catalog.open(dir, { readOnly: true });
    expect((await principalOfToken(ro, token))?.role).toBe('auditor');
    expect(await verifyAudit(ro)).toMatchObject({ ok: true, rows: 1 });
    await ro.close();
  });
});

describe('containsNhsNumber', () => {
  it('finds ten digits passing Modulus 11, plain or 3-3-4, and nothing in longer numbers', () => {
    expect(containsNhsNumber(NHS)).toBe(true);
    expect(containsNhsNumber(`x${NHS}`)).toBe(true);
    expect(containsNhsNumber('943 476 5919')).toBe(true);
    expect(containsNhsNumber('943-476-5919')).toBe(true);
    expect(containsNhsNumber(NOT_NHS)).toBe(false);
    expect(containsNhsNumber(`1${NHS}`)).toBe(false);
    expect(containsNhsNumber(`${NHS}0`)).toBe(false);
    expect(containsNhsNumber(`a${NHS}b`, true)).toBe(false);
    expect(containsNhsNumber(`a-${NHS}`, true)).toBe(true);
  });
});
