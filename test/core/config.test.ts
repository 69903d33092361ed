// The configuration is read and checked once: a wrong value is a usage error naming the variable.
import { describe, expect, it } from 'vitest';
import { IaptError } from '../../src/core/errors.js';
import { DEFAULT_DATA_DIR, DEFAULT_MEMORY_LIMIT, readConfig } from '../../src/core/config.js';

describe('core/config', () => {
  it('has defaults for an empty environment', () => {
    expect(readConfig({})).toEqual({ engine: { memoryLimit: DEFAULT_MEMORY_LIMIT, threads: null, spillRoot: null }, pseudoKey: null, dataDir: DEFAULT_DATA_DIR, debug: false, commissionerOptOutExemption: null, databaseUrl: null });
  });

  it('normalises memory sizes and reads threads, spill folder, key and data directory', () => {
    const config = readConfig({ IAPT_MEMORY_LIMIT: ' 1.5 gib ', IAPT_THREADS: '2', IAPT_TEMP_DIR: '/spill', IAPT_PSEUDO_KEY: 'k', IAPT_DATA_DIR: '/data', IAPT_DEBUG: '1', IAPT_COMMISSIONER_OPTOUT_EXEMPTION: ' CAG 21/CAG/0001 ', IAPT_DATABASE_URL: ' postgres://iapt@db.example:5432/iapt ' });
    expect(config).toEqual({ engine: { memoryLimit: '1.5GiB', threads: 2, spillRoot: '/spill' }, pseudoKey: 'k', dataDir: '/data', debug: true, commissionerOptOutExemption: 'CAG 21/CAG/0001', databaseUrl: 'postgres://iapt@db.example:5432/iapt' });
    expect(readConfig({ IAPT_DATABASE_URL: 'postgresql://localhost/iapt' }).databaseUrl).toBe('postgresql://localhost/iapt');
    expect(readConfig({ IAPT_MEMORY_LIMIT: '512mb' }).engine.memoryLimit).toBe('512MB');
  });

  it.each([['IAPT_MEMORY_LIMIT', 'lots'], ['IAPT_MEMORY_LIMIT', '2'], ['IAPT_MEMORY_LIMIT', '0GB'], ['IAPT_THREADS', '0'], ['IAPT_THREADS', 'two']])('refuses %s=%s as a usage error naming it', (name, value) => {
    let error: unknown;
    try {
      readConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IaptError);
    expect((error as IaptError).kind).toBe('usage');
    expect((error as IaptError).message).toContain(`${name}: "${value}"`);
  });

  it.each(['mysql://u@h/db', 'host=db dbname=iapt', 'postgres//missing-colon'])('refuses IAPT_DATABASE_URL=%s as a usage error naming it, without echoing the value', (value) => {
    let error: unknown;
    try {
      readConfig({ IAPT_DATABASE_URL: value });
    } catch (e) {
      error = e;
    }
    expect((error as IaptError).kind).toBe('usage');
    expect((error as IaptError).message).toContain('IAPT_DATABASE_URL: not a PostgreSQL URL');
    expect((error as IaptError).message).not.toContain(value);
  });
});
