// The npm registry this project's machines reach carries only DuckDB's linux-x64 binaries, so `npm install`
// leaves the other platforms' optional packages out of package-lock.json — and `npm ci` then refuses the
// lock. This records them as optional entries (with their os/cpu), which npm ci skips on other platforms.
// Run after changing dependencies: node scripts/lock-platforms.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const bindings = lock.packages['node_modules/@duckdb/node-bindings'];
const PLATFORM = /^@duckdb\/node-bindings-(darwin|linux|win32)-(x64|arm64)(-musl)?$/;
let added = 0;
for (const [name, version] of Object.entries(bindings.optionalDependencies ?? {})) {
  const key = `node_modules/${name}`;
  if (lock.packages[key]) continue;
  const m = PLATFORM.exec(name);
  if (!m) throw new Error(`unknown platform package ${name}`);
  lock.packages[key] = { version, cpu: [m[2]], license: 'MIT', optional: true, os: [m[1]], ...(m[1] === 'linux' ? { libc: [m[3] ? 'musl' : 'glibc'] } : {}) };
  added++;
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(path, JSON.stringify(lock, null, 2) + '\n');
console.log(`lock-platforms: ${added} platform entries added`);
