// Issue 13: nothing deletes what it did not create; a lost catalog is refused, not replaced; folder submissions are
// told apart by content; stored identifiers are owner-only; reading commands work on a read-only data directory and
// never create one.
import { spawn } from 'node:child_process';
import { chownSync, chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { Catalog, StoreError } from '../../src/store/catalog.js';
import { contentHash } from '../../src/intake/index.js';
import { submit } from '../../src/store/submit.js';
import { processPeriod } from '../../src/linkage/process.js';
import { receivedFor, submitFile, synthMonths } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-datadir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const BIN = new URL('../../bin/iapt.js', import.meta.url).pathname;
const synth = join(root, 'synth');
const months = synthMonths(synth, '2024-04..2024-05', 1);
const mode = (path: string) => statSync(path).mode & 0o777;

function cli(args: string[], options: { uid?: number } = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const ids = options.uid === undefined ? {} : { uid: options.uid, gid: options.uid };
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...ids });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

/** Every file and folder under `dir` with its mode and size: to check that nothing changed. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      const s = lstatSync(p);
      out.push(`${p} ${s.mode.toString(8)} ${s.isDirectory() ? '' : `${s.size} ${s.mtimeMs}`}`);
      if (s.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

describe('the data directory', () => {
  const data = join(root, 'data');

  it('stores submissions owner-only: folders 0700, Parquet, report and catalog 0600', async () => {
    const r = await submitFile(synth, months.files[0]!, data);
    expect(r.status).toBe('stored');
    if (r.status !== 'stored') return;
    expect(mode(data)).toBe(0o700);
    expect(mode(join(data, 'submissions'))).toBe(0o700);
    expect(mode(r.folder)).toBe(0o700);
    expect(mode(join(r.folder, 'tables'))).toBe(0o700);
    expect(mode(join(r.folder, 'report'))).toBe(0o700);
    for (const f of readdirSync(join(r.folder, 'tables'))) expect(mode(join(r.folder, 'tables', f)), f).toBe(0o600);
    for (const f of readdirSync(join(r.folder, 'report'))) expect(mode(join(r.folder, 'report', f)), f).toBe(0o600);
    expect(mode(join(data, 'catalog.duckdb'))).toBe(0o600);
  });

  it('leaves alone a folder in submissions/ that no catalog row names', async () => {
    const foreign = join(data, 'submissions', 'my-notes');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'keep.txt'), 'mine');
    const catalog = await Catalog.open(data);
    catalog.close();
    expect(readFileSync(join(foreign, 'keep.txt'), 'utf8')).toBe('mine');
    rmSync(foreign, { recursive: true });
  });

  it('refuses a catalog missing beside stored data, naming the file and how to restore it, and deletes nothing', async () => {
    renameSync(join(data, 'catalog.duckdb'), join(root, 'catalog.backup'));
    const before = snapshot(data);
    const error = await Catalog.open(data).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).kind).toBe('input');
    expect((error as Error).message).toMatch(new RegExp(`the catalog ${join(data, 'catalog.duckdb')} is missing.*restore catalog.duckdb from your backup`));
    await expect(submitFile(synth, months.files[1]!, data)).rejects.toThrow(/is missing/);
    const listed = await cli(['submissions', '--data', data]);
    expect(listed.code).toBe(3);
    expect(listed.err.trim().split('\n')).toHaveLength(1);
    expect(snapshot(data)).toEqual(before);
    expect(existsSync(join(data, 'catalog.duckdb'))).toBe(false);
    renameSync(join(root, 'catalog.backup'), join(data, 'catalog.duckdb'));
  });

  it('refuses to make a data directory of a folder holding other files; an empty folder is fine', async () => {
    const other = join(root, 'documents');
    mkdirSync(other);
    writeFileSync(join(other, 'letter.txt'), 'dear');
    mkdirSync(join(other, 'submissions'));
    await expect(submitFile(synth, months.files[0]!, other)).rejects.toThrow(/is missing|not an iapt data directory/);
    rmSync(join(other, 'submissions'), { recursive: true });
    await expect(submitFile(synth, months.files[0]!, other)).rejects.toThrow(/is not empty and is not an iapt data directory/);
    expect(readdirSync(other)).toEqual(['letter.txt']);
    const empty = join(root, 'empty');
    mkdirSync(empty);
    expect((await submitFile(synth, months.files[0]!, empty)).status).toBe('stored');
  });

  it('never creates a data directory for a command that only uses one', async () => {
    const typo = join(root, 'typo');
    await expect(Catalog.open(typo)).rejects.toThrow(`no data directory at ${typo}`);
    await expect(Catalog.open(typo, { readOnly: true })).rejects.toThrow(`no data directory at ${typo}`);
    await expect(processPeriod({ dataDir: typo, period: '2024-04' })).rejects.toThrow(`no data directory at ${typo}`);
    const listed = await cli(['submissions', '--data', typo]);
    expect(listed.code).toBe(3);
    const processed = await cli(['process', '--data', typo, '--period', '2024-04']);
    expect(processed.code).toBe(3);
    expect(processed.err).toMatch(/no data directory at/);
    expect(existsSync(typo)).toBe(false);
  });

  it('lists submissions from a read-only data directory, changing nothing', async () => {
    // Root ignores file modes: the listing runs as nobody (65534) on a copy owned by nobody and made read-only.
    const ro = join(root, 'ro');
    mkdirSync(ro);
    chmodSync(root, 0o755);
    const copy = join(ro, 'data');
    await cli(['submissions', '--data', data]); // nothing pending
    const { cpSync } = await import('node:fs');
    cpSync(data, copy, { recursive: true });
    const own = (p: string) => {
      chownSync(p, 65534, 65534);
      if (statSync(p).isDirectory()) for (const e of readdirSync(p)) own(join(p, e));
    };
    own(ro);
    const readOnly = (p: string) => {
      if (statSync(p).isDirectory()) {
        for (const e of readdirSync(p)) readOnly(join(p, e));
        chmodSync(p, 0o500);
      } else chmodSync(p, 0o400);
    };
    readOnly(copy);
    const before = snapshot(copy);
    const listed = await cli(['submissions', '--data', copy, '--json'], { uid: 65534 });
    expect(listed.code, listed.err).toBe(0);
    expect((JSON.parse(listed.out) as unknown[]).length).toBe(1);
    expect(snapshot(copy)).toEqual(before);
    // The same command as that user on a writable copy shows it really cannot write the read-only one.
    const write = await cli(['submit', join(synth, months.files[1]!.path), '--data', copy, '--received', receivedFor(months.files[1]!.period, 'primary')], { uid: 65534 });
    expect(write.code).not.toBe(0);
  }, 60_000);
});

describe('folder submissions', () => {
  it('stores two different folders, and recognises the same folder sent twice', async () => {
    const data = join(root, 'folders');
    const folders = months.files.map((f) => {
      const dir = join(root, `csv-${f.period}`);
      mkdirSync(dir);
      for (const [name, bytes] of Object.entries(unzipSync(readFileSync(join(synth, f.path))))) writeFileSync(join(dir, name), strFromU8(bytes));
      return { dir, f };
    });
    expect(await contentHash(folders[0]!.dir)).not.toBe(await contentHash(folders[1]!.dir));
    const stored = [];
    for (const { dir, f } of folders) stored.push(await submit(dir, { dataDir: data, received: receivedFor(f.period, 'primary') }));
    expect(stored.map((r) => r.status)).toEqual(['stored', 'stored']);
    const again = await submit(folders[0]!.dir, { dataDir: data, received: receivedFor(folders[0]!.f.period, 'primary') });
    expect(again).toMatchObject({ status: 'duplicate', duplicateOf: 1 });
    const catalog = await Catalog.open(data, { readOnly: true });
    try {
      const rows = await catalog.submissions();
      expect(rows).toHaveLength(2);
      expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.sha256))).toBe(true);
    } finally {
      catalog.close();
    }
  }, 60_000);
});
