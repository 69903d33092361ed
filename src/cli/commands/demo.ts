import type { Command } from 'commander';
import { rmSync } from 'node:fs';
import { TABLE_NAMES } from '../../dataset/index.js';
import { generate } from '../../synth/generate.js';
import type { Io } from '../io.js';

/** `iapt demo`: the main job on embedded defaults. Each pipeline stage adds its step here as it lands. */
export function registerDemo(program: Command, io: Io): void {
  program
    .command('demo')
    .description('run the pipeline end to end on a small synthetic data set')
    .option('--out <dir>', 'working folder', 'demo-output')
    .action((opts: { out: string }) => {
      rmSync(opts.out, { recursive: true, force: true });
      io.out('IAPT platform demo\n\n1. Synthetic submissions (iapt synth --providers 3 --months 2024-04..2024-09 --refresh)\n');
      const result = generate({ providers: 3, months: '2024-04..2024-09', seed: 'demo', out: `${opts.out}/submissions`, scale: 'small', refresh: true, defects: 0 });
      const totals = new Map<string, number>(TABLE_NAMES.map((t) => [t, 0]));
      for (const f of result.files) for (const t of TABLE_NAMES) totals.set(t, totals.get(t)! + f.rows[t]);
      const providers = [...new Set(result.files.map((f) => f.provider))];
      io.out(`   ${result.files.length} zip files for providers ${providers.join(', ')} (Primary and Refresh, April–September 2024)\n`);
      io.out(`   ${result.totalRows.toLocaleString('en-GB')} rows in all:\n`);
      for (const [t, n] of totals) io.out(`     ${t.padEnd(32)} ${n.toLocaleString('en-GB').padStart(8)}\n`);
      io.out(`   reference data: ${result.referenceFiles.join(', ')}\n`);
      io.out(`\nFiles are in ${opts.out}/submissions. Next stages (validation, store, linkage, derivations, measures) arrive with their issues.\n`);
    });
}
