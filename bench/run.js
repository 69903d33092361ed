// Whole-process benchmark of the CLI (`npm run bench`): wall time and peak RSS of each
// case as run from the shell, reported as ratios against a baseline (`spec --json`:
// start-up plus trivial work) measured first in the same run, so figures from different
// machines can be compared. Not a timed unit test.
//
// Environment:
//   BENCH_NATIONAL_MONTHS  months for the national case (default 2024-04..2024-04, one month)
//   BENCH_NATIONAL_REFRESH=1  generate and submit each month's Refresh file too (published statistics use the
//                          Refresh: contacts and discharges recorded late are only in it; without it a year's
//                          recovery comes out about half a point low). Doubles generation and submission.
//   BENCH_SKIP_NATIONAL=1  skip the national case
//   BENCH_NATIONAL_PROVIDERS=n  providers at national scale (default the generator's 150; fewer for a quicker
//                          calibration run: rates are averages over the generated population, so they hold)
//   BENCH_NATIONAL_DATA=DIR  reuse national data kept from an earlier run instead of generating and submitting it:
//                          DIR/synth (the `iapt synth` output of BENCH_NATIONAL_MONTHS) and DIR/data (a data
//                          directory with all of it submitted, e.g. by bench/submit-month.js); only processing
//                          and publishing are measured, and DIR is left in place
//   BENCH_SUBMIT_WORKERS=n, BENCH_SUBMIT_ONLY_COUNTING=1  submit with n processes sharing the data directory, and/or
//                          only the file that counts for each period (see bench/submit-month.js)
//   BENCH_SKIP_SERVICE=1   skip the service case (bench/service-month.js): the last national month's files uploaded
//                          concurrently to `iapt serve --database-url` and stored by two `iapt worker` processes,
//                          then the p50/p95 latency of the submission list and report endpoints at 50 concurrent
//                          clients (target p95 ≤ 100 ms). It starts a throwaway PostgreSQL cluster itself
//                          (scripts/postgres-cluster.mjs: Debian's postgresql package) unless BENCH_DATABASE_URL names
//                          a server (a superuser's URL; database iapt_bench_service is dropped and made on it).
//                          BENCH_SERVICE_WORKERS (2), BENCH_SERVICE_UPLOADS (16 in flight), BENCH_SERVICE_CLIENTS (50),
//                          BENCH_SERVICE_REQUESTS (20 per client and endpoint) change its shape. Its peak RSS in the
//                          table is the largest of the serve and worker processes (each is in results.json)
//   BENCH_SKIP_HUB=1       skip the hub case (hub-national): `iapt hub build` of the public data hub over NHS England's
//                          whole annual history (reference/nhs/measures_annual.parquet: every organisation, 2017-18
//                          to 2024-25) plus the national case's publication when that ran; reports the pages and the
//                          largest page (target: the build under a minute on 2 cores, every page under 300 KB)
//   BENCH_REPEAT=n         run the baseline and small cases n times and report medians (default 1)
//   BENCH_PROFILE=1        profile mode: every case's SQL statements with wall time and rows, and DuckDB's EXPLAIN ANALYZE
//                          of the slowest (src/core/profile.ts; IAPT_PROFILE_EXPLAIN=n of them, default 10), in
//                          bench-output/profile/<case>-<run>.json; results.json gets each case's SQL seconds and ten
//                          slowest statements beside its wall time and peak RSS. The plans run outside the timings,
//                          but profiling adds a little to every statement: compare timings of runs made the same way
//   BENCH_SKIP_VALIDATE=1  skip the scan and validate cases (for long runs, e.g. the calibration run: the
//                          financial year 2024-25 with six months of history before it, so that the year's
//                          finishers have their whole pathway in the data:
//                          BENCH_NATIONAL_MONTHS=2023-10..2025-03 BENCH_NATIONAL_REFRESH=1 BENCH_SKIP_VALIDATE=1
//                          BENCH_SUBMIT_WORKERS=2 BENCH_SUBMIT_ONLY_COUNTING=1 npm run bench)
//
// Results: a table on stdout and bench-output/results.json. Child output goes to log
// files in a temporary folder, which is deleted at the end (national output is ~1 GB). A case that fails keeps its
// log in bench-output/logs/, is listed under `failed` in results.json, and the other cases still run (exit 1).
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, freemem, tmpdir, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatCalibration } from './calibrate.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const wrapper = 'bench/rusage.js';
const launcher = 'bin/iapt.js';
const MiB = 1024 * 1024;

