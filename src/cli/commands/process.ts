import type { Command } from 'commander';
import { derivePeriod } from '../../derivation/index.js';
import { processPeriod } from '../../linkage/process.js';
import { periodArgument } from '../arguments.js';
import type { Io } from '../io.js';
import type { Config } from '../../core/config.js';
import { DATABASE_URL_OPTION, databaseUrlOf } from './submit.js';

export function registerProcess(program: Command, io: Io, config: Config): void {
  program
    .command('process')
    .description("build a period's post-deadline national tables: counting submissions linked across months under pseudonyms")
    .requiredOption('--data <dir>', 'data directory', config.dataDir)
    .requiredOption('--period <YYYY-MM>', 'reporting period')
    .option('--reference <dir>', 'reference data, for postcode geography (LSOA, IMD decile, sub-ICB of residence) and organisation geography (commissioner region and ICB; without it they are empty and published as UNKNOWN)')
    .option(...DATABASE_URL_OPTION)
    .action(async (opts: { data: string; period: string; reference?: string; databaseUrl?: string }) => {
      periodArgument('--period', opts.period);
      const databaseUrl = databaseUrlOf(opts.databaseUrl, config);
      const result = await processPeriod({ dataDir: opts.data, period: opts.period, pseudoKey: config.pseudoKey, databaseUrl, ...(opts.reference ? { referenceDir: opts.reference } : {}), afterLink: (folder) => derivePeriod(folder, opts.period, opts.reference) });
      io.out(`Processed ${result.period}: ${result.submissions} counting submissions from ${result.providers} providers → ${result.folder}\n`);
      io.out(`  ${result.rows.IDS101Referral!.toLocaleString('en-GB')} pathways, ${result.rows.IDS001MPI!.toLocaleString('en-GB')} people, ${result.rows.IDS201CareContact!.toLocaleString('en-GB')} contacts to date\n`);
      for (const p of result.continuity.providers) {
        const flags = [!p.submitted ? 'NO SUBMISSION' : '', p.missingThisPeriod ? `${p.missingThisPeriod} of ${p.openPreviousPeriod} open referrals from ${result.continuity.previousPeriod} missing` : '', p.personIdChanged ? `${p.personIdChanged} person ids changed` : '', p.commissionerChanged ? `${p.commissionerChanged} commissioners changed` : ''].filter(Boolean);
        io.out(`  continuity ${p.provider}: ${flags.length ? flags.join('; ') : 'ok'}\n`);
      }
    });
}
