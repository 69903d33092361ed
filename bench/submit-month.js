// Submits every provider file (Primary and, when generated, Refresh) of national synthetic months into a fresh data directory (validate,
// register, store Parquet), one after another as the landing platform receives them. Run through bench/rusage.js.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export async function main([dir, dataDir]) {
  const { submit } = await import('../dist/store/submit.js');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.zip')).sort();
  let rows = 0;
  for (const file of files) {
    const period = file.split('/')[1];
    // A Primary arrives in the next month's window, a Refresh in the one after (docs/store.md).
    const later = file.endsWith('_refresh.zip') ? 2 : 1;
    const [y, m] = period.split('-').map(Number);
    const month = y * 12 + m - 1 + later;
    const received = `${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}-24T10:00:00`;
    const result = await submit(join(dir, file), { dataDir, received, referenceDir: join(dir, 'reference') });
    if (result.status !== 'stored') throw new Error(`${file}: ${result.status}`);
    rows += result.report.tables.reduce((n, t) => n + t.received, 0);
  }
  console.log(JSON.stringify({ files: files.length, rows }));
  return 0;
}