if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  console.error('bench: dist/ is missing; run `npm run build` (or use `npm run bench`, which builds first).');
  process.exit(70);
}

const nationalMonths = process.env.BENCH_NATIONAL_MONTHS || '2024-04..2024-04';
const skipNational = process.env.BENCH_SKIP_NATIONAL === '1';
const nationalRefresh = process.env.BENCH_NATIONAL_REFRESH === '1';
const nationalProviders = process.env.BENCH_NATIONAL_PROVIDERS;
const repeat = Number(process.env.BENCH_REPEAT || '1');
if (!Number.isInteger(repeat) || repeat < 1) {
  console.error(`bench: BENCH_REPEAT must be a whole number of at least 1, not "${process.env.BENCH_REPEAT}"`);
  process.exit(64);
}

const submitWorkers = Number(process.env.BENCH_SUBMIT_WORKERS || '1');
if (!Number.isInteger(submitWorkers) || submitWorkers < 1) {
  console.error(`bench: BENCH_SUBMIT_WORKERS must be a whole number of at least 1, not "${process.env.BENCH_SUBMIT_WORKERS}"`);
  process.exit(64);
}

const tmp = mkdtempSync(join(tmpdir(), 'iapt-bench-'));
const profileDir = process.env.BENCH_PROFILE === '1' ? join(root, 'bench-output', 'profile') : undefined;
if (profileDir) {
  rmSync(profileDir, { recursive: true, force: true });
  mkdirSync(profileDir, { recursive: true });
}

