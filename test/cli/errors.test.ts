// Every command driven with bad arguments and bad input: the exit code is the README's (2 usage, 3 bad input),
// the reason is one line naming the argument or path, and no stack trace is printed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/cli/exitCodes.js';
import { asIaptError, IaptError } from '../../src/core/errors.js';
import { generate } from '../../src/synth/generate.js';
import { run } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-errors-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const file = join(root, 'a-file.txt');
const folder = join(root, 'a-folder');
const missing = join(root, 'no-such-folder');
const missingOut = join(root, 'no-such-output-folder');
let zip = '';

beforeAll(() => {
  writeFileSync(file, 'not a submission\n');
  mkdirSync(folder);
  const synth = generate({ providers: 1, months: '2024-05..2024-05', seed: 'errors', out: join(root, 'synth'), scale: 'small', refresh: false, defects: 0 });
  zip = join(root, 'synth', synth.files[0]!.path);
});

/** One line on stderr, no stack frame. */
function expectOneLine(err: string, mentions: string): void {
  expect(err).toContain(mentions);
  expect(err.trim().split('\n'), err).toHaveLength(1);
  expect(err).not.toMatch(/^\s+at /m);
}

const cases: [string, () => string[], number, string][] = [
  ['an unknown command', () => ['frobnicate'], 2, 'unknown command'],
  ['rules: an unknown option', () => ['rules', '--yaml'], 2, '--yaml'],
  ['measures: an unknown option', () => ['measures', '--csv'], 2, '--csv'],
  ['spec: an unknown table', () => ['spec', '--table', 'IDS999'], 2, 'IDS999'],
  ['synth: --out is a file', () => ['synth', '--months', '2024-04..2024-04', '--out', file], 2, '--out'],
  ['synth: --out in a missing folder', () => ['synth', '--months', '2024-04..2024-04', '--out', join(missingOut, 'x')], 2, '--out'],
  ['validate: a missing file', () => ['validate', join(root, 'nothing.zip'), '--out', join(root, 'r1')], 3, 'nothing.zip'],
  ['validate: not a submission form', () => ['validate', file, '--out', join(root, 'r2')], 3, 'a-file.txt'],
  ['validate: 30 February', () => ['validate', zip, '--received', '2024-02-30T10:00:00', '--out', join(root, 'r3')], 2, '--received'],
  ['validate: --received 1', () => ['validate', zip, '--received', '1', '--out', join(root, 'r4')], 2, '--received'],
  ['validate: 25 o’clock', () => ['validate', zip, '--received', '2024-06-01T25:00:00', '--out', join(root, 'r5')], 2, '--received'],
  ['validate: --out is a file', () => ['validate', zip, '--out', file], 2, '--out'],
  ['validate: --out in a missing folder', () => ['validate', zip, '--out', join(missingOut, 'report')], 2, '--out'],
  ['validate: month 13', () => ['validate', zip, '--period', '2024-13', '--out', join(root, 'r6')], 2, '--period'],
  ['submit: a missing file', () => ['submit', join(root, 'nothing.zip'), '--data', join(root, 'd1')], 3, 'nothing.zip'],
  ['submit: an impossible --received', () => ['submit', zip, '--data', join(root, 'd2'), '--received', '2024-02-30T10:00:00'], 2, '--received'],
  ['submissions: a bad --period', () => ['submissions', '--data', folder, '--period', '24-05'], 2, '--period'],
  ['submissions: no data directory', () => ['submissions', '--data', missing], 3, 'no-such-folder'],
  ['process: a bad --period', () => ['process', '--data', folder, '--period', '2024-5'], 2, '--period'],
  ['process: no data directory', () => ['process', '--data', missing, '--period', '2024-05'], 3, 'no-such-folder'],
  ['extract: --out of another type', () => ['extract', 'provider', '--data', folder, '--period', '2024-05', '--provider', 'RA1', '--out', join(root, 'x.txt')], 2, '--out'],
  ['extract: --out is a folder', () => ['extract', 'provider', '--data', folder, '--period', '2024-05', '--provider', 'RA1', '--out', join(root, 'x.csv', '..', 'a-folder')], 2, '--out'],
  ['extract: --out exists', () => ['extract', 'provider', '--data', folder, '--period', '2024-05', '--provider', 'RA1', '--out', writeExisting('extract.csv')], 2, 'already exists'],
  ['extract: --out in a missing folder', () => ['extract', 'provider', '--data', folder, '--period', '2024-05', '--provider', 'RA1', '--out', join(missingOut, 'e.csv')], 2, '--out'],
  ['extract: a bad --period', () => ['extract', 'provider', '--data', folder, '--period', 'May', '--provider', 'RA1', '--out', join(root, 'e.csv')], 2, '--period'],
  ['publish: a bad --period', () => ['publish', '--data', folder, '--period', '2024-00', '--out', join(root, 'p')], 2, '--period'],
  ['publish: a bad --quarter', () => ['publish', '--data', folder, '--period', '2024-06', '--quarter', '2024-Q5', '--out', join(root, 'p')], 2, '2024-Q5'],
  ['publish: a bad --policy', () => ['publish', '--data', folder, '--period', '2024-06', '--policy', 'none', '--out', join(root, 'p')], 2, '--policy'],
  ['publish: --out is a file', () => ['publish', '--data', folder, '--period', '2024-06', '--out', file], 2, '--out'],
  ['publish: not processed', () => ['publish', '--data', folder, '--period', '2024-06', '--out', join(root, 'p')], 3, 'iapt process'],
  ['check-release: a missing file', () => ['check-release', join(root, 'none.csv')], 3, 'none.csv'],
  ['check-release: a folder', () => ['check-release', folder], 3, 'a-folder'],
  ['check-release: a file in no layout', () => ['check-release', file], 3, 'a-file.txt'],
  ['demo: --out is a file', () => ['demo', '--out', file], 2, '--out'],
];

