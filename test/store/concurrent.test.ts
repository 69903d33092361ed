// Several `iapt submit` processes on one data directory at once: each validates on its own and takes the
// catalog only to store, so all of them go in (none is turned away as "in use"), each under its own id.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/store/catalog.js';
import { receivedFor, synthMonths } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-concurrent-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const BIN = new URL('../../bin/iapt.js', import.meta.url).pathname;

function runSubmit(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'submit', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('concurrent submits to one data directory', () => {
  it('stores every file, each once, with distinct ids, and a file sent twice at once only once', async () => {
    const synth = join(root, 'synth');
    const months = synthMonths(synth, '2024-04..2024-07', 1);
    const data = join(root, 'data');
    const argsOf = (f: (typeof months.files)[number]) => [join(synth, f.path), '--data', data, '--received', receivedFor(f.period, 'primary')];
    const runs = await Promise.all([...months.files.map((f) => runSubmit(argsOf(f))), runSubmit(argsOf(months.files[0]!))]);
    for (const run of runs) expect(run.code, run.out).toBe(0);
    expect(runs.filter((r) => r.out.startsWith('DUPLICATE'))).toHaveLength(1);

    const catalog = await Catalog.open(data);
    try {
      const rows = await catalog.submissions();
      expect(rows.map((r) => r.period).sort()).toEqual(months.files.map((f) => f.period).sort());
      expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
      expect(rows.every((r) => r.counts)).toBe(true);
      expect(readdirSync(join(data, 'submissions')).sort()).toEqual(rows.map((r) => String(r.id)).sort());
    } finally {
      catalog.close();
    }
  }, 120_000);
});
