// The catalog on a real PostgreSQL server (service mode), against a throwaway cluster the test starts itself
// (test/helpers/postgres.ts; or IAPT_TEST_DATABASE_URL). The same meaning as the embedded catalog: real synthetic
// files submitted, latest valid wins, the same listing row for row; then what only a server has: many processes
// writing at once. Ids are allocated once each, a setting is recorded once, recovery leaves another live
// process's work alone, and separate `iapt submit` processes store different files into one data directory at
// once, each exactly once (the same bytes sent twice at once: once).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sqlInteger } from '../../src/core/db.js';
import { TABLE_NAMES } from '../../src/dataset/index.js';
import { KEY_FINGERPRINT_SETTING } from '../../src/linkage/key.js';
import { processPeriod } from '../../src/linkage/process.js';
import { appendAudit, verifyAudit } from '../../src/store/access.js';
import { Catalog, CATALOG_FILE, StoreError } from '../../src/store/catalog.js';
import { makeTemporary, TEMPORARY_MARKER } from '../../src/store/owned.js';
import { SQL } from '../../src/store/sql.js';
import { freshDatabase, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { receivedFor, submitFile, synthMonths } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-pgserver-'));
const BIN = new URL('../../bin/iapt.js', import.meta.url).pathname;
let server: TestPostgres | undefined;
let serverUrl = '';

beforeAll(async () => {
  const started = Date.now();
  server = await startPostgres();
  serverUrl = server.url;
  console.log(`PostgreSQL ready in ${Date.now() - started} ms`);
}, 90_000);
afterAll(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

const count = z.object({ n: sqlInteger });
const idOnly = z.object({ id: sqlInteger });

function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

async function withCatalog<T>(dataDir: string, databaseUrl: string | null, work: (catalog: Catalog) => Promise<T>): Promise<T> {
  const catalog = await Catalog.open(dataDir, { databaseUrl });
  try {
    return await work(catalog);
  } finally {
    await catalog.close();
  }
}

describe('the catalog on a PostgreSQL server', () => {
  it('stores real submissions with the catalog in PostgreSQL, lists them exactly as the embedded catalog does, and processes a period', async () => {
    const url = await freshDatabase(serverUrl, 'iapt_server_meaning');
    const synth = join(root, 'synth-meaning');
    const months = synthMonths(synth, '2024-04..2024-05', 1, true);
    const service = join(root, 'service');
    const embedded = join(root, 'embedded');
    for (const f of months.files) {
      const onServer = await submitFile(synth, f, service, { databaseUrl: url });
      const inFile = await submitFile(synth, f, embedded, { databaseUrl: null });
      expect(onServer.status).toBe('stored');
      expect(onServer.status === 'stored' && inFile.status === 'stored' && onServer.id === inFile.id).toBe(true);
    }
    const again = await submitFile(synth, months.files[0]!, service, { databaseUrl: url });
    expect(again).toEqual({ status: 'duplicate', duplicateOf: 1, outcome: 'accepted' });

    // The stored files are in the data directory; the catalog is not.
    expect(existsSync(join(service, CATALOG_FILE))).toBe(false);
    expect(readdirSync(join(service, 'submissions')).sort()).toEqual(['1', '2', '3', '4']);

    const listed = await withCatalog(service, url, (c) => c.submissions());
    const reference = await withCatalog(embedded, null, (c) => c.submissions());
    expect(listed).toEqual(reference);
    // Latest valid wins: each period's Refresh counts, its Primary does not.
    expect(listed.map((r) => [r.id, r.period, r.file_type, r.counts])).toEqual([
      [1, '2024-04', 'Primary', false],
      [2, '2024-04', 'Refresh', true],
      [3, '2024-05', 'Primary', false],
      [4, '2024-05', 'Refresh', true],
    ]);
    expect(listed[1]!.received).toBe(`${receivedFor('2024-04', 'refresh').replace('T', ' ')}`);
    expect(listed.every((r) => r.rows_accepted === Object.values(months.files.find((f) => f.sha256 === r.sha256)!.rows).reduce((a, b) => a + b, 0))).toBe(true);

    // `iapt process` reads the counting submissions from PostgreSQL and records the key's fingerprint there.
    const processed = await processPeriod({ dataDir: service, period: '2024-05', databaseUrl: url, pseudoKey: 'k'.repeat(64) });
    expect(processed.submissions).toBe(2);
    expect(await withCatalog(service, url, (c) => c.setting(KEY_FINGERPRINT_SETTING))).toMatch(/^[0-9a-f]{64}$/);

    // Through the command line: `iapt submissions --database-url … --json` lists the same rows.
    const run = await cli(['submissions', '--data', service, '--database-url', url, '--json']);
    expect(run.err).toBe('');
    expect(JSON.parse(run.out)).toEqual(listed);
  }, 60_000);

  it('refuses a data directory that does not belong to the catalog database, naming what to do', async () => {
    const url = await freshDatabase(serverUrl, 'iapt_server_refusals');
    const refusal = async (dataDir: string, options: Parameters<typeof Catalog.open>[1]) => {
      try {
        await (await Catalog.open(dataDir, { databaseUrl: url, ...options })).close();
      } catch (error) {
        expect(error).toBeInstanceOf(StoreError);
        return (error as Error).message;
      }
      return 'opened';
    };
    // An embedded data directory: its own catalog.duckdb registers its submissions.
    const embedded = join(root, 'refuse-embedded');
    mkdirSync(embedded);
    writeFileSync(join(embedded, CATALOG_FILE), '');
    expect(await refusal(embedded, { create: true })).toMatch(/holds an embedded catalog \(catalog\.duckdb\).*without --database-url/);
    // Stored data beside an empty catalog: the wrong database, or a lost one; never started afresh.
    const stored = join(root, 'refuse-stored');
    mkdirSync(join(stored, 'submissions', '7'), { recursive: true });
    expect(await refusal(stored, { create: true })).toMatch(/has no submissions, but .* holds stored data \(submissions\/\)/);
    // A new catalog in a folder holding unrelated files.
    const foreign = join(root, 'refuse-foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'thesis.docx'), 'mine');
    expect(await refusal(foreign, { create: true })).toMatch(/is not empty and is not an iapt data directory \(it holds thesis\.docx\)/);
    // A reading command on a database that has no catalog yet (the refused opens above made the tables here).
    const empty = await freshDatabase(serverUrl, 'iapt_server_empty');
    await expect(Catalog.open(foreign, { databaseUrl: empty, readOnly: true })).rejects.toThrow(/holds no iapt catalog yet: submit a file first/);
    // A catalog whose stored folders are elsewhere: the wrong --data.
    const synth = join(root, 'synth-refusals');
    const months = synthMonths(synth, '2024-04..2024-04', 1);
    expect((await submitFile(synth, months.files[0]!, join(root, 'right'), { databaseUrl: url })).status).toBe('stored');
    const wrong = join(root, 'refuse-wrong');
    mkdirSync(wrong);
    expect(await refusal(wrong, {})).toMatch(/names stored submissions that .*refuse-wrong does not hold \(submissions\/1\): check --data/);
    expect(readdirSync(wrong)).toEqual([]);
    // No server there: one line naming the URL, without its password.
    const down = `postgres://iapt:secret@127.0.0.1:${new URL(serverUrl).port === '1' ? 2 : 1}/iapt`;
    const message = await (async () => {
      try {
        await Catalog.open(join(root, 'right'), { databaseUrl: down });
        return 'opened';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toMatch(/^cannot reach the catalog database postgres:\/\/iapt:\*\*\*@127\.0\.0\.1:\d\/iapt: /);
    expect(message).not.toContain('secret');
  }, 60_000);

  it('chains audit entries once each and records a setting once while many connections write at once', async () => {
    const url = await freshDatabase(serverUrl, 'iapt_server_ids');
    const data = join(root, 'ids');
    mkdirSync(data);
    const catalogs = await Promise.all(Array.from({ length: 8 }, () => Catalog.open(data, { databaseUrl: url })));
    try {
      const started = Date.now();
      // 8 connections × 25 audit entries, each chained after the head it locks, all at once.
      await Promise.all(catalogs.map((c, i) => (async () => {
        for (let n = 0; n < 25; n++) await appendAudit(c, { requestId: `r-${i}-${n}`, actor: `writer-${i}`, role: 'admin', org: null, action: 'test', object: `n=${n}`, outcome: 'ok' });
      })()));
      await Promise.all(catalogs.map((c, i) => c.recordSetting('race', `value-${i}`)));
      console.log(`200 audit rows from 8 connections at once in ${Date.now() - started} ms`);
      const seqs = (await catalogs[0]!.rows(z.object({ seq: sqlInteger }), 'SELECT seq FROM audit_log ORDER BY seq')).map((r) => r.seq);
      expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      expect(await verifyAudit(catalogs[0]!)).toMatchObject({ ok: true, rows: 200 });
      expect(await catalogs[0]!.rows(count, `SELECT count(*) AS n FROM settings WHERE name = 'race'`)).toEqual([{ n: 1 }]);
    } finally {
      await Promise.all(catalogs.map((c) => c.close()));
    }
  }, 60_000);

  it("recovers after a dead process's submit, and leaves a live process's submit alone", async () => {
    const url = await freshDatabase(serverUrl, 'iapt_server_recovery');
    const data = join(root, 'recovery');
    mkdirSync(data);
    const reserve = (c: Catalog, id: number) =>
      c.transaction(async () => {
        expect(await c.nextId(SQL.nextSubmissionId)).toBe(id);
        await c.exec(SQL.reserveSubmission, [id, 'RA1', '2024-05', 1490, 'Primary', false, '2024-06-10 10:00:00', `sha${id}`, `f${id}.zip`, '2.1', 'accepted', 10, 9, 1, `submissions/${id}`, '2024-06-10 10:00:00']);
      });
    const pending = (c: Catalog) => c.rows(idOnly, SQL.pendingSubmissions);
    const live = await Catalog.open(data, { databaseUrl: url });
    await reserve(live, 1);
    const tmp = makeTemporary(join(data, '.tmp'), '1'); // as submit builds its folder
    writeFileSync(join(tmp, 'report.json'), '{}');
    // Another process opens the catalog meanwhile: its recovery must not take the live submit's row or folder.
    await withCatalog(data, url, async (other) => {
      expect((await pending(other)).map((r) => r.id)).toEqual([1]);
      expect(existsSync(join(tmp, 'report.json'))).toBe(true);
      await reserve(other, 2); // and it allocates the next id
    });
    // The live one "dies" (its connection ends, with its claims); the next opener finishes what it left.
    await live.close();
    await withCatalog(data, url, async (next) => {
      expect(await pending(next)).toEqual([]);
      expect(existsSync(tmp)).toBe(false);
      expect(readdirSync(join(data, '.tmp')).filter((e) => e.endsWith(TEMPORARY_MARKER))).toEqual([]);
    });
  }, 60_000);

  it('stores different files from separate `iapt submit` processes at once, each exactly once', async () => {
    expect(existsSync(new URL('../../dist/cli/main.js', import.meta.url)), 'dist/ is missing: run npm run build').toBe(true);
    const url = await freshDatabase(serverUrl, 'iapt_server_concurrent');
    const synth = join(root, 'synth-concurrent');
    const months = synthMonths(synth, '2024-04..2024-06', 2);
    const data = join(root, 'concurrent');
    const argsOf = (f: (typeof months.files)[number]) => ['submit', join(synth, f.path), '--data', data, '--received', receivedFor(f.period, 'primary'), '--database-url', url];
    const started = Date.now();
    const runs = await Promise.all([...months.files.map((f) => cli(argsOf(f))), cli(argsOf(months.files[0]!))]);
    console.log(`${runs.length} iapt submit processes at once (${months.files.length} files, one sent twice) in ${Date.now() - started} ms`);
    for (const run of runs) expect(run.code, run.out + run.err).toBe(0);
    expect(runs.filter((r) => r.out.startsWith('DUPLICATE'))).toHaveLength(1);

    await withCatalog(data, url, async (catalog) => {
      const rows = await catalog.submissions();
      // Every file stored exactly once, under ids 1…n, each with its folder, every one counting.
      expect(rows.map((r) => `${r.provider}/${r.period}`).sort()).toEqual(months.files.map((f) => `${f.provider}/${f.period}`).sort());
      expect(rows.map((r) => r.id).sort((a, b) => a - b)).toEqual(months.files.map((_, i) => i + 1));
      expect(rows.every((r) => r.counts && r.outcome === 'accepted')).toBe(true);
      expect(readdirSync(join(data, 'submissions')).sort()).toEqual(rows.map((r) => String(r.id)).sort());
      for (const r of rows) expect(r.rows_accepted).toBe(Object.values(months.files.find((f) => f.sha256 === r.sha256)!.rows).reduce((a, b) => a + b, 0));
      // Per-table counts once per submission and table; one audit entry per stored submission, the chain intact; nothing pending or temporary.
      expect(await catalog.rows(count, 'SELECT count(*) AS n FROM submission_tables')).toEqual([{ n: months.files.length * TABLE_NAMES.length }]);
      expect(await catalog.rows(count, `SELECT count(*) AS n FROM audit_log WHERE action = 'submit'`)).toEqual([{ n: months.files.length }]);
      expect(await verifyAudit(catalog)).toMatchObject({ ok: true });
      expect(await catalog.rows(idOnly, SQL.pendingSubmissions)).toEqual([]);
    });
    expect(existsSync(join(data, '.tmp')) ? readdirSync(join(data, '.tmp')) : []).toEqual([]);
    expect(existsSync(join(data, CATALOG_FILE))).toBe(false);
  }, 90_000);
});
