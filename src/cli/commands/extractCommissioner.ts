import type { Command } from 'commander';
import { commissionerExtract } from '../../extracts/commissioner.js';
import { usageError } from '../../core/errors.js';
import { outputFileArgument, periodArgument } from '../arguments.js';
import type { Io } from '../io.js';
import type { Config } from '../../core/config.js';

export function registerCommissionerExtract(extract: Command, io: Io, config: Config): void {
  extract
    .command('commissioner')
    .description("a commissioner's extract: every provider's pathways of the period that carry its code (OrgIDComm), without identifiable items, national data opt-out applied")
    .requiredOption('--data <dir>', 'data directory', config.dataDir)
    .requiredOption('--period <YYYY-MM>', 'reporting period (processed)')
    .requiredOption('--commissioner <code>', 'commissioner code (ORGANISATION IDENTIFIER (CODE OF COMMISSIONER), e.g. 00L)')
    .requiredOption('--out <file>', 'output file, .csv or .parquet (a manifest is written beside it)')
    .option('--force', 'replace the output file if it exists')
    .action(async (opts: { data: string; period: string; commissioner: string; out: string; force?: boolean }) => {
      periodArgument('--period', opts.period);
      if (!/\.(csv|parquet)$/i.test(opts.out)) throw usageError(`--out: "${opts.out}" must end in .csv or .parquet`);
      outputFileArgument('--out', opts.out, Boolean(opts.force));
      const r = await commissionerExtract({
        dataDir: opts.data,
        period: opts.period,
        commissioner: opts.commissioner,
        out: opts.out,
        optOutExemption: config.commissionerOptOutExemption,
        pseudoKey: config.pseudoKey,
      });
      const optOut = r.optOutApplied ? `national data opt-out applied (${r.peopleRemoved} people left out)` : `national data opt-out not applied: ${config.commissionerOptOutExemption}`;
      io.out(`Wrote ${r.rows.toLocaleString('en-GB')} pathways of commissioner ${opts.commissioner.trim().toUpperCase()} for ${opts.period} from ${r.providers.length === 1 ? 'provider' : `${r.providers.length} providers`} ${r.providers.join(', ')} to ${r.out}; ${optOut}; checked by check-extract\n`);
    });
}
