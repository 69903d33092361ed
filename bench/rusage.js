// Runs the compiled CLI in this process and records its resource usage, because Node
// cannot read a child's rusage (no wait4). bench/run.js spawns it as
//
//   node bench/rusage.js <out-json-file> <script> ...args
//
// where <script> is the launcher being stood in for (bin/iapt.js) and args are the CLI
// arguments. When main() settles it writes
//   { exitCode, maxRssBytes, userCpuMicros, systemCpuMicros }
// to <out-json-file> and exits with the CLI's exit code. maxRSS is the peak for the
// whole process lifetime (start-up included), in kilobytes.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const [outFile, script, ...args] = process.argv.slice(2);
if (!outFile || !script) {
  console.error('usage: node bench/rusage.js <out-json-file> <script> [args...]');
  process.exit(64);
}

// Make the CLI see the same argv as `node <script> ...args`.
process.argv = [process.argv[0], resolve(script), ...args];

// bin/iapt.js stands for the compiled CLI; any other script is a bench module exporting main(args).
const entry = script.endsWith('bin/iapt.js') ? new URL('../dist/cli/main.js', import.meta.url).href : new URL(`file://${resolve(script)}`).href;
const { main } = await import(entry);
const exitCode = await main(args);

const usage = process.resourceUsage();
writeFileSync(
  outFile,
  JSON.stringify({
    exitCode,
    maxRssBytes: usage.maxRSS * 1024,
    userCpuMicros: usage.userCPUTime,
    systemCpuMicros: usage.systemCPUTime,
  }) + '\n',
);
// Like bin/iapt.js: set the code rather than process.exit(), so buffered stdout is not cut short.
process.exitCode = exitCode;
