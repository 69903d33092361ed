// The service deployment's job model, against a real PostgreSQL server (a throwaway cluster the test starts itself,
// test/helpers/postgres.ts; or IAPT_TEST_DATABASE_URL): the API sends one job per uploaded file to the pg-boss queue
// and nothing runs it until a worker works the queue; two `iapt worker` processes share one queue and every file is
// stored exactly once; a worker killed (SIGKILL) in the middle of storing a file leaves its job to expire and be
// retried by another worker, and the file is still stored once, with nothing left pending; with no retry left, the
// job fails saying why. The worker processes run the built CLI (built here when dist/ is older than src/).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readConfig } from '../../src/core/config.js';
import { sqlInteger } from '../../src/core/db.js';
import { buildServer } from '../../src/server/app.js';
import { jobHandlers } from '../../src/server/jobHandlers.js';
import { JOB_KINDS } from '../../src/server/jobs.js';
import { PgQueue, type PgQueueOptions } from '../../src/server/pgQueue.js';
import { UPLOADS_FOLDER } from '../../src/server/routes/submissions.js';
import { addUser } from '../../src/store/access.js';
import { Catalog, CATALOG_FILE } from '../../src/store/catalog.js';
import { TEMPORARY_MARKER } from '../../src/store/owned.js';
import { SQL } from '../../src/store/sql.js';
import { freshDatabase, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { synthMonths } from '../store/helpers.js';
import { multipartFile } from './fixture.js';

const REPO = new URL('../..', import.meta.url).pathname;
const BIN = join(REPO, 'bin', 'iapt.js');
const KEY = 'd4'.repeat(32);
const root = mkdtempSync(join(tmpdir(), 'iapt-service-'));
const scratch = join(root, 'tmp');
mkdirSync(scratch);
const synth = join(root, 'synth');
const reference = join(synth, 'reference');
let months: ReturnType<typeof synthMonths>;
let server: TestPostgres | undefined;
let serverUrl = '';
const workers = new Set<ChildProcess>();
const services: Service[] = [];

/** The newest modification time of the files under a folder. */
function newest(folder: string): number {
  let latest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

beforeAll(async () => {
  const started = Date.now();
  // The worker processes run the built CLI: build it when it is missing or older than the source.
  const built = join(REPO, 'dist', 'cli', 'main.js');
  if (!existsSync(built) || statSync(built).mtimeMs < newest(join(REPO, 'src'))) {
    const build = spawnSync('npm', ['run', 'build'], { cwd: REPO, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
  }
  server = await startPostgres();
  serverUrl = server.url;
  // Three providers × two months: six files.
  months = synthMonths(synth, '2024-08..2024-09', 3);
  console.log(`built, PostgreSQL and six synthetic files ready in ${Date.now() - started} ms`);
}, 90_000);
afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL');
  for (const s of services) await s.close();
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

interface Service {
  url: string;
  data: string;
  app: FastifyInstance;
  queue: PgQueue;
  tokens: Record<string, string>;
  close(): Promise<void>;
}

/**
 * A service deployment as `iapt serve --database-url` makes it: a storage folder, its catalog and users in
 * PostgreSQL, the API with a PgQueue (these options) as its jobs. Every period's Primary window is today, so that
 * files uploaded now are placed, not refused as late.
 */
async function service(name: string, options: PgQueueOptions): Promise<Service> {
  const url = await freshDatabase(serverUrl, name);
  const data = join(root, name);
  const today = new Date().toISOString().slice(0, 10);
  const windows = Object.fromEntries([...new Set(months.files.map((f) => f.period))].map((p) => [p, { primary: [today, today], refresh: ['2099-01-01', '2099-01-02'] }]));
  const catalog = await Catalog.open(data, { databaseUrl: url, create: true });
  const tokens: Record<string, string> = {};
  try {
    for (const provider of new Set(months.files.map((f) => f.provider))) tokens[provider] = (await addUser(catalog, { name: `upload ${provider}`, role: 'provider', org: provider })).token;
    tokens.analyst = (await addUser(catalog, { name: 'analyst', role: 'analyst', org: null })).token;
  } finally {
    await catalog.close();
  }
  writeFileSync(join(data, 'calendar.json'), JSON.stringify({ windows }));
  const queue = await PgQueue.open(url, options);
  // As iapt serve runs it: one catalog for the server's life, shared by every request.
  const sharedCatalog = await Catalog.open(data, { databaseUrl: url, waitMs: 10_000 });
  const app = await buildServer({ dataDir: data, databaseUrl: url, referenceDir: reference, config: { ...readConfig({}), pseudoKey: KEY }, uploadLimit: 50 * 1024 * 1024, jobs: queue, sharedCatalog }, { rateLimit: 100_000 });
  const s: Service = {
    url,
    data,
    app,
    queue,
    tokens,
    close: async () => {
      services.splice(services.indexOf(s), 1);
      await app.close();
      await queue.stop();
      await sharedCatalog.close();
    },
  };
  services.push(s);
  return s;
}

interface JobAnswer {
  id: string;
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
  result: Record<string, unknown> | null;
  error: string | null;
}

async function upload(s: Service, file: (typeof months.files)[number]): Promise<string> {
  const body = multipartFile(join(synth, file.path));
  const res = await s.app.inject({ method: 'POST', url: `/api/v1/submissions?provider=${file.provider}`, payload: body.payload, headers: { ...body.headers, authorization: `Bearer ${s.tokens[file.provider]}` } });
  expect(res.statusCode, res.body).toBe(202);
  const answer = res.json<{ job: JobAnswer; sha256: string }>();
  expect(answer.sha256).toBe(file.sha256);
  expect(answer.job.status).toBe('queued');
  return answer.job.id;
}

async function job(s: Service, id: string): Promise<JobAnswer> {
  const res = await s.app.inject({ method: 'GET', url: `/api/v1/jobs/${id}`, headers: { authorization: `Bearer ${s.tokens.analyst}` } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<JobAnswer>();
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

const allFinished = (s: Service, ids: string[]) => async () => {
  const jobs = await Promise.all(ids.map((id) => job(s, id)));
  return jobs.every((j) => j.status === 'succeeded' || j.status === 'failed') ? jobs : null;
};

interface Worker {
  child: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
}

/** `iapt worker --database-url … --data …` as a process of its own; resolves once it says it is working. */
async function startWorker(s: Service): Promise<Worker> {
  // Its temporary files in this test's folder: a worker killed outright cannot remove them itself.
  const child = spawn(process.execPath, [BIN, 'worker', '--database-url', s.url, '--data', s.data, '--reference', reference], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: scratch } });
  workers.add(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => {
      workers.delete(child);
      resolve(signal ? null : code);
    }),
  );
  await until('the worker to start', async () => {
    if (child.exitCode !== null) throw new Error(`the worker exited (${child.exitCode}): ${out}`);
    return out.includes('iapt worker: working jobs');
  }, 30_000, 50);
  return { child, out: () => out, exited };
}

const count = z.object({ n: sqlInteger });
const idOnly = z.object({ id: sqlInteger });

/** What the storage folder and the catalog hold: submissions, folders, anything pending or left behind. */
async function stored(s: Service) {
  const catalog = await Catalog.open(s.data, { databaseUrl: s.url, readOnly: true });
  try {
    const rows = await catalog.submissions();
    return {
      rows,
      folders: existsSync(join(s.data, 'submissions')) ? readdirSync(join(s.data, 'submissions')).sort((a, b) => Number(a) - Number(b)) : [],
      pending: await catalog.rows(idOnly, SQL.pendingSubmissions),
      audited: (await catalog.rows(count, `SELECT count(*) AS n FROM audit_log WHERE action = 'submit'`))[0]!.n,
      temporary: existsSync(join(s.data, '.tmp')) ? readdirSync(join(s.data, '.tmp')) : [],
      uploads: existsSync(join(s.data, UPLOADS_FOLDER)) ? readdirSync(join(s.data, UPLOADS_FOLDER)) : [],
    };
  } finally {
    await catalog.close();
  }
}

/** pg-boss's own record of the service's jobs (the queue and its archive). */
async function queueRows(url: string): Promise<{ id: string; state: string; retry_count: number }[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = (table: string) => `SELECT id::text, state::text, retry_count FROM iapt_jobs.${table}`;
    return (await client.query<{ id: string; state: string; retry_count: number }>(`${q('job')} UNION ALL ${q('archive')}`)).rows;
  } finally {
    await client.end();
  }
}

describe('the service deployment: jobs in PostgreSQL, worked by workers', () => {
  it('queues uploads until a worker starts, then stores them; the API lists them from PostgreSQL', async () => {
    const s = await service('iapt_service_inprocess', { pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 });
    const files = [months.files.find((f) => f.period === '2024-09' && f.provider === months.files[0]!.provider)!, months.files.find((f) => f.period === '2024-09' && f.provider !== months.files[0]!.provider)!];
    const ids = [];
    for (const f of files) ids.push(await upload(s, f));
    expect(ids.every((id) => id.startsWith('submission.'))).toBe(true);

    // No worker yet: the jobs wait in PostgreSQL, their files in the storage folder's uploads/.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    for (const id of ids) expect(await job(s, id)).toMatchObject({ status: 'queued', startedAt: null, result: null });
    expect((await stored(s)).uploads).toHaveLength(2);
    const none = await s.app.inject({ method: 'GET', url: '/api/v1/submissions', headers: { authorization: `Bearer ${s.tokens.analyst}` } });
    expect(none.json()).toEqual({ submissions: [] });

    // A worker in this process (as `iapt worker` makes it: its own PgQueue on the same database).
    const worker = await PgQueue.open(s.url, { pollingIntervalSeconds: 0.5 });
    const started = Date.now();
    try {
      await worker.work(jobHandlers({ dataDir: s.data, databaseUrl: s.url, referenceDir: reference, config: { ...readConfig({}), pseudoKey: KEY }, uploadLimit: 0 }));
      const jobs = await until('both jobs to finish', allFinished(s, ids), 30_000);
      console.log(`two uploads stored by an in-process worker in ${Date.now() - started} ms`);
      expect(jobs.map((j) => j.status)).toEqual(['succeeded', 'succeeded']);
      expect(jobs.map((j) => j.result)).toEqual([
        { status: 'stored', submissionId: expect.any(Number), outcome: 'accepted', fileType: 'Primary', period: '2024-09' },
        { status: 'stored', submissionId: expect.any(Number), outcome: 'accepted', fileType: 'Primary', period: '2024-09' },
      ]);
      expect(jobs.every((j) => j.startedAt && j.finishedAt && j.error === null)).toBe(true);
      await s.queue.idle();

      // A provider's pre-deadline extract is a job too, worked by the worker into the shared storage folder: asked for
      // by POST (202, then the file by its job), and by GET (the file within the request).
      const provider = files[0]!.provider;
      const bearer = { authorization: `Bearer ${s.tokens[provider]}` };
      const submissionId = jobs[0]!.result!.submissionId as number;
      const asked = await s.app.inject({ method: 'POST', url: `/api/v1/extracts/provider?submission=${submissionId}`, headers: bearer });
      expect(asked.statusCode, asked.body).toBe(202);
      const { job: extractJob, file } = asked.json<{ job: JobAnswer; file: string }>();
      expect(extractJob.id).toMatch(/^extract\./);
      const done = await until('the extract job', async () => {
        const j = (await s.app.inject({ method: 'GET', url: `/api/v1/jobs/${extractJob.id}`, headers: bearer })).json<JobAnswer>();
        return j.status === 'succeeded' || j.status === 'failed' ? j : null;
      }, 30_000);
      expect(done.result).toMatchObject({ status: 'written', releaseKind: 'provider-pre-deadline', rows: expect.any(Number) });
      const fetched = await s.app.inject({ method: 'GET', url: file, headers: bearer });
      expect(fetched.statusCode).toBe(200);
      expect(fetched.headers['x-iapt-sha256']).toBe(done.result!.sha256);
      const direct = await s.app.inject({ method: 'GET', url: `/api/v1/extracts/provider?submission=${submissionId}`, headers: bearer });
      expect(direct.statusCode, direct.body).toBe(200);
      expect(direct.body).toBe(fetched.body);
      expect(fetched.body.trim().split('\n')).toHaveLength((done.result!.rows as number) + 1);
    } finally {
      await worker.stop();
    }

    const listed = await s.app.inject({ method: 'GET', url: '/api/v1/submissions', headers: { authorization: `Bearer ${s.tokens.analyst}` } });
    expect(listed.statusCode).toBe(200);
    const submissions = listed.json<{ submissions: { id: number; provider: string; sha256: string; fileType: string; counts: boolean }[] }>().submissions;
    const jobs = await Promise.all(ids.map((id) => job(s, id)));
    expect(submissions.map((r) => r.id).sort()).toEqual(jobs.map((j) => j.result!.submissionId).sort());
    expect(submissions.map((r) => `${r.provider} ${r.sha256}`).sort()).toEqual(files.map((f) => `${f.provider} ${f.sha256}`).sort());
    expect(submissions.every((r) => r.fileType === 'Primary' && r.counts)).toBe(true);
    // A provider sees its own only, from the same PostgreSQL catalog.
    const own = await s.app.inject({ method: 'GET', url: '/api/v1/submissions', headers: { authorization: `Bearer ${s.tokens[files[0]!.provider]}` } });
    expect(own.json<{ submissions: { provider: string }[] }>().submissions.map((r) => r.provider)).toEqual([files[0]!.provider]);

    const after = await stored(s);
    expect(after.folders).toEqual(submissions.map((r) => String(r.id)).sort());
    expect(after).toMatchObject({ pending: [], temporary: [], uploads: [], audited: 2 });
    expect(existsSync(join(s.data, CATALOG_FILE))).toBe(false);
    await s.close();
  }, 60_000);

  it('two `iapt worker` processes on one queue: six uploads, each stored exactly once, both workers working', async () => {
    const s = await service('iapt_service_two_workers', { pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 });
    // Every job queued first; then both workers start on the same queue.
    const ids = [];
    for (const f of months.files) ids.push(await upload(s, f));
    expect(ids).toHaveLength(6);
    const started = Date.now();
    const pair = await Promise.all([startWorker(s), startWorker(s)]);
    const jobs = await until('six jobs to finish', allFinished(s, ids), 60_000, 200);
    console.log(`six uploads stored by two worker processes in ${Date.now() - started} ms (from their start)`);
    for (const j of jobs) expect(j.status, `${j.id}: ${j.error}`).toBe('succeeded');
    expect(jobs.every((j) => j.result!.status === 'stored' && j.result!.outcome === 'accepted')).toBe(true);

    // Each worker holds at most one submission job at a time, so two jobs that were running at the same moment
    // were run by the two workers.
    const spans = jobs.map((j) => [Date.parse(j.startedAt!), Date.parse(j.finishedAt!)] as const);
    const overlapping = spans.some(([a0, a1], i) => spans.some(([b0, b1], k) => k !== i && a0 < b1 && b0 < a1));
    expect(overlapping, JSON.stringify(jobs.map((j) => [j.startedAt, j.finishedAt]))).toBe(true);

    // Stop: SIGTERM; each worker finishes what it holds (nothing now) and exits 0.
    for (const w of pair) w.child.kill('SIGTERM');
    const codes = await Promise.all(pair.map((w) => w.exited));
    expect(codes, pair.map((w) => w.out()).join('\n')).toEqual([0, 0]);

    const after = await stored(s);
    expect(after.rows.map((r) => r.id).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(after.rows.map((r) => r.sha256).sort()).toEqual(months.files.map((f) => f.sha256).sort());
    expect(jobs.map((j) => j.result!.submissionId).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(after.folders).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(after).toMatchObject({ pending: [], temporary: [], uploads: [], audited: 6 });
    expect((await queueRows(s.url)).filter((r) => r.state !== 'completed')).toEqual([]);
    expect(existsSync(join(s.data, CATALOG_FILE))).toBe(false);
    await s.close();
  }, 90_000);

  it('a worker killed mid-store: the job expires, another worker retries it, and the file is stored once', async () => {
    // The server side sends its jobs with a short expiry and retry delay, and runs pg-boss's maintenance (which
    // finds expired jobs) every second; the workers run with `iapt worker`'s defaults.
    const s = await service('iapt_service_crash', { expireInSeconds: 5, retryDelaySeconds: 1, maintenanceIntervalSeconds: 1, pollingIntervalSeconds: 0.5 });
    const file = months.files[0]!;
    // Killed at the worst moment: its catalog row reserved, its submission folder being built under .tmp/. The
    // test watches .tmp/ (made beforehand, as the first submit would make it) and kills the worker the moment the
    // folder's temporary marker appears.
    const tmp = join(s.data, '.tmp');
    mkdirSync(tmp, { mode: 0o700 });
    const first = await startWorker(s);
    let building = '';
    const watcher = watch(tmp, (_event, name) => {
      if (!building && name?.endsWith(TEMPORARY_MARKER)) {
        building = name;
        first.child.kill('SIGKILL');
      }
    });
    const id = await upload(s, file);
    try {
      await until('the worker to start building the submission folder', async () => building, 30_000, 10);
    } finally {
      watcher.close();
    }
    const killedAt = Date.now();
    expect(await first.exited).toBe(null);
    // What it left, read before anything opens the catalog for writing (every writable open recovers a dead
    // process's leftovers; the API's audit of a request is such an open): its reserved row, pending, and its folder.
    const left = await stored(s);
    expect(left.rows).toEqual([]);
    expect(left.pending.map((p) => String(p.id))).toEqual([building.slice(0, -TEMPORARY_MARKER.length)]);
    expect(left.temporary).toContain(building);
    expect(left.uploads).toHaveLength(1); // the upload waits for the retry
    // Until it expires the job stays running: nobody else takes it.
    expect((await job(s, id)).status).toBe('running');

    const second = await startWorker(s);
    const [done] = await until('the retried job to finish', allFinished(s, [id]), 45_000, 200);
    console.log(`killed mid-store; retried and stored ${Date.now() - killedAt} ms after the kill: ${JSON.stringify(done!.result)}`);
    expect(done!.status, done!.error ?? '').toBe('succeeded');
    // Stored by the retry, not found already stored: the kill came before the first attempt completed.
    expect(done!.result).toMatchObject({ status: 'stored', outcome: 'accepted' });
    const rows = await queueRows(s.url);
    expect(rows.map((r) => [r.state, r.retry_count])).toEqual([['completed', 1]]);

    second.child.kill('SIGTERM');
    expect(await second.exited, second.out()).toBe(0);
    // Stored once: one row for its sha256, one folder; the killed attempt's row, folder and upload are gone.
    const after = await stored(s);
    expect(after.rows.map((r) => [r.id, r.sha256])).toEqual([[done!.result!.submissionId, file.sha256]]);
    expect(after.folders).toEqual([String(done!.result!.submissionId)]);
    expect(after).toMatchObject({ pending: [], temporary: [], uploads: [], audited: 1 });
    await s.queue.idle();
    await s.close();
  }, 90_000);

  it('opens the queue from four processes at once on a new database (pg-boss set-up one at a time, no deadlock)', async () => {
    const url = await freshDatabase(serverUrl, 'iapt_service_setup_race');
    // Separate PgQueue objects are separate pools of connections, as separate processes would be.
    const queues = await Promise.all([1, 2, 3, 4].map(() => PgQueue.open(url)));
    for (const q of queues) await q.stop();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>("SELECT name FROM iapt_jobs.queue WHERE left(name, 2) <> '__' ORDER BY name");
      expect(rows.map((r) => r.name)).toEqual([...JOB_KINDS].sort());
    } finally {
      await client.end();
    }
  }, 60_000);

  it('a worker asked to work two submitted files at once runs them side by side, each once', async () => {
    const s = await service('iapt_service_concurrency', { pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 });
    const worker = await PgQueue.open(s.url, { pollingIntervalSeconds: 0.5 });
    let running = 0;
    let most = 0;
    const worked: string[] = [];
    const slow = async (job: { id: string }) => {
      running += 1;
      most = Math.max(most, running);
      worked.push(job.id);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      running -= 1;
      return {};
    };
    try {
      const owner = { name: 'test', role: 'provider', org: 'RA1' };
      const ids = [(await s.queue.enqueue('submission', {}, owner)).id, (await s.queue.enqueue('submission', {}, owner)).id];
      await worker.work(Object.fromEntries(JOB_KINDS.map((k) => [k, slow])) as unknown as Parameters<PgQueue['work']>[0], { submission: 2 });
      const jobs = await until('both jobs to finish', allFinished(s, ids), 30_000);
      expect(jobs.map((j) => j.status)).toEqual(['succeeded', 'succeeded']);
      expect(most).toBe(2);
      expect(worked.sort()).toEqual([...ids].sort());
    } finally {
      await worker.stop();
      await s.close();
    }
  }, 60_000);

  it('a job whose worker dies with no retry left is failed, saying why', async () => {
    const s = await service('iapt_service_no_retry', { expireInSeconds: 2, retryLimit: 0, maintenanceIntervalSeconds: 1, pollingIntervalSeconds: 0.5 });
    const worker = await startWorker(s);
    const id = await upload(s, months.files[1]!);
    await until('the job to be running', async () => (await job(s, id)).status === 'running', 20_000, 20);
    worker.child.kill('SIGKILL');
    const done = await until('the job to fail', async () => ((await job(s, id)).status === 'failed' ? job(s, id) : null), 20_000, 200);
    expect(done).toMatchObject({ status: 'failed', result: null, error: 'job failed by timeout in active state' });
    await s.queue.idle();
    await s.close();
  }, 60_000);
});
