// The test run gives every DuckDB instance one thread (vitest.config.ts: two test workers share two cores), so this
// file checks what one thread would hide: the same submissions stored, processed, derived and published with four
// threads and with one give byte-identical publication files and the same stored and processed rows.
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/core/db.js';
import { literal } from '../../src/core/sql.js';
import { derivePeriod } from '../../src/derivation/index.js';
import { processPeriod } from '../../src/linkage/process.js';
import { submit } from '../../src/store/submit.js';
import { run } from '../helpers/cli.js';
import { receivedFor, synthMonths } from '../store/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-threads-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const synth = join(root, 'synth');
const reference = join(synth, 'reference');
const months = synthMonths(synth, '2024-09..2024-09', 2);
const KEY = 'e5'.repeat(32);

/** Every step with IAPT_THREADS set to `threads`, into data-<threads> and out-<threads>. */
async function pipeline(threads: number): Promise<void> {
  const before = process.env.IAPT_THREADS;
  process.env.IAPT_THREADS = String(threads);
  try {
    const data = join(root, `data-${threads}`);
    for (const f of months.files) expect((await submit(join(synth, f.path), { dataDir: data, received: receivedFor(f.period, 'primary'), referenceDir: reference })).status).toBe('stored');
    await processPeriod({ dataDir: data, period: '2024-09', referenceDir: reference, pseudoKey: KEY, afterLink: (folder) => derivePeriod(folder, '2024-09', reference) });
    const published = await run('publish', '--data', data, '--period', '2024-09', '--reference', reference, '--out', join(root, `out-${threads}`));
    expect(published.code, published.err).toBe(0);
  } finally {
    if (before === undefined) delete process.env.IAPT_THREADS;
    else process.env.IAPT_THREADS = before;
  }
}

/** The rows of every Parquet file under a folder, in file order, as text. */
async function parquetRows(folder: string): Promise<Record<string, string>> {
  const db = await openDb({ threads: 1 });
  try {
    const files = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.parquet')).sort();
    const out: Record<string, string> = {};
    for (const f of files) out[f] = JSON.stringify(await db.all(`SELECT * FROM read_parquet(${literal(join(folder, f))})`), (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    return out;
  } finally {
    db.close();
  }
}

describe('one DuckDB thread or four', () => {
  it('stores, processes and publishes the same bytes and rows', async () => {
    await pipeline(4);
    await pipeline(1);
    const csvs = (threads: number) => {
      const out = join(root, `out-${threads}`);
      return Object.fromEntries(readdirSync(out).filter((f) => f.endsWith('.csv')).sort().map((f) => [f, readFileSync(join(out, f), 'utf8')]));
    };
    const four = csvs(4);
    expect(Object.keys(four).length).toBeGreaterThan(1);
    expect(csvs(1)).toEqual(four);
    for (const part of ['submissions', 'processed']) expect(await parquetRows(join(root, 'data-1', part))).toEqual(await parquetRows(join(root, 'data-4', part)));
  }, 120_000);
});
