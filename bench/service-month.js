// The service deployment at national scale (issue 17): a national month's files uploaded concurrently to `iapt serve`
// and stored by two `iapt worker` processes, then the latency of the submission list and report endpoints under 50
// concurrent clients (target: p95 ≤ 100 ms). Run through bench/rusage.js by bench/run.js:
//
//   node bench/rusage.js OUT.json bench/service-month.js SYNTH [PERIOD]
//
// SYNTH is an `iapt synth` output (manifest.json, reference/); PERIOD its month to upload (default the last one):
// every provider's Primary file of that month. What it does:
//   1. a PostgreSQL server: a throwaway cluster made here (scripts/postgres-cluster.mjs) with PostgreSQL's durability
//      settings on, as a production server has them, or BENCH_DATABASE_URL (a superuser's URL: the database
//      iapt_bench_service is dropped and made again on it);
//   2. a fresh data directory and catalog with one provider user (API token) per provider, and a calendar.json whose
//      Primary window for PERIOD is open today (uploads are received now);
//   3. `iapt serve --database-url … --trust-proxy` and BENCH_SERVICE_WORKERS (2) `iapt worker --database-url …`
//      processes, each through bench/rusage.js (peak RSS as process.resourceUsage().maxRSS, as for every case);
//   4. every file uploaded (POST /api/v1/submissions, at most BENCH_SERVICE_UPLOADS = 16 in flight), each with its
//      provider's token; then each job polled (GET /api/v1/jobs/{id}) until all have succeeded, every file stored;
//   5. latency, measured by this process from request to the end of the answer: first one client alone
//      (BENCH_SERVICE_REQUESTS = 20 requests per endpoint: the unloaded figure), then BENCH_SERVICE_CLIENTS (50)
//      clients at once, each BENCH_SERVICE_REQUESTS requests one after another, of `GET /api/v1/submissions?provider=`
//      and then of `GET /api/v1/submissions/{id}/report?format=json`, each with its provider's token. Every client
//      has its own address (X-Forwarded-For, with --trust-proxy), as distinct clients behind a proxy do, so the
//      per-address rate limit (600 a minute) applies per client. Beside them: the server's CPU time over each phase
//      (/proc/PID/stat), and how long its audit trail took to catch up after the phase (each request's audit record
//      is appended after its answer, one at a time; the next phase waits for it);
//   6. where a request's time goes: the catalog steps a request makes (token check, submission list, audit append),
//      each timed alone (20 times, median) from this process against the same database while the service is idle,
//      beside the cost of opening a catalog;
//   7. every child and the cluster stopped (also on failure or interruption); the temporary folder (data, each
//      process's log) removed unless BENCH_SERVICE_KEEP=1.
// Prints one JSON line: { rows, files, upload, processing, workers, serve, latency, breakdown, peakRssBytes }.
import { spawn } from 'node:child_process';
import { Buffer } from 'node:buffer';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freshDatabase, startPostgres } from '../scripts/postgres-cluster.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const MiB = 1024 * 1024;

