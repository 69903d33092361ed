// Baseline for validation: the same zips, unzipped and scanned with DuckDB's plain read_csv (count(*)),
// one table at a time — the least any reader of these files must do. Run through bench/rusage.js.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';

export async function main([dir]) {
  const { openDb } = await import('../dist/intake/duckdb.js');
  const db = await openDb();
  const work = mkdtempSync(join(tmpdir(), 'iapt-scan-'));
  let rows = 0;
  try {
    for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.zip')).sort()) {
      for (const [name, bytes] of Object.entries(unzipSync(readFileSync(join(dir, file))))) {
        const path = join(work, name);
        writeFileSync(path, bytes);
        const [r] = await db.all(`SELECT count(*) AS n FROM read_csv('${path}', header = true, all_varchar = true)`);
        rows += Number(r.n);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    db.close();
  }
  console.log(JSON.stringify({ rows }));
  return 0;
}
