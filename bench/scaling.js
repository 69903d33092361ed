// How processing and publication grow with history and with providers (docs/performance.md, "Scaling"): for each
// PROVIDERS×MONTHS given, generates a national-scale synthetic data set (or reuses one kept in DIR), submits it (two
// workers, the counting files), then processes and publishes its last month, each step in its own process through
// bench/rusage.js; prints one JSON line per step (wall seconds, peak RSS; rows: the national rows processed, the cells
// published) and writes them to DIR/scaling.json.
//
//   node bench/scaling.js DIR 30x2024-04..2024-06 30x2024-04..2025-03 10x2024-04..2025-03 …
//
// Each data set lives in DIR/<providers>x<months>/ and is kept (generation and submission are the slow part), so
// that a later run measures only what changed. Long: a national-scale year of 30 providers takes about ten minutes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const [dir, ...shapes] = process.argv.slice(2);
if (!dir || shapes.length === 0 || !shapes.every((s) => /^\d+x\d{4}-\d{2}\.\.\d{4}-\d{2}$/.test(s))) {
  console.error('usage: node bench/scaling.js DIR PROVIDERSxYYYY-MM..YYYY-MM …');
  process.exit(64);
}

function step(label, script, args, env = {}) {
  const usage = join(dir, `${label}.rusage.json`);
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['bench/rusage.js', usage, script, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0) throw new Error(`${label} failed (exit ${child.status}): ${child.stdout.toString().slice(-2000)}`);
  const { maxRssBytes } = JSON.parse(readFileSync(usage, 'utf8'));
  const reported = child.stdout.toString().trim().split('\n').filter((l) => l.startsWith('{')).pop();
  const { workerPeakRssBytes, rows } = reported ? JSON.parse(reported) : {};
  return { wallSeconds: Math.round(wallSeconds * 10) / 10, peakRssMiB: Math.round(Math.max(maxRssBytes, workerPeakRssBytes ?? 0) / 2 ** 20), ...(rows !== undefined ? { rows } : {}) };
}

mkdirSync(dir, { recursive: true });
const results = [];
for (const shape of shapes) {
  const [providers, months] = shape.split('x');
  const last = months.split('..')[1];
  const base = join(dir, shape);
  const synth = join(base, 'synth');
  const data = join(base, 'data');
  const row = { providers: Number(providers), months };
  mkdirSync(base, { recursive: true });
  if (!existsSync(join(synth, 'manifest.json'))) row.synth = step(`${shape}-synth`, 'bin/iapt.js', ['synth', '--scale', 'national', '--providers', providers, '--months', months, '--seed', '1', '--out', synth]);
  if (!existsSync(join(data, 'catalog.duckdb'))) {
    rmSync(data, { recursive: true, force: true });
    row.submit = step(`${shape}-submit`, 'bench/submit-month.js', [synth, data], { BENCH_SUBMIT_WORKERS: '2', BENCH_SUBMIT_ONLY_COUNTING: '1' });
  }
  row.process = step(`${shape}-process`, 'bench/process-month.js', [data, last, join(synth, 'reference'), months.split('..')[0]]);
  const out = join(base, 'publication');
  rmSync(out, { recursive: true, force: true });
  row.publish = step(`${shape}-publish`, 'bench/publish-month.js', [data, last, join(synth, 'reference'), out]);
  console.log(JSON.stringify(row));
  results.push(row);
  writeFileSync(join(dir, 'scaling.json'), `${JSON.stringify(results, null, 1)}\n`);
}