function whole(name, fallback) {
  const raw = process.env[name];
  const value = Number(raw ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1, not "${raw}"`);
  return value;
}

const round = (x, digits = 1) => (x === undefined || x === null || Number.isNaN(x) ? null : Number(x.toFixed(digits)));

/** p50, p95 (nearest rank), max and count of latencies in ms. */
function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
  return sorted.length === 0 ? { n: 0 } : { n: sorted.length, p50: round(rank(0.5)), p95: round(rank(0.95)), max: round(sorted[sorted.length - 1]) };
}

const median = (values) => summary(values).p50;

/** A child process's CPU time so far (user + system), in seconds, from /proc (Linux); null elsewhere. */
function cpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime), counted from after the command name; clock ticks, 100 a second on Linux.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** A child through bench/rusage.js, its output to a log file; resolves `ready` when a line matches `readyLine`. */
function startChild(name, tmp, args, readyLine) {
  const usageFile = join(tmp, `${name}.rusage.json`);
  const logFile = join(tmp, `${name}.log`);
  const log = createWriteStream(logFile);
  const started = performance.now();
  const child = spawn(process.execPath, ['bench/rusage.js', usageFile, 'bin/iapt.js', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let seen = '';
  let readyResolve;
  let readyReject;
  const ready = new Promise((res, rej) => {
    readyResolve = res;
    readyReject = rej;
  });
  ready.catch(() => undefined); // awaited where it matters; a child stopped later rejects it harmlessly
  // A command that fails still returns from main() (bench/rusage.js then writes its usage file), but its process may
  // live on with open handles: a usage file before the ready line is a failure, as is no ready line in two minutes.
  const watchdog = setInterval(() => {
    if (seen === null) return clearInterval(watchdog);
    if (existsSync(usageFile) || performance.now() - started > 120_000) {
      clearInterval(watchdog);
      readyReject(new Error(`${name} did not start; last lines of ${logFile}:\n${tailOf(logFile)}`));
    }
  }, 200);
  const onData = (chunk) => {
    log.write(chunk);
    if (seen !== null) {
      seen += chunk.toString('utf8');
      const m = readyLine.exec(seen);
      if (m) {
        seen = null;
        readyResolve(m);
      } else if (seen.length > 1e6) seen = seen.slice(-1e5);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', (chunk) => log.write(chunk));
  let wallSeconds;
  child.on('exit', () => {
    wallSeconds = (performance.now() - started) / 1000;
    clearInterval(watchdog);
  });
  // 'close' comes after the last of its output: the log file is complete once `exited` resolves.
  const exited = new Promise((res) =>
    child.on('close', (code, signal) =>
      log.end(() => {
        readyReject(new Error(`${name} exited (${signal ?? `code ${code}`}) before it was ready; last lines of ${logFile}:\n${tailOf(logFile)}`));
        res({ code, signal, wallSeconds });
      }),
    ),
  );
  child.on('error', (error) => readyReject(error));
  return { name, child, pid: child.pid, usageFile, logFile, ready, exited, stopped: false };
}

function tailOf(file, lines = 20) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Stops a child with SIGTERM (SIGKILL after `graceMs`); its wall time and the rusage it wrote, if it did. */
async function stopChild(c, graceMs = 60_000) {
  if (!c.stopped && c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGTERM');
  c.stopped = true;
  const timedOut = Symbol('timeout');
  let exit = await Promise.race([c.exited, sleep(graceMs, timedOut)]);
  if (exit === timedOut) {
    c.child.kill('SIGKILL');
    exit = await c.exited;
  }
  const usage = existsSync(c.usageFile) ? JSON.parse(readFileSync(c.usageFile, 'utf8')) : null;
  return { exit, usage };
}

const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

/** One HTTP request to the server; resolves with status, body (as text) and the time to the end of the answer in ms. */
function call(base, { method = 'GET', path, token, client, headers = {}, body }) {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const req = httpRequest(new URL(path, base), { method, agent, headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': client, ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolvePromise({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (typeof body === 'function') body(req);
    else req.end(body);
  });
}

/** Uploads one file as multipart/form-data (streamed from disk); returns the job id. */
async function upload(base, file, token, client) {
  const boundary = `----iaptbench${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/zip\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const length = head.length + statSync(file.path).size + tail.length;
  const res = await call(base, {
    method: 'POST',
    path: `/api/v1/submissions?provider=${file.provider}`,
    token,
    client,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(length) },
    body: (req) => {
      req.write(head);
      const stream = createReadStream(file.path);
      stream.on('error', (error) => req.destroy(error));
      stream.on('end', () => req.end(tail));
      stream.pipe(req, { end: false });
    },
  });
  if (res.status !== 202) throw new Error(`upload of ${file.path}: HTTP ${res.status}: ${res.body.slice(0, 500)}`);
  return { jobId: JSON.parse(res.body).job.id, ms: res.ms };
}

/** Runs `work` over `items` with at most `limit` at once. */
async function pool(items, limit, work) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i], i);
      }
    }),
  );
  return results;
}

/** An address of its own for client `i` (X-Forwarded-For): 10.x.y.z. */
const clientAddress = (kind, i) => `10.${kind}.${Math.floor(i / 250)}.${(i % 250) + 1}`;

/** Rows in the audit trail (every /api request is recorded in it, after its answer is sent). */
async function auditRows(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return Number((await client.query('SELECT count(*) AS n FROM audit_log')).rows[0].n);
  } finally {
    await client.end();
  }
}

/** The audit trail's rows once it has stopped growing (the audit of earlier requests written). */
async function auditSettled(databaseUrl) {
  let last = await auditRows(databaseUrl);
  for (;;) {
    await sleep(300);
    const now = await auditRows(databaseUrl);
    if (now === last) return now;
    last = now;
  }
}

/** Waits until the audit trail holds `expected` rows; the seconds it took (null: not within two minutes). */
async function auditCatchUp(databaseUrl, expected) {
  const started = performance.now();
  while (performance.now() - started < 120_000) {
    if ((await auditRows(databaseUrl)) >= expected) return (performance.now() - started) / 1000;
    await sleep(50);
  }
  return null;
}