function writeExisting(name: string): string {
  const path = join(root, name);
  writeFileSync(path, 'mine\n');
  return path;
}

describe('bad arguments and bad input never reach exit 70 and never print a stack', () => {
  it.each(cases)('%s', async (_name, argv, code, mentions) => {
    const r = await run(...argv());
    expect(r.code, r.err).toBe(code);
    expectOneLine(r.err, mentions);
  });
});

describe('the error model', () => {
  it('maps every kind to the README exit code in one table', () => {
    expect(EXIT_CODES).toEqual({ ok: 0, negative: 1, usage: 2, input: 3, busy: 75, unauthenticated: 77, forbidden: 77, notFound: 3, internal: 70 });
  });

  it('turns a full disk or a denied path into bad input naming the path', () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', path: '/data/x.parquet' });
    expect(asIaptError(full)).toMatchObject({ kind: 'input', message: '/data/x.parquet: no space left on the device (ENOSPC)' });
    const duck = new Error('IO Error: Could not write file "/data/x.parquet": No space left on device\nmore');
    expect(asIaptError(duck)).toMatchObject({ kind: 'input', message: 'IO Error: Could not write file "/data/x.parquet": No space left on device' });
    expect(asIaptError(new TypeError('x is undefined'))).toBeNull();
    expect(asIaptError(new IaptError('busy', 'held'))?.kind).toBe('busy');
  });
});

describe('the environment is checked before any work', () => {
  it('refuses a bad IAPT_MEMORY_LIMIT as a usage error (exit 2) naming it, whatever the command', async () => {
    const before = process.env.IAPT_MEMORY_LIMIT;
    process.env.IAPT_MEMORY_LIMIT = 'lots';
    try {
      const r = await run('submissions', '--data', missing);
      expect(r.code, r.err).toBe(2);
      expectOneLine(r.err, 'IAPT_MEMORY_LIMIT: "lots" is not a memory size');
    } finally {
      if (before === undefined) delete process.env.IAPT_MEMORY_LIMIT;
      else process.env.IAPT_MEMORY_LIMIT = before;
    }
  });

  it('takes the data directory from IAPT_DATA_DIR when --data is not given', async () => {
    const before = process.env.IAPT_DATA_DIR;
    process.env.IAPT_DATA_DIR = missing;
    try {
      const r = await run('submissions');
      expect(r.code, r.err).toBe(3);
      expectOneLine(r.err, `no data directory at ${missing}`);
    } finally {
      if (before === undefined) delete process.env.IAPT_DATA_DIR;
      else process.env.IAPT_DATA_DIR = before;
    }
  });
});
