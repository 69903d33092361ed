import type { Command } from 'commander';
import { ExtractError, providerExtract } from '../../extracts/provider.js';
import { KeyError } from '../../linkage/key.js';
import { StoreError } from '../../store/catalog.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import type { Io } from '../io.js';

export function registerExtract(program: Command, io: Io): void {
  const extract = program.command('extract').description('record-level extracts');
  extract
    .command('provider')
    .description("a provider's post-deadline extract: its IDS101 pathways for the period with every derived item")
    .requiredOption('--data <dir>', 'data directory', 'iapt-data')
    .requiredOption('--period <YYYY-MM>', 'reporting period (processed)')
    .requiredOption('--provider <code>', 'provider (OrgIDProv)')
    .requiredOption('--out <file>', 'output file, .csv or .parquet')
    .action(async (opts: { data: string; period: string; provider: string; out: string }) => {
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(opts.period)) throw new UsageError(`--period: "${opts.period}" is not a reporting period (YYYY-MM)`);
      try {
        const { rows, out } = await providerExtract({ dataDir: opts.data, period: opts.period, provider: opts.provider, out: opts.out });
        io.out(`Wrote ${rows.toLocaleString('en-GB')} pathways of ${opts.provider} for ${opts.period} to ${out}\n`);
      } catch (error) {
        if (error instanceof ExtractError) throw new CliError(error.message, EXIT.input);
        if (error instanceof KeyError || error instanceof StoreError) throw new CliError(error.message, EXIT.input);
        throw error;
      }
    });
}