/** Each catalog step of a request, timed alone (median of `n`), from this process against the service's database. */
async function breakdown(dataDir, databaseUrl, token, provider, n = 20) {
  const { Catalog } = await import('../dist/store/catalog.js');
  const { principalOfToken, appendAudit } = await import('../dist/store/access.js');
  const times = async (work) => {
    const ms = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await work(i);
      ms.push(performance.now() - t);
    }
    return median(ms);
  };
  const open = (readOnly) => Catalog.open(dataDir, { waitMs: 30_000, readOnly, databaseUrl });
  const result = {
    openCloseWritableMs: await times(async () => (await open(false)).close()),
    openCloseReadOnlyMs: await times(async () => (await open(true)).close()),
  };
  const catalog = await open(false);
  try {
    result.principalOfTokenMs = await times(() => principalOfToken(catalog, token));
    result.allSubmissionsMs = await times(() => catalog.submissions());
    result.providerSubmissionsMs = await times(() => catalog.submissions({ provider }));
    result.appendAuditMs = await times((i) => appendAudit(catalog, { requestId: `bench-${i}-${Date.now()}`, actor: 'bench', role: 'admin', org: null, action: 'GET', object: '/bench', outcome: '200' }));
  } finally {
    await catalog.close();
  }
  result.submissionsInCatalog = (await (async () => {
    const c = await open(true);
    try {
      return (await c.submissions()).length;
    } finally {
      await c.close();
    }
  })());
  // What one request does in service mode (src/server/app.ts, authenticate.ts, authorise.ts, routes/submissions.ts),
  // on the catalog `iapt serve` keeps open: the token check, the work, and the audit of the request. The list reads
  // the provider's submissions; the report reads its submission's provider and folder once (then kept: they never
  // change) and answers from the report kept in memory after its first read (src/server/immutableFiles.ts). Opening a
  // catalog (schema and recovery) is what jobs and embedded mode pay per piece of work.
  result.listRequestEstimateMs = round(result.principalOfTokenMs + result.providerSubmissionsMs + result.appendAuditMs);
  result.reportRequestEstimateMs = round(result.principalOfTokenMs + result.appendAuditMs);
  result.note = `medians of ${n} sequential calls from the benchmark process, service idle; the estimates add up the steps of one request`;
  return result;
}

