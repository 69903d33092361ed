import type { Command } from 'commander';
import { preDeadlineExtract } from '../../extracts/preDeadline.js';
import { providerExtract } from '../../extracts/provider.js';
import { usageError } from '../../core/errors.js';
import { outputFileArgument, periodArgument } from '../arguments.js';
import type { Io } from '../io.js';
import type { Config } from '../../core/config.js';

interface Options {
  data: string;
  period?: string;
  provider?: string;
  submission?: string;
  reference?: string;
  out: string;
  force?: boolean;
}

const EITHER = 'give --period and --provider (the post-deadline extract) or --submission (the pre-deadline extract of a stored submission)';

export function registerProviderExtract(extract: Command, io: Io, config: Config): void {
  extract
    .command('provider')
    .description("a provider's extract: its IDS101 pathways for the period with every derived item, post-deadline (--period, --provider) or pre-deadline (--submission), with a manifest beside it")
    .requiredOption('--data <dir>', 'data directory', config.dataDir)
    .option('--period <YYYY-MM>', 'reporting period (processed): the post-deadline extract')
    .option('--provider <code>', 'provider (OrgIDProv), with --period')
    .option('--submission <id>', 'a stored submission (iapt submissions): the extract as if it were the final one for its period, not yet processed')
    .option('--reference <dir>', 'reference data, with --submission, as iapt process --reference uses it')
    .requiredOption('--out <file>', 'output file, .csv or .parquet (FILE.manifest.json is written beside it)')
    .option('--force', 'replace the output file if it exists')
    .action(async (opts: Options) => {
      const final = opts.period !== undefined || opts.provider !== undefined;
      if (final && opts.submission !== undefined) throw usageError(`--submission cannot be given with --period or --provider: ${EITHER}`);
      if (!final && opts.submission === undefined) throw usageError(EITHER);
      if (final && (opts.period === undefined || opts.provider === undefined)) throw usageError(`${opts.period === undefined ? '--period' : '--provider'} is missing: ${EITHER}`);
      if (final && opts.reference !== undefined) throw usageError('--reference applies to the pre-deadline extract (--submission) only: the post-deadline extract reads the processed tables');
      if (opts.period !== undefined) periodArgument('--period', opts.period);
      if (opts.submission !== undefined && !/^[1-9]\d{0,9}$/.test(opts.submission.trim())) throw usageError(`--submission: "${opts.submission}" is not a submission id (a whole number, as iapt submissions lists them)`);
      if (!/\.(csv|parquet)$/i.test(opts.out)) throw usageError(`--out: "${opts.out}" must end in .csv or .parquet`);
      outputFileArgument('--out', opts.out, Boolean(opts.force));
      if (opts.submission !== undefined) {
        const submissionId = Number(opts.submission.trim());
        const r = await preDeadlineExtract({ dataDir: opts.data, submissionId, out: opts.out, pseudoKey: config.pseudoKey, ...(opts.reference ? { referenceDir: opts.reference } : {}) });
        io.out(`Wrote ${r.rows.toLocaleString('en-GB')} pathways of ${r.provider} for ${r.period} as they would be if submission ${submissionId} were final (pre-deadline; ${r.submissions.length} submissions linked) to ${r.out}\n`);
        io.out(`  manifest: ${r.manifest}\n`);
        return;
      }
      const { rows, out, manifest } = await providerExtract({ dataDir: opts.data, period: opts.period!, pseudoKey: config.pseudoKey, provider: opts.provider!, out: opts.out });
      io.out(`Wrote ${rows.toLocaleString('en-GB')} pathways of ${opts.provider} for ${opts.period} to ${out}\n`);
      io.out(`  manifest: ${manifest}\n`);
    });
}