/** @type {{ name: string, args: string[], out?: string, runs: number }[]} */
const cases = [
  { name: 'baseline', args: ['spec', '--json'], runs: repeat },
  {
    name: 'small',
    args: ['synth', '--providers', '3', '--months', '2024-04..2024-09', '--seed', '1', '--out', join(tmp, 'small')],
    out: join(tmp, 'small'),
    runs: repeat,
  },
];
const kept = process.env.BENCH_NATIONAL_DATA ? resolve(process.env.BENCH_NATIONAL_DATA) : undefined;
if (kept && !(existsSync(join(kept, 'synth', 'reference')) && existsSync(join(kept, 'data')))) {
  console.error(`bench: BENCH_NATIONAL_DATA=${kept} needs synth/ (with synth/reference) and data/ inside it`);
  process.exit(64);
}
const nationalSynth = kept ? join(kept, 'synth') : join(tmp, 'national');
const nationalData = kept ? join(kept, 'data') : join(tmp, 'data');
if (!skipNational && !kept) {
  cases.push({
    name: 'national',
    args: ['synth', '--scale', 'national', ...(nationalProviders ? ['--providers', nationalProviders] : []), '--months', nationalMonths, '--seed', '1', ...(nationalRefresh ? ['--refresh'] : []), '--out', join(tmp, 'national')],
    out: join(tmp, 'national'),
    runs: 1,
  });
  // Validation of that month: every provider's file, against a plain read_csv scan of the same files.
  if (process.env.BENCH_SKIP_VALIDATE !== '1') cases.push({ name: 'scan-national', script: 'bench/scan-month.js', args: [nationalSynth], rowsFromStdout: true, runs: 1 });
  if (process.env.BENCH_SKIP_VALIDATE !== '1') cases.push({ name: 'validate-national', script: 'bench/validate-month.js', args: [nationalSynth, join(nationalSynth, 'reference')], rowsFromStdout: true, runs: 1 });
  // Store and link that month: submit every file into a fresh data directory, then process the period.
  cases.push({ name: `submit-national${submitWorkers > 1 ? ` (${submitWorkers} workers)` : ''}${process.env.BENCH_SUBMIT_ONLY_COUNTING === '1' ? ' (counting files)' : ''}`, script: 'bench/submit-month.js', args: [nationalSynth, nationalData], rowsFromStdout: true, runs: 1, fresh: nationalData });
}
if (!skipNational) {
  const lastMonth = nationalMonths.split('..').pop();
  cases.push({ name: 'process-national', script: 'bench/process-month.js', args: [nationalData, lastMonth, join(nationalSynth, 'reference'), nationalMonths.split('..')[0]], rowsFromStdout: true, runs: 1 });
  // Publish it: every measure for every group type, the quarter and the financial year to date (rows = cells written).
  cases.push({ name: 'publish-national', script: 'bench/publish-month.js', args: [nationalData, lastMonth, join(nationalSynth, 'reference'), join(tmp, 'publication')], rowsFromStdout: true, runs: 1, fresh: join(tmp, 'publication') });
  // The release routes (docs/extracts.md): the opt-out register, the busiest commissioner's extract, and a research
  // extract of every month generated under the example agreement (rows = rows written, register: people).
  const extracts = join(tmp, 'extracts');
  mkdirSync(extracts, { recursive: true });
  const firstMonth = nationalMonths.split('..')[0];
  cases.push({ name: 'optout-import-national', script: 'bench/extract-month.js', args: ['optout', nationalData, lastMonth, nationalSynth, extracts], rowsFromStdout: true, runs: 1 });
  cases.push({ name: 'commissioner-extract-national', script: 'bench/extract-month.js', args: ['commissioner', nationalData, lastMonth, nationalSynth, extracts], rowsFromStdout: true, runs: 1 });
  cases.push({ name: 'research-extract-national', script: 'bench/extract-month.js', args: ['research', nationalData, lastMonth, nationalSynth, extracts, firstMonth], rowsFromStdout: true, runs: 1 });
  // The service deployment: the last month's files uploaded to iapt serve and stored by two iapt workers, then the
  // latency of the submission list and report at 50 concurrent clients (rows = rows uploaded; rows/s over the time
  // from the first upload until every file was stored).
  if (process.env.BENCH_SKIP_SERVICE !== '1') cases.push({ name: 'service-national', script: 'bench/service-month.js', args: [nationalSynth, lastMonth], rowsFromStdout: true, runs: 1 });
}

// The public data hub over the whole national history (and the national publication, published above, when it ran).
const hubSite = join(tmp, 'hub');
if (process.env.BENCH_SKIP_HUB !== '1') {
  cases.push({ name: 'hub-national', args: ['hub', 'build', ...(skipNational ? [] : ['--publication', join(tmp, 'publication')]), '--out', hubSite], runs: 1, fresh: hubSite, site: hubSite });
}

/** The pages of a built hub: how many, and the largest (each must stay under 300 KB). */
function hubPages(site) {
  const pages = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.html')) pages.push({ path: relative(site, path), bytes: statSync(path).size });
    }
  };
  walk(site);
  const largest = pages.reduce((a, b) => (b.bytes > a.bytes ? b : a), { path: '', bytes: 0 });
  return { pages: pages.length, largestPage: largest.path, largestPageBytes: largest.bytes };
}

function lastMonthOf(months) {
  return months.split('..').pop();
}

function shellQuote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

function commandLine(args, script = launcher) {
  return ['node', script, ...args].map(shellQuote).join(' ');
}

function tail(file, lines = 30) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Sums the rows of every table in every file of the manifest that `synth` writes to its --out folder. */
function manifestRows(out) {
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  let rows = 0;
  for (const file of manifest.files) for (const n of Object.values(file.rows)) rows += n;
  return rows;
}

/** What a bench module reports: the last JSON line of its output, e.g. `{ rows }`. */
function stdoutJson(logFile) {
  const line = readFileSync(logFile, 'utf8').trim().split('\n').filter((l) => l.startsWith('{')).pop();
  return line ? JSON.parse(line) : {};
}

