// The pseudonymisation key: IAPT_PSEUDO_KEY, or a key file in the data directory created on first use
// with owner-only permissions. The key never appears in output, logs, reports or SQL text.
import { IaptError } from '../core/errors.js';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class KeyError extends IaptError {
  constructor(message: string) {
    super('input', message);
    this.name = 'KeyError';
  }
}

function parse(text: string, source: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (t.length >= 32) return Buffer.from(t, 'utf8');
  throw new KeyError(`${source}: the pseudonymisation key must be 64 hex digits or at least 32 characters`);
}

export function loadPseudonymKey(dataDir: string): Buffer {
  const fromEnv = process.env.IAPT_PSEUDO_KEY;
  if (fromEnv) return parse(fromEnv, 'IAPT_PSEUDO_KEY');
  const path = join(dataDir, 'pseudo.key');
  if (!existsSync(path)) {
    writeFileSync(path, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  }
  if ((statSync(path).mode & 0o077) !== 0) throw new KeyError(`${path} must be readable by its owner only (chmod 600)`);
  return parse(readFileSync(path, 'utf8'), path);
}
