import type { Command } from 'commander';
import { generate, PROVIDERS_AT_NATIONAL_SCALE, type Scale } from '../../synth/generate.js';
import { monthRange } from '../../synth/calendar.js';
import { usageError } from '../../core/errors.js';
import { outputFolderArgument } from '../arguments.js';
import type { Io } from '../io.js';

interface SynthFlags {
  providers?: string;
  months: string;
  seed: string;
  out: string;
  scale: string;
  refresh?: boolean;
  defects?: string;
}

export function parseSynthFlags(opts: SynthFlags) {
  if (opts.scale !== 'small' && opts.scale !== 'national') throw usageError(`--scale must be small or national, not "${opts.scale}"`);
  const scale: Scale = opts.scale;
  const providers = opts.providers === undefined ? (scale === 'national' ? PROVIDERS_AT_NATIONAL_SCALE : 3) : Number(opts.providers);
  if (!Number.isInteger(providers) || providers < 1 || providers > 1000) throw usageError(`--providers must be a whole number from 1 to 1000, not "${opts.providers}"`);
  try {
    monthRange(opts.months);
  } catch (error) {
    throw usageError(`--months: ${(error as Error).message}`);
  }
  const defects = opts.defects === undefined ? 0 : Number(opts.defects);
  if (!Number.isFinite(defects) || defects < 0 || defects > 1) throw usageError(`--defects must be a rate between 0 and 1, not "${opts.defects}"`);
  outputFolderArgument('--out', opts.out);
  return { providers, months: opts.months, seed: opts.seed, out: opts.out, scale, refresh: Boolean(opts.refresh), defects };
}

export function registerSynth(program: Command, io: Io): void {
  program
    .command('synth')
    .description('write synthetic monthly submissions (one zip of CSVs per provider and month) and their reference data')
    .option('--providers <n>', 'number of providers (default 3; 150 at national scale)')
    .option('--months <range>', 'reporting periods, YYYY-MM..YYYY-MM', '2024-04..2025-03')
    .option('--seed <seed>', 'seed: the same arguments give byte-identical files', '1')
    .requiredOption('--out <dir>', 'output folder')
    .option('--scale <scale>', 'small or national volumes', 'small')
    .option('--refresh', 'also write a Refresh submission for every period')
    .option('--defects <rate>', 'inject defects at this rate (about rate × rows per file) and list them in defects.json')
    .action((opts: SynthFlags) => {
      const options = parseSynthFlags(opts);
      const started = Date.now();
      const result = generate({
        ...options,
        onProgress: (done, total, code) => {
          if (options.scale === 'national' || total > 20) io.err(`  provider ${done}/${total} (${code})\n`);
        },
      });
      io.out(
        `Wrote ${result.files.length} submissions (${result.totalRows.toLocaleString('en-GB')} rows) for ${options.providers} providers ` +
          `to ${options.out} in ${((Date.now() - started) / 1000).toFixed(1)} s; reference data in ${options.out}/reference; manifest.json lists every file with its sha256.\n`,
      );
      if (options.defects > 0) io.out(`Injected ${result.defects.length} defects, listed in ${options.out}/defects.json.\n`);
    });
}
