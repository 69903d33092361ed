// Baseline for validation: the same zips, unzipped and scanned with DuckDB's plain read_csv (count(*)),
// with the same parallelism as bench/validate-month.js (two files at a time, one DuckDB thread each) —
// the least any reader of these files must do. Run through bench/rusage.js.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';

const CONCURRENCY = 2;

export async function main([dir]) {
  const { openDb } = await import('../dist/core/db.js');
  const work = mkdtempSync(join(tmpdir(), 'iapt-scan-'));
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.zip')).sort();
  let rows = 0;
  let next = 0;
  async function worker(id) {
    const db = await openDb({ threads: 1 });
    const folder = join(work, String(id));
    mkdirSync(folder);
    try {
      while (next < files.length) {
        const file = files[next++];
        for (const [name, bytes] of Object.entries(unzipSync(readFileSync(join(dir, file))))) {
          const path = join(folder, name);
          writeFileSync(path, bytes);
          const [r] = await db.all(`SELECT count(*) AS n FROM read_csv('${path}', header = true, all_varchar = true)`);
          rows += Number(r.n);
        }
      }
    } finally {
      db.close();
    }
  }
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => worker(i)));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(JSON.stringify({ rows }));
  return 0;
}
