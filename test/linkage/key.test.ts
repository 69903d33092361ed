// Issue 13: the pseudonymisation key is never silently replaced. A lost key file beside processed periods, or a
// key whose fingerprint differs from the catalog's, is refused with how to restore it; the catalog holds only
// the fingerprint. One month is submitted once (beforeAll); each test processes its own copy of that data directory.
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KEY_FINGERPRINT_SETTING, KeyError, keyFingerprint, loadPseudonymKey } from '../../src/linkage/key.js';
import { processPeriod } from '../../src/linkage/process.js';
import { Catalog } from '../../src/store/catalog.js';
import { submit } from '../../src/store/submit.js';
import { receivedFor, synthMonths } from '../store/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'iapt-key-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => void delete process.env.IAPT_PSEUDO_KEY);
const base = join(root, 'base');

beforeAll(async () => {
  const synth = join(root, 'synth');
  for (const f of synthMonths(synth, '2024-04..2024-04', 1).files) expect((await submit(join(synth, f.path), { dataDir: base, received: receivedFor(f.period, 'primary') })).status).toBe('stored');
});

/** A data directory of its own, holding the submitted month, nothing processed and no key yet. */
function dataDir(name: string): { data: string; keyFile: string } {
  const data = join(root, name);
  cpSync(base, data, { recursive: true });
  return { data, keyFile: join(data, 'pseudo.key') };
}

/** Processes April with the data directory's key file (whatever IAPT_PSEUDO_KEY the shell running the tests has). */
const processWithKeyFile = (data: string) => processPeriod({ dataDir: data, period: '2024-04', pseudoKey: null });

describe('the pseudonymisation key', () => {
  it('makes an owner-only key file on first use, and records its fingerprint, never the key, in the catalog', async () => {
    const { data, keyFile } = dataDir('first-use');
    await processWithKeyFile(data);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'hex');
    expect(key).toHaveLength(32);
    const catalog = await Catalog.open(data, { readOnly: true });
    try {
      expect(await catalog.setting(KEY_FINGERPRINT_SETTING)).toBe(keyFingerprint(key));
    } finally {
      catalog.close();
    }
    expect(readFileSync(join(data, 'catalog.duckdb')).includes(key.toString('hex'))).toBe(false);
  });

  it('refuses to make a new key when the key file is gone but periods were processed with one', async () => {
    const { data, keyFile } = dataDir('lost-key');
    await processWithKeyFile(data);
    renameSync(keyFile, join(root, 'key.backup'));
    const error = await processWithKeyFile(data).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyError);
    expect((error as KeyError).kind).toBe('input');
    expect((error as Error).message).toMatch(new RegExp(`${keyFile} is missing.*restore ${keyFile} from your backup.*IAPT_PSEUDO_KEY`));
    expect(() => loadPseudonymKey(data, { pseudoKey: null })).toThrow(/is missing/);
    // Even with the processed periods gone, the catalog's fingerprint stops a new key.
    rmSync(join(data, 'processed'), { recursive: true });
    await expect(processWithKeyFile(data)).rejects.toThrow(/is missing.*fingerprint/);
    expect(() => readFileSync(keyFile)).toThrow();
    renameSync(join(root, 'key.backup'), keyFile);
    expect((await processWithKeyFile(data)).period).toBe('2024-04');
  });

  it('takes IAPT_PSEUDO_KEY from the environment: refuses a different key there, accepts the same one', async () => {
    const { data, keyFile } = dataDir('environment');
    await processWithKeyFile(data);
    process.env.IAPT_PSEUDO_KEY = 'd'.repeat(64);
    await expect(processPeriod({ dataDir: data, period: '2024-04' })).rejects.toThrow(/\(IAPT_PSEUDO_KEY\) is not the key earlier periods/);
    process.env.IAPT_PSEUDO_KEY = readFileSync(keyFile, 'utf8').trim();
    expect((await processPeriod({ dataDir: data, period: '2024-04' })).period).toBe('2024-04');
  });

  it('refuses a key that is neither 64 hex digits nor 32 characters, naming IAPT_PSEUDO_KEY', () => {
    expect(() => loadPseudonymKey(root, { pseudoKey: 'short' })).toThrow(/IAPT_PSEUDO_KEY: the pseudonymisation key must be 64 hex digits or at least 32 characters/);
  });
});
