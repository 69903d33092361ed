// Validates every submission zip under a folder (a national synthetic month), two at a time in one
// process (one DuckDB thread each, one per core), as the landing platform would; prints rows validated. Run through bench/rusage.js.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const CONCURRENCY = 2;

export async function main([dir, referenceDir]) {
  const { validateSubmission } = await import('../dist/validation/index.js');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.zip')).sort();
  let rows = 0;
  let accepted = 0;
  let next = 0;
  async function worker() {
    while (next < files.length) {
      const file = files[next++];
      const [provider, period] = file.split('/');
      const { report } = await validateSubmission(join(dir, file), { period, provider, received: '2099-01-01T00:00:00', threads: 1, ...(referenceDir ? { referenceDir } : {}) });
      rows += report.tables.reduce((n, t) => n + t.received, 0);
      if (report.outcome === 'accepted') accepted++;
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  console.log(JSON.stringify({ files: files.length, accepted, rows }));
  return 0;
}