function stdoutRows(logFile) {
  return stdoutJson(logFile).rows;
}

class BenchFailure extends Error {}

/** One run of the CLI in its own process, via the rusage wrapper. */
function runOnce(benchCase, index) {
  const label = `${benchCase.name}-${index + 1}`;
  const usageFile = join(tmp, `${label}.rusage.json`);
  const logFile = join(tmp, `${label}.log`);
  if (benchCase.out) rmSync(benchCase.out, { recursive: true, force: true });
  if (benchCase.fresh) rmSync(benchCase.fresh, { recursive: true, force: true });
  const log = openSync(logFile, 'w');
  let child;
  const started = process.hrtime.bigint();
  try {
    const env = profileDir ? { ...process.env, IAPT_PROFILE: join(profileDir, `${label}.json`) } : process.env;
    child = spawnSync(process.execPath, [wrapper, usageFile, benchCase.script ?? launcher, ...benchCase.args], { cwd: root, stdio: ['ignore', log, log], env });
  } finally {
    closeSync(log);
  }
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.error || child.status !== 0) {
    const how = child.error ? `could not run: ${child.error.message}` : child.signal ? `was killed by ${child.signal}` : `exited with code ${child.status}`;
    throw new BenchFailure(`bench: case "${benchCase.name}" (${commandLine(benchCase.args, benchCase.script)}) ${how}. Last lines of its output:\n${tail(logFile)}`);
  }
  const usage = JSON.parse(readFileSync(usageFile, 'utf8'));
  const rows = benchCase.out ? manifestRows(benchCase.out) : benchCase.rowsFromStdout ? stdoutRows(logFile) : undefined;
  const reported = benchCase.rowsFromStdout ? stdoutJson(logFile) : {};
  // A case that runs worker processes (submit with BENCH_SUBMIT_WORKERS) reports the largest worker's peak; the
  // service case, which only orchestrates, reports the largest of its serve and worker processes instead of its own.
  const workerPeak = reported.workerPeakRssBytes;
  return {
    wallSeconds,
    maxRssBytes: reported.peakRssBytes ?? Math.max(usage.maxRssBytes, workerPeak ?? 0),
    userCpuSeconds: usage.userCpuMicros / 1e6,
    systemCpuSeconds: usage.systemCpuMicros / 1e6,
    rows,
    // The service case's rows/s is over its processing time, not its whole run (cluster, latency phases).
    rateSeconds: reported.processing?.seconds,
    ...(benchCase.site ? { hub: hubPages(benchCase.site) } : {}),
    ...(profileDir ? { profile: profileSummary(join(profileDir, `${label}.json`)) } : {}),
  };
}

/**
 * A case's SQL profile (BENCH_PROFILE=1; src/core/profile.ts): the seconds in SQL statements, and the ten slowest
 * statements with their calls, seconds and rows. The whole profile, with EXPLAIN ANALYZE plans of the slowest, stays in
 * bench-output/profile/. A case that ran no SQL in its own process (synth, service) has none.
 */
function profileSummary(file) {
  if (!existsSync(file)) return undefined;
  const p = JSON.parse(readFileSync(file, 'utf8'));
  return {
    file: relative(root, file),
    sqlSeconds: Math.round(p.totalMs / 100) / 10,
    statements: p.statements.length,
    top: p.statements.slice(0, 10).map((x) => ({ seconds: Math.round(x.ms / 100) / 10, calls: x.calls, rows: x.rows, sql: x.sql.slice(0, 160) })),
  };
}

function fmt(value, digits) {
  return value === undefined ? '' : value.toFixed(digits);
}

