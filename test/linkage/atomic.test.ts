// Issue 13: a period is replaced atomically and written by one process at a time. Readers of processed/<P>/ see
// the old complete set or the new one, never none or a mix; a second `iapt process` of the same period fails as
// busy; a kill -9 at any moment leaves the old complete set, and the next run succeeds and cleans up after it.
// beforeAll submits two months and processes the period once; every test starts from, and leaves, a complete set,
// so none depends on another. The runs are of the built CLI (bin/iapt.js → dist/).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_NAMES } from '../../src/dataset/index.js';
import { openDb } from '../../src/core/db.js';
import { acquireLock } from '../../src/store/lock.js';
import { submit } from '../../src/store/submit.js';
import { publish } from '../../src/measures/publish/index.js';
import { receivedFor, synthMonths } from '../store/helpers.js';
import { readRows } from '../helpers/db.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-atomic-'));
const scratch = join(root, 'tmp');
mkdirSync(scratch);
afterAll(() => rmSync(root, { recursive: true, force: true }));
const BIN = new URL('../../bin/iapt.js', import.meta.url).pathname;
const synth = join(root, 'synth');
const data = join(root, 'data');
const PERIOD = '2024-05';
const folder = join(data, 'processed', PERIOD);

function runProcess(killAfterMs: number | null = null, onSpawn?: () => void): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve) => {
    // Its temporary files in this test's folder: a process killed outright cannot remove them itself.
    const child = spawn(process.execPath, [BIN, 'process', '--data', data, '--period', PERIOD, '--reference', join(synth, 'reference')], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TMPDIR: scratch } });
    onSpawn?.();
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, err });
    });
  });
}

async function columns(file: string): Promise<string[]> {
  const db = await openDb();
  try {
    return (await readRows<{ column_name: string }>(db, `DESCRIBE SELECT * FROM read_parquet('${file}')`)).map((c) => c.column_name);
  } finally {
    db.close();
  }
}

/** The period's set is whole: every table, the manifest, and the derivation's columns. */
async function expectComplete(): Promise<string> {
  for (const t of TABLE_NAMES) expect(existsSync(join(folder, `${t}.parquet`)), `${t}`).toBe(true);
  expect(existsSync(join(folder, 'continuity.json'))).toBe(true);
  const manifest = readFileSync(join(folder, 'manifest.json'), 'utf8');
  expect(await columns(join(folder, 'IDS001MPI.parquet'))).toContain('Validated_EthnicCategory');
  expect(await columns(join(folder, 'IDS101Referral.parquet'))).toEqual(expect.arrayContaining(['Recovery_Flag', 'CompletedTreatment_Flag']));
  return manifest;
}

/** How long one whole `iapt process` of the period took (beforeAll's run): the kill test's time scale. */
let processMs = 0;

beforeAll(async () => {
  const months = synthMonths(synth, '2024-04..2024-05', 1);
  for (const f of months.files) expect((await submit(join(synth, f.path), { dataDir: data, received: receivedFor(f.period, 'primary') })).status).toBe('stored');
  const t0 = Date.now();
  const run = await runProcess();
  processMs = Date.now() - t0;
  expect(run.code, run.err).toBe(0);
});

describe('iapt process: atomic and locked', () => {
  it('writes the period owner-only', async () => {
    await expectComplete();
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(folder)) expect(statSync(join(folder, f)).mode & 0o777, f).toBe(0o600);
    expect(statSync(join(data, 'pseudo.key')).mode & 0o777).toBe(0o600);
  });

  it('fails a second process of the same period as busy (exit 75) while the first holds it', async () => {
    const lock = await acquireLock(join(data, 'processed', `.${PERIOD}.lock`), { what: 'test' });
    try {
      const second = await runProcess();
      expect(second.code).toBe(75);
      expect(second.err.trim().split('\n')).toHaveLength(1);
      expect(second.err).toMatch(/busy/);
    } finally {
      lock.release();
    }
    await expectComplete();
  });

  it('takes over the lock of a process that died', async () => {
    writeFileSync(join(data, 'processed', `.${PERIOD}.lock`), JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), started: '2024-01-01T00:00:00Z' }));
    const run = await runProcess();
    expect(run.code, run.err).toBe(0);
    expect(existsSync(join(data, 'processed', `.${PERIOD}.lock`))).toBe(false);
    await expectComplete();
  });

  it('runs two processes of the same period at once: one waits out or fails busy, and the result is complete with derived columns', async () => {
    let started!: () => void;
    const firstStarted = new Promise<void>((resolve) => (started = resolve));
    const first = runProcess(null, () => started());
    await firstStarted;
    // The second starts once the first holds the period (or has finished).
    const lockFile = join(data, 'processed', `.${PERIOD}.lock`);
    const until = Date.now() + 20_000;
    while (!existsSync(lockFile) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    const [a, b] = await Promise.all([first, runProcess()]);
    expect(a.code, a.err).toBe(0);
    expect([0, 75]).toContain(b.code);
    if (b.code === 75) expect(b.err).toMatch(/busy/);
    await expectComplete();
    expect(readdirSync(join(data, 'processed')).filter((e) => /\.(tmp|spill)$|link-|\.lock$/.test(e))).toEqual([]);
  });

  it('leaves the old complete set after kill -9 at any moment, and the next run succeeds', async () => {
    let seed = 11;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 8; i++) {
      await runProcess(200 + Math.floor(random() * processMs));
      await expectComplete(); // the old set, or the new one when the kill came after the switch
    }
    const last = await runProcess();
    expect(last.code, last.err).toBe(0);
    await expectComplete();
    // Leftovers of the killed runs are gone; at most the current version and the one before it remain.
    const entries = readdirSync(join(data, 'processed'));
    expect(entries.filter((e) => /\.(tmp|spill)$|link-|\.lock$/.test(e))).toEqual([]);
    expect(entries.filter((e) => /\.v\d+$/.test(e)).length).toBeLessThanOrEqual(2);
  });
});

describe('iapt publish staging', () => {
  it('removes a staging folder left by a killed publish (marked, dead pid) and nothing else', async () => {
    const out = join(root, 'publication');
    const stale = join(out, '.publish-4194999');
    mkdirSync(stale, { recursive: true });
    writeFileSync(join(stale, '.iapt-publish-staging'), JSON.stringify({ pid: 4194999, host: (await import('node:os')).hostname(), started: '2024-01-01T00:00:00Z' }));
    writeFileSync(join(stale, 'iapt-monthly-2024-05.csv'), 'half');
    const foreign = join(out, '.publish-4195000');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'mine.txt'), 'not made by iapt');
    await publish({ dataDir: data, period: PERIOD, policy: 'nhs-tt', out, referenceDir: join(synth, 'reference') });
    expect(existsSync(stale)).toBe(false);
    expect(readFileSync(join(foreign, 'mine.txt'), 'utf8')).toBe('not made by iapt');
    expect(readdirSync(out).filter((e) => e.startsWith('.publish-'))).toEqual(['.publish-4195000']);
  });
});
