import type { Command } from 'commander';
import { providerExtract } from '../../extracts/provider.js';
import { usageError } from '../../core/errors.js';
import { outputFileArgument, periodArgument } from '../arguments.js';
import type { Io } from '../io.js';
import type { Config } from '../../core/config.js';

export function registerProviderExtract(extract: Command, io: Io, config: Config): void {
  extract
    .command('provider')
    .description("a provider's post-deadline extract: its IDS101 pathways for the period with every derived item")
    .requiredOption('--data <dir>', 'data directory', config.dataDir)
    .requiredOption('--period <YYYY-MM>', 'reporting period (processed)')
    .requiredOption('--provider <code>', 'provider (OrgIDProv)')
    .requiredOption('--out <file>', 'output file, .csv or .parquet')
    .option('--force', 'replace the output file if it exists')
    .action(async (opts: { data: string; period: string; provider: string; out: string; force?: boolean }) => {
      periodArgument('--period', opts.period);
      if (!/\.(csv|parquet)$/i.test(opts.out)) throw usageError(`--out: "${opts.out}" must end in .csv or .parquet`);
      outputFileArgument('--out', opts.out, Boolean(opts.force));
      const { rows, out } = await providerExtract({ dataDir: opts.data, period: opts.period, pseudoKey: config.pseudoKey, provider: opts.provider, out: opts.out });
      io.out(`Wrote ${rows.toLocaleString('en-GB')} pathways of ${opts.provider} for ${opts.period} to ${out}\n`);
    });
}
