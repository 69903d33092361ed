// Issue 13: `iapt demo --out DIR` replaces only a folder it made (marked .iapt-demo); any other non-empty folder is refused.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_MARKER, prepareDemoFolder } from '../../src/cli/commands/demo.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-demo-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const BIN = new URL('../../bin/iapt.js', import.meta.url).pathname;

describe('iapt demo --out', () => {
  it('refuses a non-empty folder it did not make, with one line and exit 2 (usage), deleting nothing', () => {
    const mine = join(root, 'thesis');
    mkdirSync(mine);
    writeFileSync(join(mine, 'chapter1.txt'), 'precious');
    const run = spawnSync(process.execPath, [BIN, 'demo', '--out', mine], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/not empty and is not an earlier demo output/);
    expect(readdirSync(mine)).toEqual(['chapter1.txt']);
    expect(readFileSync(join(mine, 'chapter1.txt'), 'utf8')).toBe('precious');
  });

  it('uses a new or empty folder, marks it, and replaces an earlier demo output', () => {
    const fresh = join(root, 'new', 'demo');
    prepareDemoFolder(fresh);
    expect(readdirSync(fresh)).toEqual([DEMO_MARKER]);
    writeFileSync(join(fresh, 'old-output.csv'), 'x');
    prepareDemoFolder(fresh);
    expect(readdirSync(fresh)).toEqual([DEMO_MARKER]);
    const empty = join(root, 'empty');
    mkdirSync(empty);
    prepareDemoFolder(empty);
    expect(existsSync(join(empty, DEMO_MARKER))).toBe(true);
  });
});