function formatTable(results) {
  const header = ['case', 'wall s', 'peak RSS MiB', 'wall ×', 'RSS ×', 'rows', 'rows/s'];
  const body = results.map((r) => [
    r.name + (r.runs.length > 1 ? ` (median of ${r.runs.length})` : ''),
    fmt(r.wallSeconds, 3),
    fmt(r.maxRssBytes / MiB, 1),
    fmt(r.wallRatio, 2),
    fmt(r.rssRatio, 2),
    r.rows === undefined ? '' : r.rows.toLocaleString('en-GB'),
    r.rowsPerSecond === undefined ? '' : Math.round(r.rowsPerSecond).toLocaleString('en-GB'),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** The service case's summary: uploads and storing, each process's wall time and peak RSS, latency against the target. */
function formatService(s) {
  const l = s.latency;
  const line = (name) => `${name} p50 ${l[name].p50} ms, p95 ${l[name].p95} ms, max ${l[name].max} ms (alone: p50 ${l.unloaded[name].p50} ms)`;
  const workers = s.workers.map((w, i) => `worker ${i + 1} ${w.wallSeconds} s, ${w.peakRssMiB} MiB`).join('; ');
  const errors = ['list', 'report'].flatMap((name) => Object.entries(l[name].statuses).filter(([status]) => status !== '200').map(([status, n]) => `${n} × ${status} from ${name}`));
  return (
    `Service (${s.upload.files} files of ${s.period}, ${s.rows.toLocaleString('en-GB')} rows, ${s.upload.inFlight} uploads in flight, ${s.workers.length} workers): ` +
    `uploads accepted in ${s.upload.seconds} s, every file stored ${s.processing.seconds} s after the first upload began; ` +
    `serve ${s.serve.wallSeconds} s, ${s.serve.peakRssMiB} MiB; ${workers}.\n` +
    `Latency at ${l.clients} concurrent clients (target p95 ≤ 100 ms): ${line('list')}; ${line('report')}${errors.length ? `; not 200: ${errors.join(', ')}` : ''}.`
  );
}

/**
 * The rows of issue 19's table, from this run's cases: each step's wall time and peak RSS, and the two ratios measured
 * in this run (submit against validation alone; validation against a plain read_csv scan of the same files). A step
 * this run did not measure is listed with null figures, saying why.
 */
function targetRows(results) {
  const find = (prefix) => results.find((r) => r.name.startsWith(prefix));
  const figures = (r) => (r ? { wallSeconds: round(r.wallSeconds), peakRssMiB: Math.round(r.maxRssBytes / MiB) } : { wallSeconds: null, peakRssMiB: null });
  const [processed, published, submitted, validated, scanned] = ['process-national', 'publish-national', 'submit-national', 'validate-national', 'scan-national'].map(find);
  const ratio = (a, b) => (a && b ? round(a.wallSeconds / b.wallSeconds, 2) : null);
  return [
    { step: `Process + derive ${lastMonthOf(nationalMonths)} with the run's history (${nationalMonths})`, ...figures(processed), target: '≤ 180 s, ≤ 3 GiB (150 providers, 18 months)' },
    { step: `Publish ${lastMonthOf(nationalMonths)}: month, its quarter when it ends one, the year to date`, ...figures(published), target: '≤ 120 s, ≤ 2 GiB' },
    { step: 'Submit (validate + store) the last month', ...figures(submitted), ratio: ratio(submitted, validated), ratioOf: 'validation alone', target: '≤ 1.3 × validation alone', ...(submitted && (submitWorkers > 1 || nationalMonths.split('..')[0] !== lastMonthOf(nationalMonths)) ? { note: 'submit covers every month of the run (and BENCH_SUBMIT_WORKERS processes), validation the last month: the ratio compares different work' } : {}) },
    { step: 'Validate the last month', ...figures(validated), ratio: ratio(validated, scanned), ratioOf: 'a plain DuckDB read_csv scan', target: '≤ 1.5 × the scan' },
    { step: 'Re-process a period after one provider resubmits', wallSeconds: null, peakRssMiB: null, target: '≤ 15 s, same bytes as a full run', note: 'not measured: processing is not yet incremental (docs/performance.md)' },
  ];
}

const round = (x, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

function formatTargets(rows) {
  const lines = ['Issue 19 targets (this run):'];
  for (const r of rows) {
    const measured = r.wallSeconds === null ? 'not measured' : `${r.wallSeconds} s, ${r.peakRssMiB} MiB${r.ratio != null ? `, ${r.ratio} × ${r.ratioOf}` : ''}`;
    lines.push(`  ${r.step}: ${measured} (target ${r.target})${r.note ? ` — ${r.note}` : ''}`);
  }
  return lines.join('\n');
}

let exitCode = 0;
/** Cases that failed: each keeps its log in bench-output/logs/ (the temporary folder goes), and the others still run. */
const failed = [];
try {
  const results = [];
  for (const benchCase of cases) {
    const runs = [];
    try {
      for (let i = 0; i < benchCase.runs; i++) {
        console.error(`bench: ${benchCase.name}${benchCase.runs > 1 ? ` run ${i + 1}/${benchCase.runs}` : ''}: ${commandLine(benchCase.args, benchCase.script)}`);
        runs.push(runOnce(benchCase, i));
      }
    } catch (error) {
      if (!(error instanceof BenchFailure) || results.length === 0) throw error; // no baseline: nothing to compare with
      const logs = join(root, 'bench-output', 'logs');
      mkdirSync(logs, { recursive: true });
      const kept = join(logs, `${benchCase.name}-${runs.length + 1}.log`);
      copyFileSync(join(tmp, `${benchCase.name}-${runs.length + 1}.log`), kept);
      console.error(`${error.message}\nbench: its whole log is kept in ${kept}; the other cases run on.`);
      failed.push({ name: benchCase.name, command: commandLine(benchCase.args, benchCase.script), error: error.message.split('\n')[0], log: kept });
      exitCode = 1;
      continue;
    }
    const wallSeconds = median(runs.map((r) => r.wallSeconds));
    const rows = runs[0].rows;
    results.push({
      name: benchCase.name,
      command: commandLine(benchCase.args, benchCase.script),
      spawned: [process.execPath, wrapper, '<rusage.json>', benchCase.script ?? launcher, ...benchCase.args],
      wallSeconds,
      maxRssBytes: median(runs.map((r) => r.maxRssBytes)),
      userCpuSeconds: median(runs.map((r) => r.userCpuSeconds)),
      systemCpuSeconds: median(runs.map((r) => r.systemCpuSeconds)),
      rows,
      rowsPerSecond: rows === undefined ? undefined : rows / (runs[0].rateSeconds ?? wallSeconds),
      runs,
    });
  }
  const [baseline] = results;
  for (const r of results) {
    r.wallRatio = r.wallSeconds / baseline.wallSeconds;
    r.rssRatio = r.maxRssBytes / baseline.maxRssBytes;
  }

  const cpuList = cpus();
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpuCount: cpuList.length,
    cpuModel: cpuList[0]?.model,
    totalMemoryBytes: totalmem(),
    freeMemoryBytesAtStart: freemem(),
    cwd: root,
    tempDir: tmp,
    settings: { nationalMonths, nationalProviders: nationalProviders ?? null, nationalRefresh, submitWorkers, submitOnlyCounting: process.env.BENCH_SUBMIT_ONLY_COUNTING === '1', skipNational, repeat, nationalData: kept ?? null, profile: Boolean(profileDir) },
    note: 'wallSeconds is measured by the parent around the whole child process; maxRssBytes is process.resourceUsage().maxRSS of the child (bench/rusage.js). Ratios are against the baseline case of this run. With repeats, figures are medians; every run is under runs.',
    cases: results,
    failed,
  };
  mkdirSync(join(root, 'bench-output'), { recursive: true });
  writeFileSync(join(root, 'bench-output', 'results.json'), JSON.stringify(report, null, 2) + '\n');

  console.log(`Node ${process.version}, ${cpuList.length} CPUs, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${report.date}`);
  console.log(formatTable(results));
  const hub = results.find((r) => r.name === 'hub-national');
  if (hub) {
    const h = hub.runs[0].hub;
    console.log(`Hub: ${h.pages} pages, the largest ${(h.largestPageBytes / 1024).toFixed(0)} KiB (${h.largestPage}); built in ${hub.wallSeconds.toFixed(1)} s, peak RSS ${(hub.maxRssBytes / MiB).toFixed(0)} MiB.`);
  }
  const scan = results.find((r) => r.name === 'scan-national');
  const validate = results.find((r) => r.name === 'validate-national');
  if (scan && validate) {
    report.validateToScanWallRatio = validate.wallSeconds / scan.wallSeconds;
    writeFileSync(join(root, 'bench-output', 'results.json'), JSON.stringify(report, null, 2) + '\n');
    console.log(`Validation of the national month: ${validate.wallSeconds.toFixed(1)} s, ${Math.round(validate.rowsPerSecond).toLocaleString('en-GB')} rows/s, peak RSS ${(validate.maxRssBytes / MiB).toFixed(0)} MiB; ${report.validateToScanWallRatio.toFixed(2)} × the plain read_csv scan of the same files.`);
  }
  const processed = results.find((r) => r.name === 'process-national');
  if (processed) {
    const line = readFileSync(join(tmp, 'process-national-1.log'), 'utf8').trim().split('\n').filter((l) => l.startsWith('{')).pop();
    const parsed = line ? JSON.parse(line) : {};
    const deriveSeconds = parsed.deriveSeconds;
    if (deriveSeconds !== undefined) {
      report.deriveSeconds = deriveSeconds;
      report.derivedRates = parsed.rates;
      if (parsed.rates) {
        const r = parsed.rates;
        console.log(`Derived outcomes of ${r.finishers.toLocaleString('en-GB')} finishers received in the run: recovery ${r.recoveryPercent.toFixed(1)} %, reliable improvement ${r.reliableImprovementPercent.toFixed(1)} %, deterioration ${r.reliableDeteriorationPercent.toFixed(1)} %, no change ${r.noChangePercent.toFixed(1)} % (generator targets 50.1 / 66.8 / 5.9 / 26.0).`);
      }
      writeFileSync(join(root, 'bench-output', 'results.json'), JSON.stringify(report, null, 2) + '\n');
      console.log(`Processing ${nationalMonths}: ${processed.wallSeconds.toFixed(1)} s, of which derivation ${deriveSeconds.toFixed(1)} s; peak RSS ${(processed.maxRssBytes / MiB).toFixed(0)} MiB.`);
    }
  }
  const published = results.find((r) => r.name === 'publish-national');
  if (published) {
    const line = readFileSync(join(tmp, 'publish-national-1.log'), 'utf8').trim().split('\n').filter((l) => l.startsWith('{')).pop();
    const { calibration } = line ? JSON.parse(line) : {};
    if (calibration) {
      report.calibration = calibration;
      writeFileSync(join(root, 'bench-output', 'results.json'), JSON.stringify(report, null, 2) + '\n');
      console.log(`Publication of ${lastMonthOf(nationalMonths)} (month${Number(lastMonthOf(nationalMonths).slice(5)) % 3 === 0 ? ', quarter' : ''}, year to date): ${published.wallSeconds.toFixed(1)} s, peak RSS ${(published.maxRssBytes / MiB).toFixed(0)} MiB. England rates of its widest period against 2023-24:\n${formatCalibration(calibration)}`);
    }
  }
  const service = results.find((r) => r.name === 'service-national');
  if (service) {
    const parsed = stdoutJson(join(tmp, 'service-national-1.log'));
    if (parsed.latency) {
      report.service = parsed;
      writeFileSync(join(root, 'bench-output', 'results.json'), JSON.stringify(report, null, 2) + '\n');
      console.log(formatService(parsed));
    }
  }
  report.targets = targetRows(results);
  writeFileSync(join(root, 'bench-output', 'results.json'), JSON.stringify(report, null, 2) + '\n');
  console.log(formatTargets(report.targets));
  for (const f of failed) console.log(`FAILED: ${f.name}: ${f.error} (log: ${f.log})`);
  console.log('Ratios are against the baseline of this run. Results also in bench-output/results.json.');
} catch (error) {
  console.error(error instanceof BenchFailure ? error.message : error);
  exitCode = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exitCode = exitCode;
