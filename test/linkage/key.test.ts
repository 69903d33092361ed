// Issue 13: the pseudonymisation key is never silently replaced. A lost key file beside processed periods, or a
// key whose fingerprint differs from the catalog's, is refused with how to restore it; the catalog holds only
// the fingerprint.
import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { KEY_FINGERPRINT_SETTING, KeyError, keyFingerprint, loadPseudonymKey } from '../../src/linkage/key.js';
import { processPeriod } from '../../src/linkage/process.js';
import { Catalog } from '../../src/store/catalog.js';
import { submit } from '../../src/store/submit.js';
import { receivedFor, synthMonths } from '../store/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-key-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => void delete process.env.IAPT_PSEUDO_KEY);
const synth = join(root, 'synth');
const months = synthMonths(synth, '2024-04..2024-04', 1);

describe('the pseudonymisation key', () => {
  const data = join(root, 'data');
  const keyFile = join(data, 'pseudo.key');

  it('records the fingerprint of the key, never the key, in the catalog', async () => {
    for (const f of months.files) await submit(join(synth, f.path), { dataDir: data, received: receivedFor(f.period, 'primary') });
    await processPeriod({ dataDir: data, period: '2024-04' });
    const key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'hex');
    const catalog = await Catalog.open(data, { readOnly: true });
    try {
      const fingerprint = await catalog.setting(KEY_FINGERPRINT_SETTING);
      expect(fingerprint).toBe(keyFingerprint(key));
      expect(fingerprint).not.toContain(key.toString('hex'));
    } finally {
      catalog.close();
    }
    expect(readFileSync(join(data, 'catalog.duckdb')).includes(key.toString('hex'))).toBe(false);
  }, 60_000);

  it('refuses to make a new key when the key file is gone but periods were processed with one', async () => {
    renameSync(keyFile, join(root, 'key.backup'));
    const error = await processPeriod({ dataDir: data, period: '2024-04' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyError);
    expect((error as KeyError).kind).toBe('input');
    expect((error as Error).message).toMatch(new RegExp(`${keyFile} is missing.*restore ${keyFile} from your backup.*IAPT_PSEUDO_KEY`));
    expect(() => loadPseudonymKey(data)).toThrow(/is missing/);
    // Even with the processed periods gone, the catalog's fingerprint stops a new key.
    rmSync(join(data, 'processed'), { recursive: true });
    await expect(processPeriod({ dataDir: data, period: '2024-04' })).rejects.toThrow(/is missing.*fingerprint/);
    expect(() => readFileSync(keyFile)).toThrow();
    renameSync(join(root, 'key.backup'), keyFile);
    expect((await processPeriod({ dataDir: data, period: '2024-04' })).period).toBe('2024-04');
  }, 60_000);

  it('refuses a different key (IAPT_PSEUDO_KEY changed), and accepts the same key given in IAPT_PSEUDO_KEY', async () => {
    process.env.IAPT_PSEUDO_KEY = 'd'.repeat(64);
    await expect(processPeriod({ dataDir: data, period: '2024-04' })).rejects.toThrow(/IAPT_PSEUDO_KEY.*is not the key earlier periods/);
    process.env.IAPT_PSEUDO_KEY = readFileSync(keyFile, 'utf8').trim();
    expect((await processPeriod({ dataDir: data, period: '2024-04' })).period).toBe('2024-04');
  }, 60_000);
});
