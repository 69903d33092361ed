import type { Command } from 'commander';
import { IaptError } from '../../core/errors.js';
import { Catalog } from '../../store/catalog.js';
import { submit } from '../../store/submit.js';
import { periodArgument, receivedArgument } from '../arguments.js';
import type { Io } from '../io.js';
import { databaseUrlValue, type Config } from '../../core/config.js';

/** `--database-url`: the catalog in PostgreSQL (service mode), by default IAPT_DATABASE_URL; without either, the data directory's catalog.duckdb. */
export const DATABASE_URL_OPTION = ['--database-url <url>', "the catalog's PostgreSQL database (service mode; default IAPT_DATABASE_URL, else the data directory's catalog.duckdb)"] as const;

/** The catalog database a command uses: the option's (checked), else the configuration's, else null (embedded). */
export function databaseUrlOf(given: string | undefined, config: Config): string | null {
  return given !== undefined ? databaseUrlValue('--database-url', given) : config.databaseUrl;
}

export function registerSubmit(program: Command, io: Io, config: Config): void {
  program
    .command('submit <submission>')
    .description('validate a submission, register it in the catalog and store its accepted records (Parquet)')
    .requiredOption('--data <dir>', 'data directory (catalog, stored submissions)', config.dataDir)
    .option('--received <iso-datetime>', 'upload time (default: now); decides the Primary or Refresh window')
    .option('--reference <dir>', 'reference data folder for the reference rules')
    .option('--provider <code>', 'organisation code of the submitting login')
    .option('--late', 'accept a file received outside its submission windows (recorded as late)')
    .option(...DATABASE_URL_OPTION)
    .action(async (submission: string, opts: { data: string; received?: string; reference?: string; provider?: string; late?: boolean; databaseUrl?: string }) => {
      const received = opts.received ? receivedArgument(opts.received) : undefined;
      const databaseUrl = databaseUrlOf(opts.databaseUrl, config);
      const result = await submit(submission, {
        dataDir: opts.data,
        databaseUrl,
        ...(received ? { received } : {}),
        ...(opts.reference ? { referenceDir: opts.reference } : {}),
        ...(opts.provider ? { provider: opts.provider } : {}),
        late: Boolean(opts.late),
      });
      if (result.status === 'duplicate') {
        io.out(`DUPLICATE  identical bytes were already received as submission ${result.duplicateOf} (${result.outcome}); nothing stored\n`);
        return;
      }
      if (result.status === 'refused') throw new IaptError('negative', `refused: ${result.reason}`);
      io.out(
        `${result.outcome === 'accepted' ? 'ACCEPTED' : 'REJECTED'}  submission ${result.id}: ${result.provider} ${result.period} ${result.placement.fileType}${result.late ? ' (late)' : ''}\n` +
          `  report: ${result.folder}/report/report.html${result.outcome === 'accepted' ? `; records: ${result.folder}/tables/` : ''}\n`,
      );
      if (result.outcome === 'rejected') throw new IaptError('negative', '');
    });
}

export function registerSubmissions(program: Command, io: Io, config: Config): void {
  program
    .command('submissions')
    .description('list registered submissions and which one counts for each provider and period')
    .requiredOption('--data <dir>', 'data directory', config.dataDir)
    .option('--provider <code>', 'only this provider')
    .option('--period <YYYY-MM>', 'only this reporting period')
    .option('--json', 'JSON')
    .option(...DATABASE_URL_OPTION)
    .action(async (opts: { data: string; provider?: string; period?: string; json?: boolean; databaseUrl?: string }) => {
      if (opts.period) periodArgument('--period', opts.period);
      const databaseUrl = databaseUrlOf(opts.databaseUrl, config);
      // Read-only: works on a read-only data directory, creates nothing, and waits for a submit's short store step.
      const catalog = await Catalog.open(opts.data, { readOnly: true, waitMs: 60_000, databaseUrl });
      try {
        const rows = await catalog.submissions({ ...(opts.provider ? { provider: opts.provider } : {}), ...(opts.period ? { period: opts.period } : {}) });
        if (opts.json) {
          io.out(JSON.stringify(rows, null, 2) + '\n');
          return;
        }
        io.out(`${'id'.padStart(5)}  provider  period   type     received             outcome   rows     counts\n`);
        for (const r of rows) {
          io.out(
            `${String(r.id).padStart(5)}  ${r.provider.padEnd(8)}  ${r.period}  ${(r.file_type + (r.late ? '*' : '')).padEnd(8)} ${r.received.slice(0, 19).padEnd(20)} ${r.outcome.padEnd(9)} ${String(r.rows_accepted).padStart(7)}  ${r.counts ? 'yes' : ''}\n`,
          );
        }
        io.out(`${rows.length} submissions${rows.some((r) => r.late) ? ' (* late)' : ''}\n`);
      } finally {
        await catalog.close();
      }
    });
}
