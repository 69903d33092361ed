import type { Command } from 'commander';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { TABLE_NAMES } from '../../dataset/index.js';
import { addMonths } from '../../synth/calendar.js';
import { generate } from '../../synth/generate.js';
import { validateSubmission } from '../../validation/index.js';
import type { Io } from '../io.js';

/** `iapt demo`: the main job on embedded defaults. Each pipeline stage adds its step here as it lands. */
export function registerDemo(program: Command, io: Io): void {
  program
    .command('demo')
    .description('run the pipeline end to end on a small synthetic data set')
    .option('--out <dir>', 'working folder', 'demo-output')
    .action(async (opts: { out: string }) => {
      rmSync(opts.out, { recursive: true, force: true });
      const submissions = join(opts.out, 'submissions');
      io.out('IAPT platform demo\n\n1. Synthetic submissions (iapt synth --providers 3 --months 2024-04..2024-09 --refresh --defects 0.005)\n');
      const result = generate({ providers: 3, months: '2024-04..2024-09', seed: 'demo', out: submissions, scale: 'small', refresh: true, defects: 0.005 });
      const totals = new Map<string, number>(TABLE_NAMES.map((t) => [t, 0]));
      for (const f of result.files) for (const t of TABLE_NAMES) totals.set(t, totals.get(t)! + f.rows[t]);
      const providers = [...new Set(result.files.map((f) => f.provider))];
      io.out(`   ${result.files.length} zip files for providers ${providers.join(', ')} (Primary and Refresh, April–September 2024)\n`);
      io.out(`   ${result.totalRows.toLocaleString('en-GB')} rows in all, with ${result.defects.length} seeded defects (defects.json):\n`);
      for (const [t, n] of totals) io.out(`     ${t.padEnd(32)} ${n.toLocaleString('en-GB').padStart(8)}\n`);
      io.out(`   reference data: ${result.referenceFiles.join(', ')}\n`);

      io.out('\n2. Validation of every submission (iapt validate --period --provider --reference)\n');
      let accepted = 0;
      for (const f of result.files) {
        const out = join(opts.out, 'validation', f.provider, f.period, f.fileType);
        const { report } = await validateSubmission(join(submissions, f.path), {
          period: f.period,
          provider: f.provider,
          // Received in the Primary window (the month after the period) or the Refresh window (the month after that).
          received: `${addMonths(f.period, f.fileType === 'primary' ? 1 : 2)}-20T12:00:00`,
          referenceDir: join(submissions, 'reference'),
          outDir: out,
        });
        if (report.outcome === 'accepted') accepted++;
        const rejected = report.tables.reduce((n, t) => n + t.rejected, 0);
        const warnings = report.findings.filter((x) => x.severity === 'warning').reduce((n, x) => n + x.count, 0);
        io.out(`   ${f.path.padEnd(36)} ${report.outcome.toUpperCase().padEnd(9)} ${String(rejected).padStart(4)} rows rejected, ${String(warnings).padStart(3)} warnings\n`);
      }
      io.out(`   ${accepted} of ${result.files.length} accepted; reports (report.html, report.json, findings.csv) in ${opts.out}/validation\n`);
      io.out('\nNext stages (store, linkage, derivations, measures) arrive with their issues.\n');
    });
}
