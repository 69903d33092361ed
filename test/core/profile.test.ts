// The SQL profile (IAPT_PROFILE, src/core/profile.ts) of a process that runs a few statements: each statement once
// with its calls and rows, slowest first, the total, the peak RSS, and EXPLAIN ANALYZE plans of the slowest — here of
// every statement (IAPT_PROFILE_EXPLAIN_FROM_MS=0), at most IAPT_PROFILE_EXPLAIN of them, never of a COPY (it would
// write its file again). Run in a child process: the profile is written when the process exits.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'iapt-profile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const script = (copyTo: string) => `
import { openDb } from ${JSON.stringify(join(root, 'dist/core/db.js'))};
const db = await openDb();
await db.run('CREATE OR REPLACE TEMP TABLE t AS SELECT range AS n FROM range(1000)');
for (let i = 0; i < 3; i++) await db.all('SELECT n FROM t WHERE n < 10');
await db.run(${JSON.stringify(`COPY (SELECT 1 AS one) TO '${copyTo}' (FORMAT csv)`)});
db.close();
`;

function profile(env: Record<string, string>, name: string) {
  const file = join(dir, `${name}.json`);
  const copyTo = join(dir, `${name}.csv`);
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script(copyTo)], { env: { ...process.env, IAPT_PROFILE: file, ...env }, encoding: 'utf8' });
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  return JSON.parse(readFileSync(file, 'utf8')) as { totalMs: number; maxRssBytes: number; statements: { sql: string; calls: number; ms: number; rows: number; plan?: string }[] };
}

describe('IAPT_PROFILE', () => {
  it('records each statement once, with its calls and rows, slowest first, and the total', () => {
    const p = profile({ IAPT_PROFILE_EXPLAIN: '0' }, 'plain');
    const query = p.statements.find((s) => s.sql === 'SELECT n FROM t WHERE n < 10')!;
    expect(query).toMatchObject({ calls: 3, rows: 30 });
    expect(p.statements.filter((s) => s.sql.startsWith('CREATE OR REPLACE TEMP TABLE t'))).toHaveLength(1);
    expect(p.statements.map((s) => s.ms)).toEqual([...p.statements.map((s) => s.ms)].sort((a, b) => b - a));
    expect(p.totalMs).toBeCloseTo(p.statements.reduce((sum, s) => sum + s.ms, 0), 0);
    expect(p.maxRssBytes).toBeGreaterThan(10 * 2 ** 20);
    expect(p.statements.some((s) => s.plan)).toBe(false);
  });

  it('adds EXPLAIN ANALYZE plans of up to IAPT_PROFILE_EXPLAIN statements, none of a COPY', () => {
    const p = profile({ IAPT_PROFILE_EXPLAIN: '50', IAPT_PROFILE_EXPLAIN_FROM_MS: '0' }, 'explained');
    const planned = p.statements.filter((s) => s.plan);
    expect(planned.map((s) => s.sql)).toEqual(expect.arrayContaining(['SELECT n FROM t WHERE n < 10', expect.stringMatching(/^CREATE OR REPLACE TEMP TABLE t/)]));
    expect(planned.find((s) => s.sql === 'SELECT n FROM t WHERE n < 10')!.plan).toMatch(/Total Time/);
    expect(p.statements.find((s) => s.sql.startsWith('COPY'))!.plan).toBeUndefined();
    expect(existsSync(join(dir, 'explained.csv'))).toBe(true);

    const capped = profile({ IAPT_PROFILE_EXPLAIN: '1', IAPT_PROFILE_EXPLAIN_FROM_MS: '0' }, 'capped');
    expect(capped.statements.filter((s) => s.plan)).toHaveLength(1);
  });
});
