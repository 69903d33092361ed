// A fixed synthetic 12-month run through submit → process → derive → extract:
// - the provider extract's derived columns match the committed golden file;
// - the derived outcome flags reproduce the generator's intended rates.
// After an intended change: UPDATE_GOLDEN=1 npx vitest run test/derivation/golden.test.ts, then review the diff.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derivePeriod } from '../../src/derivation/index.js';
import { providerExtract } from '../../src/extracts/provider.js';
import { openDb } from '../../src/core/db.js';
import { processPeriod } from '../../src/linkage/process.js';
import { submit } from '../../src/store/submit.js';
import { generate } from '../../src/synth/generate.js';
import { receivedFor } from '../store/helpers.js';
import { readRows } from '../helpers/db.js';

const GOLDEN = new URL('../golden/derivation/', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'iapt-derive-golden-'));
const data = join(root, 'data');
const synth = join(root, 'synth');
let provider = '';

beforeAll(async () => {
  process.env.IAPT_PSEUDO_KEY = 'golden-key-for-tests-only-0123456789abcdef';
  const result = generate({ providers: 4, months: '2024-04..2025-03', seed: 'derive', out: synth, scale: 'small', refresh: false, defects: 0 });
  provider = result.files[0]!.provider;
  for (const f of result.files) {
    const r = await submit(join(synth, f.path), { dataDir: data, received: receivedFor(f.period, 'primary') });
    expect(r.status).toBe('stored');
  }
  await processPeriod({ dataDir: data, period: '2025-03', referenceDir: join(synth, 'reference'), afterLink: (folder) => derivePeriod(folder, '2025-03', join(synth, 'reference')) });
}, 300_000);
afterAll(() => {
  delete process.env.IAPT_PSEUDO_KEY;
  rmSync(root, { recursive: true, force: true });
});

describe('derivations on a 12-month synthetic run', () => {
  it('produce the committed provider extract', async () => {
    const out = join(root, 'extract.csv');
    const { rows } = await providerExtract({ dataDir: data, period: '2025-03', provider, out });
    expect(statSync(out).mode & 0o777, 'the extract holds identifiers: owner only').toBe(0o600);
    expect(rows).toBeGreaterThan(50);
    const actual = readFileSync(out, 'utf8');
    const path = join(GOLDEN, 'provider-extract.csv');
    // A missing golden file is created on purpose only: never under CI, where it must already be committed.
    if (process.env.UPDATE_GOLDEN || (!existsSync(path) && !process.env.CI)) writeFileSync(path, actual);
    expect(actual).toBe(readFileSync(path, 'utf8'));
  });

  it('reproduce the generator’s intended outcome rates (recovery ≈ 50 %, improvement ≈ 67 %, deterioration ≈ 6 %)', async () => {
    const db = await openDb();
    try {
      const [r] = await readRows<{ finishers: number; not_caseness: number; recovered: number; improved: number; deteriorated: number; no_change: number; paired: number }>(db, 
        `SELECT count(*)::INT AS finishers, count(*) FILTER (WHERE NotCaseness_Flag)::INT AS not_caseness, count(*) FILTER (WHERE Recovery_Flag)::INT AS recovered, ` +
          `count(*) FILTER (WHERE ReliableImprovement_Flag)::INT AS improved, count(*) FILTER (WHERE ReliableDeterioration_Flag)::INT AS deteriorated, ` +
          `count(*) FILTER (WHERE NoChange_Flag)::INT AS no_change, count(*) FILTER (WHERE PHQ9_LastScore IS NOT NULL AND ADSM_LastScore IS NOT NULL)::INT AS paired ` +
          `FROM read_parquet('${join(data, 'processed', '2025-03', 'IDS101Referral.parquet')}') WHERE CompletedTreatment_Flag AND d(ReferralRequestReceivedDate) >= DATE '2024-04-01'`,
      );
      const pct = (n: number, d: number) => (100 * n) / d;
      expect(r!.finishers).toBeGreaterThan(400);
      // Every finisher with paired scores (M202's condition) is improved, unchanged or deteriorated, and no other.
      expect(r!.improved + r!.no_change + r!.deteriorated).toBe(r!.paired);
      const recovery = pct(r!.recovered, r!.finishers - r!.not_caseness);
      expect(recovery).toBeGreaterThan(42);
      expect(recovery).toBeLessThan(58);
      expect(pct(r!.improved, r!.finishers)).toBeGreaterThan(59);
      expect(pct(r!.improved, r!.finishers)).toBeLessThan(75);
      expect(pct(r!.deteriorated, r!.finishers)).toBeGreaterThan(2);
      expect(pct(r!.deteriorated, r!.finishers)).toBeLessThan(11);
    } finally {
      db.close();
    }
  });
});
