// Atomicity: a child process running `iapt submit` is killed (SIGKILL) at a random moment, again and
// again; after each kill the store must hold either the whole submission or nothing.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TABLE_NAMES } from '../../src/dataset/index.js';
import { verifyAudit } from '../../src/store/access.js';
import { Catalog } from '../../src/store/catalog.js';
import { receivedFor, synthMonths } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-crash-'));
const scratch = join(root, 'tmp');
mkdirSync(scratch);
afterAll(() => rmSync(root, { recursive: true, force: true }));
const BIN = new URL('../../bin/iapt.js', import.meta.url).pathname;

function runSubmit(args: string[], killAfterMs: number | null): Promise<number | null> {
  return new Promise((resolve) => {
    // Its temporary files in this test's folder: a process killed outright cannot remove them itself.
    const child = spawn(process.execPath, [BIN, 'submit', ...args], { stdio: 'ignore', env: { ...process.env, TMPDIR: scratch } });
    const timer = killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('kill -9 during submit', () => {
  it('leaves the catalog and the stored files consistent every time', async () => {
    const synth = join(root, 'synth');
    const months = synthMonths(synth, '2024-06..2024-09', 2);
    const data = join(root, 'data');
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (const [i, f] of months.files.entries()) {
      const args = [join(synth, f.path), '--data', data, '--received', receivedFor(f.period, 'primary')];
      // Most runs are killed somewhere between start-up (about 0.5 s of loading) and completion; every third runs to the end.
      await runSubmit(args, i % 3 === 2 ? null : 400 + Math.floor(random() * 1100));
      if (!existsSync(join(data, 'catalog.duckdb'))) {
        // Killed before the first submit made its catalog: nothing can have been stored.
        expect(existsSync(join(data, 'submissions'))).toBe(false);
        continue;
      }
      const catalog = await Catalog.open(data); // recovery runs here
      try {
        const rows = await catalog.submissions();
        const pending = await catalog.rows(z.object({ id: z.unknown() }), `SELECT id FROM submissions WHERE status <> 'complete'`);
        expect(pending).toEqual([]);
        for (const r of rows) {
          expect(existsSync(join(data, r.folder, 'report', 'report.json')), `submission ${r.id} report`).toBe(true);
          if (r.outcome === 'accepted') for (const t of TABLE_NAMES) expect(existsSync(join(data, r.folder, 'tables', `${t}.parquet`)), `submission ${r.id} ${t}`).toBe(true);
        }
        const folders = existsSync(join(data, 'submissions')) ? readdirSync(join(data, 'submissions')) : [];
        expect(folders.sort()).toEqual(rows.map((r) => String(r.id)).sort());
        // Each complete submission in the audit trail once, none that is not: one transaction marks it and chains it.
        if (rows.length > 0) {
          const trail = await catalog.rows(z.object({ object: z.string() }), `SELECT object FROM audit_log WHERE action = 'submit'`);
          expect(trail.map((t) => Number(/^submission=(\d+) /.exec(t.object)![1])).sort((a, b) => a - b)).toEqual(rows.map((r) => r.id).sort((a, b) => a - b));
          expect(await verifyAudit(catalog)).toMatchObject({ ok: true });
        }
        expect(existsSync(join(data, '.tmp'))).toBe(false);
      } finally {
        catalog.close();
      }
    }
    // The files killed before they were stored go in when submitted again, to the end.
    const storedBefore = await Catalog.open(data);
    const stored = new Set((await storedBefore.submissions()).map((r) => `${r.provider}/${r.period}`));
    storedBefore.close();
    const missing = months.files.filter((f) => !stored.has(`${f.provider}/${f.period}`));
    for (const f of missing) expect(await runSubmit([join(synth, f.path), '--data', data, '--received', receivedFor(f.period, 'primary')], null)).toBe(0);
    const catalog = await Catalog.open(data);
    try {
      expect((await catalog.submissions()).filter((r) => r.counts)).toHaveLength(months.files.length);
    } finally {
      catalog.close();
    }
  }, 120_000); // eight submits, most killed at random moments, then the missing ones again: about 15 s alone
});
