// The fault suite: a corpus of bad submissions (test/robustness/corpus.ts, all generated here) goes through
// `iapt validate` and `iapt submit` against a data directory that already holds accepted, processed data.
// Each must end with the expected exit code and a one-line reason, never a stack trace, and leave every
// earlier stored and processed file byte-identical and the counting submission unchanged.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/synth/generate.js';
import { run } from '../helpers/cli.js';
import { receivedFor } from '../store/helpers.js';
import { buildCorpus, type BadInput } from './corpus.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-faults-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const synth = join(root, 'synth');
const data = join(root, 'data');
const reference = join(synth, 'reference');
let corpus: BadInput[] = [];

/** sha256 of every file under the folders, by path relative to the data directory. */
function fingerprint(dataDir: string, folders: string[]): Record<string, string> {
  const hashes: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else hashes[relative(dataDir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  for (const folder of folders) if (existsSync(join(dataDir, folder))) walk(join(dataDir, folder));
  return hashes;
}

const stackFree = (text: string): void => expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

async function counting(dataDir: string): Promise<number[]> {
  const r = await run('submissions', '--data', dataDir, '--json');
  expect(r.code, r.err).toBe(0);
  return (JSON.parse(r.out) as { id: number; counts: boolean }[]).filter((s) => s.counts).map((s) => s.id);
}

let earlier: Record<string, string> = {};
let countingBefore: number[] = [];

beforeAll(async () => {
  const result = generate({ providers: 1, months: '2024-04..2024-05', seed: 'faults', out: synth, scale: 'small', refresh: false, defects: 0 });
  for (const f of result.files) {
    const r = await run('submit', join(synth, f.path), '--data', data, '--received', receivedFor(f.period, 'primary'), '--reference', reference);
    expect(r.code, r.err).toBe(0);
  }
  const processed = await run('process', '--data', data, '--period', '2024-05', '--reference', reference);
  expect(processed.code, processed.err).toBe(0);
  earlier = fingerprint(data, ['submissions', 'processed']);
  expect(Object.keys(earlier).length).toBeGreaterThan(40);
  countingBefore = await counting(data);
  mkdirSync(join(root, 'reports'));
  corpus = buildCorpus(join(synth, result.files.find((f) => f.period === '2024-05')!.path), join(root, 'corpus'));
}, 120_000);

describe('bad submissions against a data directory holding accepted data', () => {
  it('every case gets its verdict, a one-line reason, no stack, and the earlier data stays byte-identical', async () => {
    expect(corpus.length).toBeGreaterThanOrEqual(18);
    for (const input of corpus) {
      const reportDir = join(root, 'reports', input.name.replace(/\W+/g, '-'));
      const validated = await run('validate', input.path, '--out', reportDir);
      expect(validated.code, `${input.name}: validate\n${validated.err}`).toBe(input.validate);
      expect(`${validated.out}${validated.err}`, input.name).toMatch(input.says);
      stackFree(validated.err);
      if (input.validate === 3) expect(validated.err.trim().split('\n'), input.name).toHaveLength(1);
      if (input.report) expect(readFileSync(join(reportDir, 'report.json'), 'utf8'), input.name).toMatch(input.report);

      const submitted = await run('submit', input.path, '--data', data, '--received', receivedFor('2024-05', 'primary'), '--reference', reference);
      expect(submitted.code, `${input.name}: submit\n${submitted.err}`).toBe(input.validate);
      stackFree(submitted.err);
      if (input.validate === 3) expect(submitted.err.trim().split('\n'), input.name).toHaveLength(1);

      const after = fingerprint(data, ['submissions', 'processed']);
      for (const [path, hash] of Object.entries(earlier)) expect(after[path], `${input.name}: ${path}`).toBe(hash);
      // A bad file never displaces the counting submission; a good one (an ignored extra entry) may.
      if (input.validate !== 0) expect(await counting(data), input.name).toEqual(countingBefore);
      else countingBefore = await counting(data);
    }
  }, 180_000);

  it('a path-traversal entry name writes nothing outside the work folder', async () => {
    const { zipSync, strToU8, unzipSync } = await import('fflate');
    const good = unzipSync(readFileSync(corpus.find((c) => c.name === 'mixed CRLF and LF line ends')!.path));
    const target = join(root, 'escaped.csv');
    const entry = `../../../../../../../..${target}`;
    const path = join(root, 'corpus', 'traversal.zip');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, zipSync({ ...good, [entry]: strToU8('x\n'), '/etc/iapt-escaped.csv': strToU8('x\n') }));
    const r = await run('validate', path, '--out', join(root, 'reports', 'traversal'));
    expect(r.code, r.err).toBe(0);
    expect(existsSync(target)).toBe(false);
    expect(existsSync('/etc/iapt-escaped.csv')).toBe(false);
  });
});

const canMount = process.getuid?.() === 0 && process.platform === 'linux';

describe('a disk that fills up', () => {
  it.skipIf(!canMount)('ends a submit with exit 3 and one line, and keeps what was stored before', async () => {
    const mount = join(root, 'small-disk');
    mkdirSync(mount);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=700k', 'tmpfs', mount]);
    try {
      const disk = join(mount, 'data');
      const months = generate({ providers: 1, months: '2024-04..2024-06', seed: 'disk', out: join(root, 'disk-synth'), scale: 'small', refresh: false, defects: 0 });
      const [first, ...others] = months.files;
      const r1 = await run('submit', join(root, 'disk-synth', first!.path), '--data', disk, '--received', receivedFor(first!.period, 'primary'));
      expect(r1.code, r1.err).toBe(0);
      const before = fingerprint(disk, ['submissions']);
      let full: Awaited<ReturnType<typeof run>> | null = null;
      for (const f of others) {
        const r = await run('submit', join(root, 'disk-synth', f.path), '--data', disk, '--received', receivedFor(f.period, 'primary'));
        if (r.code !== 0) {
          full = r;
          break;
        }
      }
      expect(full, 'the small disk never filled up').not.toBeNull();
      expect(full!.code, full!.err).toBe(3);
      expect(full!.err.trim().split('\n')).toHaveLength(1);
      expect(full!.err).toMatch(/no space left/i);
      expect(full!.err).toContain(disk);
      stackFree(full!.err);
      const after = fingerprint(disk, ['submissions']);
      for (const [path, hash] of Object.entries(before)) expect(after[path], path).toBe(hash);
      const listed = await run('submissions', '--data', disk, '--json');
      expect(listed.code, listed.err).toBe(0);
      expect((JSON.parse(listed.out) as { period: string }[]).map((s) => s.period)).toContain(first!.period);
    } finally {
      execFileSync('umount', [mount]);
    }
  }, 120_000);
});
