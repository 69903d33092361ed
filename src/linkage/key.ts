// The pseudonymisation key: IAPT_PSEUDO_KEY (read once by the configuration, src/core/config.ts, and handed in by
// the caller), or a key file in the data directory created on first use with owner-only permissions. The key never appears in output, logs, reports or SQL text; the catalog keeps
// only its fingerprint (keyFingerprint), so that a period is never processed under another key than the others.
import { readConfig } from '../core/config.js';
import { IaptError } from '../core/errors.js';
import { PRIVATE_FILE_MODE } from '../core/files.js';
import { isPeriod } from '../dataset/index.js';
import { createHmac, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class KeyError extends IaptError {
  constructor(message: string) {
    super('input', message);
    this.name = 'KeyError';
  }
}

/** The catalog setting holding the key's fingerprint. */
export const KEY_FINGERPRINT_SETTING = 'pseudonymisation_key_fingerprint';

function parse(text: string, source: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (t.length >= 32) return Buffer.from(t, 'utf8');
  throw new KeyError(`${source}: the pseudonymisation key must be 64 hex digits or at least 32 characters`);
}

/**
 * Identifies a key without revealing it: HMAC-SHA256 under the key of a fixed label (a different message from
 * every pseudonym's, which are prefixed nhs:, local: or pathway:), as 64 hex digits.
 */
export function keyFingerprint(key: Buffer): string {
  return createHmac('sha256', key).update('iapt-key-fingerprint:v1').digest('hex');
}

/** The periods already processed in the data directory (folders processed/YYYY-MM). */
function processedPeriods(dataDir: string): string[] {
  const root = join(dataDir, 'processed');
  return existsSync(root) ? readdirSync(root).filter(isPeriod) : [];
}

const keyHelp = (path: string) => `restore ${path} from your backup (it must be the key the earlier periods were processed with), or set IAPT_PSEUDO_KEY to that key`;

export interface KeyOptions {
  /** The key given as IAPT_PSEUDO_KEY (null: none, use the key file); by default the configuration's. */
  pseudoKey?: string | null;
  /** False when the caller knows of a recorded fingerprint: a missing key file is then an error, never made anew. */
  mayCreate?: boolean;
}

/** The key given in the environment, unless the caller hands one in (null: the data directory's key file). */
export const givenKey = (options: Pick<KeyOptions, 'pseudoKey'>): string | null => (options.pseudoKey === undefined ? readConfig().pseudoKey : options.pseudoKey);

/**
 * The key of a data directory. A key file is created only when nothing was processed with a key before: not
 * when `mayCreate` is false (the caller knows of a recorded fingerprint) nor when processed periods exist; a new
 * key then would silently give every person and pathway new pseudonyms.
 */
export function loadPseudonymKey(dataDir: string, options: KeyOptions = {}): Buffer {
  const given = givenKey(options);
  if (given) return parse(given, 'IAPT_PSEUDO_KEY');
  const path = join(dataDir, 'pseudo.key');
  if (!existsSync(path)) {
    const periods = processedPeriods(dataDir);
    if (options.mayCreate === false || periods.length > 0) {
      const what = periods.length > 0 ? `periods ${periods.sort().join(', ')} were processed with a key` : 'the catalog records the fingerprint of the key earlier periods were processed with';
      throw new KeyError(`the pseudonymisation key file ${path} is missing, but ${what}: ${keyHelp(path)}. A new key would change every Person_ID and PathwayID`);
    }
    // Written in full under a private name, then linked into place: a concurrent reader never sees half a key,
    // and of two processes making one at once, the first wins and the other uses it.
    const fresh = `${path}.${process.pid}.new`;
    const fd = openSync(fresh, 'w', PRIVATE_FILE_MODE);
    try {
      writeSync(fd, randomBytes(32).toString('hex') + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(fresh, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(fresh, { force: true });
    }
  }
  if ((statSync(path).mode & 0o077) !== 0) throw new KeyError(`${path} must be readable by its owner only (chmod 600)`);
  return parse(readFileSync(path, 'utf8'), path);
}

/** Refuses a key whose fingerprint differs from the one recorded for the data directory. */
export function checkKeyFingerprint(key: Buffer, recorded: string | null, dataDir: string, options: Pick<KeyOptions, 'pseudoKey'> = {}): void {
  if (recorded === null || recorded === keyFingerprint(key)) return;
  const source = givenKey(options) ? 'IAPT_PSEUDO_KEY' : join(dataDir, 'pseudo.key');
  throw new KeyError(
    `the pseudonymisation key (${source}) is not the key earlier periods of ${dataDir} were processed with (its fingerprint differs from the catalog's): ` +
      `${keyHelp(join(dataDir, 'pseudo.key'))}, or unset IAPT_PSEUDO_KEY if the key file is right. Pseudonyms under another key would not link across months`,
  );
}
