import type { Command } from 'commander';
import { KeyError } from '../../linkage/key.js';
import { derivePeriod } from '../../derivation/index.js';
import { processPeriod } from '../../linkage/process.js';
import { StoreError } from '../../store/catalog.js';
import { CalendarError } from '../../store/windows.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import type { Io } from '../io.js';

export function registerProcess(program: Command, io: Io): void {
  program
    .command('process')
    .description("build a period's post-deadline national tables: counting submissions linked across months under pseudonyms")
    .requiredOption('--data <dir>', 'data directory', 'iapt-data')
    .requiredOption('--period <YYYY-MM>', 'reporting period')
    .option('--reference <dir>', 'reference data, for postcode geography (LSOA, IMD decile, sub-ICB of residence)')
    .action(async (opts: { data: string; period: string; reference?: string }) => {
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(opts.period)) throw new UsageError(`--period: "${opts.period}" is not a reporting period (YYYY-MM)`);
      let result;
      try {
        result = await processPeriod({ dataDir: opts.data, period: opts.period, ...(opts.reference ? { referenceDir: opts.reference } : {}), afterLink: (folder) => derivePeriod(folder, opts.period, opts.reference) });
      } catch (error) {
        if (error instanceof KeyError || error instanceof StoreError || error instanceof CalendarError) throw new CliError(error.message, EXIT.input);
        if (error instanceof Error && error.message.startsWith('no accepted submission')) throw new CliError(error.message, EXIT.negative);
        throw error;
      }
      io.out(`Processed ${result.period}: ${result.submissions} counting submissions from ${result.providers} providers → ${result.folder}\n`);
      io.out(`  ${result.rows.IDS101Referral!.toLocaleString('en-GB')} pathways, ${result.rows.IDS001MPI!.toLocaleString('en-GB')} people, ${result.rows.IDS201CareContact!.toLocaleString('en-GB')} contacts to date\n`);
      for (const p of result.continuity.providers) {
        const flags = [!p.submitted ? 'NO SUBMISSION' : '', p.missingThisPeriod ? `${p.missingThisPeriod} of ${p.openPreviousPeriod} open referrals from ${result.continuity.previousPeriod} missing` : '', p.personIdChanged ? `${p.personIdChanged} person ids changed` : '', p.commissionerChanged ? `${p.commissionerChanged} commissioners changed` : ''].filter(Boolean);
        io.out(`  continuity ${p.provider}: ${flags.length ? flags.join('; ') : 'ok'}\n`);
      }
    });
}