export async function main([synthArg, periodArg]) {
  if (!synthArg) throw new Error('usage: node bench/rusage.js OUT.json bench/service-month.js SYNTH [PERIOD]');
  const synth = resolve(synthArg);
  const reference = join(synth, 'reference');
  const manifest = JSON.parse(readFileSync(join(synth, 'manifest.json'), 'utf8'));
  const period = periodArg ?? manifest.files.map((f) => f.period).sort().pop();
  const files = manifest.files
    .filter((f) => f.period === period && f.fileType === 'primary')
    .map((f) => ({ path: join(synth, f.path), name: f.path.split('/').pop(), provider: f.provider, rows: Object.values(f.rows).reduce((a, b) => a + b, 0) }));
  if (files.length === 0) throw new Error(`${synth}: no Primary file of ${period} in manifest.json`);
  const providers = [...new Set(files.map((f) => f.provider))].sort();
  const workerCount = whole('BENCH_SERVICE_WORKERS', 2);
  const uploadLimit = whole('BENCH_SERVICE_UPLOADS', 16);
  const clients = whole('BENCH_SERVICE_CLIENTS', 50);
  const requests = whole('BENCH_SERVICE_REQUESTS', 20);
  const timeoutSeconds = whole('BENCH_SERVICE_TIMEOUT', 4 * 3600);

  const tmp = mkdtempSync(join(tmpdir(), 'iapt-service-bench-'));
  const data = join(tmp, 'data');
  /** @type {ReturnType<typeof startChild>[]} */
  const children = [];
  let postgres;
  let failed = true;
  const interrupted = (signal) => {
    // Ctrl-C or a kill of the benchmark: take the children and the cluster down with it (the cluster's exit handler).
    console.error(`service-month: ${signal}: stopping the service processes and the cluster`);
    for (const c of children) c.child.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    // 1. The database.
    let t = performance.now();
    postgres = await startPostgres({ existingUrlVariable: 'BENCH_DATABASE_URL', durable: true, settings: { max_connections: 400 } });
    const databaseUrl = await freshDatabase(postgres.url, 'iapt_bench_service');
    const clusterSeconds = (performance.now() - t) / 1000;

    // 2. The data directory, its catalog, a user per provider, a Primary window open today.
    const { Catalog } = await import('../dist/store/catalog.js');
    const { addUser } = await import('../dist/store/access.js');
    const catalog = await Catalog.open(data, { databaseUrl, create: true });
    const tokens = {};
    try {
      for (const p of providers) tokens[p] = (await addUser(catalog, { name: `upload client ${p}`, role: 'provider', org: p })).token;
    } finally {
      await catalog.close();
    }
    const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    writeFileSync(join(data, 'calendar.json'), JSON.stringify({ windows: { [period]: { primary: [day(-1), day(1)], refresh: ['2099-01-01', '2099-01-02'] } } }));

    // 3. The service: the API and its workers.
    // One after another: pg-boss processes starting at once on a new database can deadlock making its schema.
    const serve = startChild('serve', tmp, ['serve', '--database-url', databaseUrl, '--data', data, '--reference', reference, '--port', '0', '--host', '127.0.0.1', '--trust-proxy'], /iapt serve: (http:\/\/\S+) /);
    children.push(serve);
    const [, base] = await serve.ready;
    const workers = [];
    for (let i = 0; i < workerCount; i++) {
      const w = startChild(`worker-${i + 1}`, tmp, ['worker', '--database-url', databaseUrl, '--data', data, '--reference', reference], /iapt worker: working jobs/);
      children.push(w);
      workers.push(w);
      await w.ready;
    }
    console.error(`service-month: ${files.length} files of ${period} (${providers.length} providers) to ${base}, ${workerCount} workers`);

    // 4. Upload everything, then wait for every job.
    t = performance.now();
    const uploaded = await pool(files, uploadLimit, (f) => upload(base, f, tokens[f.provider], clientAddress(1, providers.indexOf(f.provider))));
    const uploadSeconds = (performance.now() - t) / 1000;
    console.error(`service-month: ${files.length} uploads accepted in ${uploadSeconds.toFixed(1)} s`);
    const jobs = uploaded.map((u, i) => ({ id: u.jobId, file: files[i], done: null }));
    const giveUp = t + timeoutSeconds * 1000;
    for (;;) {
      const pending = jobs.filter((j) => !j.done);
      if (pending.length === 0) break;
      if (performance.now() > giveUp) throw new Error(`${pending.length} jobs still unfinished after ${timeoutSeconds} s`);
      // In upload order; the queue is worked roughly in that order, so a round stops at the second job still queued.
      let queued = 0;
      for (const j of pending) {
        const res = await call(base, { path: `/api/v1/jobs/${j.id}`, token: tokens[j.file.provider], client: clientAddress(1, providers.indexOf(j.file.provider)) });
        if (res.status !== 200) throw new Error(`GET /api/v1/jobs/${j.id}: HTTP ${res.status}: ${res.body.slice(0, 300)}`);
        const job = JSON.parse(res.body);
        if (job.status === 'failed') throw new Error(`the job of ${j.file.path} failed: ${job.error}`);
        if (job.status === 'succeeded') {
          if (job.result?.status !== 'stored') throw new Error(`the job of ${j.file.path} did not store it: ${JSON.stringify(job.result)}`);
          j.done = { submissionId: job.result.submissionId, startedAt: job.startedAt, finishedAt: job.finishedAt, seenAt: performance.now() };
        } else if (job.status === 'queued' && ++queued >= 2) break;
      }
      await sleep(500);
    }
    const processingSeconds = (Math.max(...jobs.map((j) => j.done.seenAt)) - t) / 1000;
    const jobSeconds = jobs.map((j) => (Date.parse(j.done.finishedAt) - Date.parse(j.done.startedAt)) / 1000);
    const storedSpan = (Math.max(...jobs.map((j) => Date.parse(j.done.finishedAt))) - Math.min(...jobs.map((j) => Date.parse(j.done.startedAt)))) / 1000;
    console.error(`service-month: every file stored ${processingSeconds.toFixed(1)} s after the first upload began`);

    // 5. Latency: one client alone, then `clients` at once; list, then report.
    const submissionOf = Object.fromEntries(jobs.map((j) => [j.file.provider, j.done.submissionId]));
    const endpoints = {
      list: (p) => `/api/v1/submissions?provider=${p}`,
      report: (p) => `/api/v1/submissions/${submissionOf[p]}/report?format=json`,
    };
    const latency = { clients, requestsPerClient: requests, unloaded: {} };
    for (const [name, path] of Object.entries(endpoints)) {
      // Warm up, and the unloaded figure: one client, one request after another.
      const alone = [];
      for (let i = 0; i < requests + 2; i++) {
        const p = providers[i % providers.length];
        const res = await call(base, { path: path(p), token: tokens[p], client: clientAddress(2, 0) });
        if (res.status !== 200) throw new Error(`GET ${path(p)}: HTTP ${res.status}: ${res.body.slice(0, 300)}`);
        if (i >= 2) alone.push(res.ms);
      }
      latency.unloaded[name] = summary(alone);
    }
    for (const [name, path] of Object.entries(endpoints)) {
      const ms = [];
      const statuses = {};
      const audited = await auditSettled(databaseUrl);
      const cpuBefore = cpuSecondsOf(serve.pid);
      const started = performance.now();
      await Promise.all(
        Array.from({ length: clients }, async (_, c) => {
          const p = providers[c % providers.length];
          for (let i = 0; i < requests; i++) {
            const res = await call(base, { path: path(p), token: tokens[p], client: clientAddress(3, c) });
            statuses[res.status] = (statuses[res.status] ?? 0) + 1;
            ms.push(res.ms);
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const cpuAfter = cpuSecondsOf(serve.pid);
      latency[name] = {
        ...summary(ms),
        statuses,
        seconds: round(seconds, 2),
        requestsPerSecond: round(ms.length / seconds),
        serveCpuSeconds: cpuBefore === null || cpuAfter === null ? null : round(cpuAfter - cpuBefore, 2),
      };
      // The audit of each request is appended after its answer, one at a time: under load it falls behind. The next
      // phase starts once it has caught up.
      const auditLagSeconds = await auditCatchUp(databaseUrl, audited + ms.length);
      latency[name].auditLagSeconds = round(auditLagSeconds, 2);
      latency[name].auditedPerSecond = auditLagSeconds === null ? null : round(ms.length / (seconds + auditLagSeconds));
      console.error(`service-month: ${name}: ${clients} clients × ${requests}: p50 ${latency[name].p50} ms, p95 ${latency[name].p95} ms, max ${latency[name].max} ms`);
    }

    // 6. Where a request's time goes.
    const breakdownResult = await breakdown(data, databaseUrl, tokens[providers[0]], providers[0]);

    // 7. Stop the service (its log is complete then) and read each process's usage.
    const stoppedServe = await stopChild(serve);
    const stoppedWorkers = await Promise.all(workers.map((w) => stopChild(w)));
    for (const [c, s] of [[serve, stoppedServe], ...workers.map((w, i) => [w, stoppedWorkers[i]])]) {
      if (!s.usage) throw new Error(`${c.name} wrote no resource usage (exit ${s.exit.signal ?? s.exit.code}); last lines of its log:\n${tailOf(c.logFile)}`);
    }
    const auditFailures = readFileSync(serve.logFile, 'utf8').split('\n').filter((l) => l.includes('the audit trail could not record a request')).length;
    const processView = (c, s) => ({
      pid: c.pid,
      wallSeconds: round(s.exit.wallSeconds, 1),
      peakRssMiB: round(s.usage.maxRssBytes / MiB),
      cpuSeconds: round((s.usage.userCpuMicros + s.usage.systemCpuMicros) / 1e6),
    });
    const result = {
      rows: files.reduce((n, f) => n + f.rows, 0),
      period,
      providers: providers.length,
      database: process.env.BENCH_DATABASE_URL ? 'BENCH_DATABASE_URL' : 'throwaway cluster, durability on',
      clusterSeconds: round(clusterSeconds),
      upload: { seconds: round(uploadSeconds), files: files.length, inFlight: uploadLimit, bytes: files.reduce((n, f) => n + statSync(f.path).size, 0), ...summary(uploaded.map((u) => u.ms)) },
      processing: { seconds: round(processingSeconds), storedSpanSeconds: round(storedSpan), job: summary(jobSeconds.map((s) => s * 1000)) },
      workers: workers.map((w, i) => processView(w, stoppedWorkers[i])),
      serve: processView(serve, stoppedServe),
      latency,
      breakdown: breakdownResult,
      auditFailures,
      peakRssBytes: Math.max(stoppedServe.usage.maxRssBytes, ...stoppedWorkers.map((s) => s.usage.maxRssBytes)),
    };
    console.log(JSON.stringify(result));
    failed = false;
    return 0;
  } finally {
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
    for (const c of children) {
      if (failed) console.error(`service-month: last lines of ${c.name}'s log:\n${tailOf(c.logFile, 10)}`);
      await stopChild(c, 10_000).catch(() => undefined);
    }
    agent.destroy();
    await postgres?.stop();
    if (process.env.BENCH_SERVICE_KEEP === '1') console.error(`service-month: logs and data kept in ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}
