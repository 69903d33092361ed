#!/usr/bin/env node
// Launcher for the compiled CLI (`npm ci` builds dist/ through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('iapt: dist/ is missing; run `npm run build` (npm ci does this through the prepare script).');
  process.exit(70);
}
// `iapt … | head` closes the pipe early: stop quietly, as command-line tools do.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
