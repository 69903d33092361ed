// Submits every provider file (Primary and, when generated, Refresh) of national synthetic months into a fresh data directory (validate,
// register, store Parquet), as the landing platform receives them. Run through bench/rusage.js.
//
// Environment:
//   BENCH_SUBMIT_WORKERS=n     n submit processes sharing the data directory, each taking every n-th provider (default 1:
//                              one after another in this process); reported peak RSS is the largest of one process
//   BENCH_SUBMIT_ONLY_COUNTING=1  skip a period's Primary when its Refresh is there: the Refresh supersedes it, so the
//                              processed data and statistics are the same from half the submissions
//   BENCH_SUBMIT_CONCURRENCY=n  submits running at once within a process (default 2, one DuckDB thread each, as
//                              bench/validate-month.js validates): each takes the next provider and submits its files
//                              in order; the stores (holding the catalog) take turns, validations overlap
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Upload time inside the file's window: a Primary arrives in the next month's window, a Refresh in the one after (docs/store.md). */
function receivedFor(file) {
  const period = file.split('/')[1];
  const later = file.endsWith('_refresh.zip') ? 2 : 1;
  const [y, m] = period.split('-').map(Number);
  const month = y * 12 + m - 1 + later;
  return `${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}-24T10:00:00`;
}

function filesOf(dir, worker, workers) {
  const providers = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'reference')
    .map((e) => e.name)
    .sort()
    .filter((_, i) => i % workers === worker);
  const onlyCounting = process.env.BENCH_SUBMIT_ONLY_COUNTING === '1';
  return providers.flatMap((p) =>
    readdirSync(join(dir, p), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.zip'))
      .sort()
      .filter((f, _, all) => !onlyCounting || !f.endsWith('_primary.zip') || !all.includes(f.replace('_primary.zip', '_refresh.zip')))
      .map((f) => `${p}/${f}`),
  );
}

async function submitAll(dir, dataDir, worker, workers) {
  const { submit } = await import('../dist/store/submit.js');
  const concurrency = Number(process.env.BENCH_SUBMIT_CONCURRENCY || '2');
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`BENCH_SUBMIT_CONCURRENCY must be a whole number of at least 1, not "${process.env.BENCH_SUBMIT_CONCURRENCY}"`);
  let rows = 0;
  const files = filesOf(dir, worker, workers);
  const byProvider = [];
  for (const file of files) {
    const last = byProvider[byProvider.length - 1];
    if (last && last[0].split('/')[0] === file.split('/')[0]) last.push(file);
    else byProvider.push([file]);
  }
  let next = 0;
  async function lane() {
    while (next < byProvider.length) {
      for (const file of byProvider[next++]) {
        const result = await submit(join(dir, file), { dataDir, received: receivedFor(file), referenceDir: join(dir, 'reference'), ...(concurrency > 1 ? { threads: 1 } : {}) });
        if (result.status !== 'stored') throw new Error(`${file}: ${result.status}`);
        rows += result.report.tables.reduce((n, t) => n + t.received, 0);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { files: files.length, rows, concurrency };
}

function runWorker(dir, dataDir, worker, workers, usageFile) {
  const script = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [join(script, '..', 'rusage.js'), usageFile, script, dir, dataDir, `--worker=${worker}/${workers}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`submit worker ${worker + 1}/${workers} exited with code ${code}`));
      resolve({ ...JSON.parse(out.trim().split('\n').pop()), ...JSON.parse(readFileSync(usageFile, 'utf8')) });
    }),
  );
}

export async function main([dir, dataDir, workerArg]) {
  if (workerArg) {
    const [worker, workers] = workerArg.replace('--worker=', '').split('/').map(Number);
    console.log(JSON.stringify(await submitAll(dir, dataDir, worker, workers)));
    return 0;
  }
  const workers = Number(process.env.BENCH_SUBMIT_WORKERS || '1');
  if (workers === 1) {
    console.log(JSON.stringify(await submitAll(dir, dataDir, 0, 1)));
    return 0;
  }
  const usage = mkdtempSync(join(tmpdir(), 'iapt-submit-workers-'));
  try {
    const results = await Promise.all(Array.from({ length: workers }, (_, w) => runWorker(dir, dataDir, w, workers, join(usage, `${w}.json`))));
    const sum = (k) => results.reduce((n, r) => n + r[k], 0);
    console.log(JSON.stringify({ files: sum('files'), rows: sum('rows'), workers, workerPeakRssBytes: Math.max(...results.map((r) => r.maxRssBytes)) }));
  } finally {
    rmSync(usage, { recursive: true, force: true });
  }
  return 0;
}
