import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('package-lock.json', () => {
  it('records every DuckDB platform package, so `npm ci` accepts it (run `node scripts/lock-platforms.mjs` when this fails)', () => {
    const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));
    const optional = Object.keys(lock.packages['node_modules/@duckdb/node-bindings'].optionalDependencies);
    for (const name of optional) expect(lock.packages[`node_modules/${name}`], name).toBeDefined();
  });
});
