// End-to-end runs of the CLI entry point (the same `main` bin/iapt.js calls), capturing its output.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readManifest } from '../../src/core/release/manifest.js';
import { run } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'iapt-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('iapt spec', () => {
  it('prints every table as text', async () => {
    const { code, out } = await run('spec');
    expect(code).toBe(0);
    expect(out).toContain('IDS000Header');
    expect(out).toContain('IDS902CarePersQual');
  });

  it('prints one table as JSON with its items', async () => {
    const { code, out } = await run('spec', '--table', 'IDS101', '--json');
    expect(code).toBe(0);
    const spec = JSON.parse(out);
    expect(spec.tables).toHaveLength(1);
    expect(spec.tables[0].name).toBe('IDS101Referral');
    expect(spec.tables[0].items.map((i: { name: string }) => i.name)).toContain('ServDischDate');
  });

  it('rejects an unknown table with a usage error naming the tables', async () => {
    const { code, err } = await run('spec', '--table', 'IDS999');
    expect(code).toBe(2);
    expect(err).toContain('unknown table "IDS999"');
    expect(err).toContain('IDS101Referral');
  });
});

describe('iapt synth', () => {
  it('writes the submissions and says what it wrote', async () => {
    const out = join(dir, 'synth');
    const result = await run('synth', '--providers', '1', '--months', '2024-04..2024-05', '--seed', '3', '--out', out);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/Wrote 2 submissions/);
    expect(existsSync(join(out, 'manifest.json'))).toBe(true);
  });

  it.each([
    [['--months', '2024-13..2025-01'], '--months'],
    [['--months', '2025-03..2024-04'], 'ends before it starts'],
    [['--providers', 'x'], '--providers'],
    [['--defects', '2'], '--defects'],
    [['--scale', 'huge'], '--scale'],
  ])('refuses bad arguments %j', async (extra, message) => {
    const { code, err } = await run('synth', '--out', join(dir, 'bad'), ...extra);
    expect(code).toBe(2);
    expect(err).toContain(message);
  });

  it('needs --out', async () => {
    const { code, err } = await run('synth');
    expect(code).toBe(2);
    expect(err).toContain('--out');
  });
});

describe('iapt demo', () => {
  it('generates, validates, stores and links a small synthetic set, printing each step', async () => {
    // Two months keep the run short (the default twelve take 75–90 s alone); the steps are the same.
    const { code, out } = await run('demo', '--out', join(dir, 'demo'), '--months', '2024-08..2024-09');
    expect(code).toBe(0);
    // 3 providers × 2 months (August and September 2024) × Primary and Refresh.
    expect(out).toContain('12 zip files');
    expect(out).toContain('2024-08 to 2024-09');
    expect(out).toContain('IDS607CodedScoreAssessmentAct');
    expect(out).toMatch(/12 submissions registered; the Refresh counts for each of the 6 provider-months/);
    // The reason next to the rates: finishers per period and the 95 % margin, 1.96 × √(0.25 / n) × 100 points.
    const finishers = Number(/2024-09: (\d+) finishers/.exec(out)?.[1]);
    expect(out).toContain(`2024-09: ${finishers} finishers, ±${(196 * Math.sqrt(0.25 / finishers)).toFixed(0)} points`);
    expect(out).toMatch(/\d+ pathways \(PathwayID\)/);
    expect(existsSync(join(dir, 'demo', 'iapt-data', 'processed', '2024-09', 'IDS101Referral.parquet'))).toBe(true);
    // The release routes: each file with its manifest, the commissioner and research extracts privacy-checked.
    expect(out).toMatch(/National data opt-out register \(iapt optout import\): \d+ people/);
    expect(out).toMatch(/Commissioner extract .*: \d+ pathways .* passed check-extract/);
    expect(out).toMatch(/Research extract .*: \d+ referrals of \d+ people in IAPT_demographics_and_referral \(\d+\), .*keyed for DARS-NIC-123456 only/);
    const released = readdirSync(join(dir, 'demo'));
    for (const prefix of ['provider-extract-', 'commissioner-extract-']) {
      const file = released.find((f) => f.startsWith(prefix) && f.endsWith('.csv'))!;
      expect(released, prefix).toContain(`${file}.manifest.json`);
    }
    expect(readManifest(join(dir, 'demo', 'research-extract', 'manifest.json'))).toMatchObject({ kind: 'research', audience: 'researcher', optOut: { applied: true } });
    expect(readManifest(join(dir, 'demo', 'publication', 'manifest.json'))).toMatchObject({ kind: 'publication', audience: 'public' });

    // Every paired finisher is improved, unchanged or deteriorated (M185 + M187 + M189 = M202; England is unrounded).
    const england = new Map(
      readFileSync(join(dir, 'demo', 'publication', 'iapt-monthly-2024-09.csv'), 'utf8')
        .split('\n')
        .map((line) => line.split(','))
        .filter((cells) => cells[2] === 'England')
        .map((cells) => [cells[7], Number(cells[9])]),
    );
    expect(england.get('M202')).toBeGreaterThan(0);
    expect(england.get('M185')! + england.get('M187')! + england.get('M189')!).toBe(england.get('M202'));
  }, 120_000); // the whole pipeline (12 submissions, a month processed, a publication): about 25 s alone on 2 cores

  it('refuses a bad --months as a usage error', async () => {
    const { code, err } = await run('demo', '--out', join(dir, 'demo-bad'), '--months', '2024-09..2024-07');
    expect(code).toBe(2);
    expect(err).toContain('--months');
  });
});
