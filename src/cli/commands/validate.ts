import type { Command } from 'commander';
import { IaptError } from '../../core/errors.js';
import { validateSubmission } from '../../validation/index.js';
import { outputFolderArgument, periodArgument, receivedArgument } from '../arguments.js';
import type { Io } from '../io.js';

interface ValidateFlags {
  period?: string;
  provider?: string;
  received?: string;
  reference?: string;
  out: string;
}

export function registerValidate(program: Command, io: Io): void {
  program
    .command('validate <submission>')
    .description('check a submission (.zip or folder of CSVs, or an Access .mdb/.accdb) against every rule and write the report')
    .option('--period <YYYY-MM>', 'reporting period selected at upload (checked against the Header)')
    .option('--provider <code>', 'organisation code of the submitting login (checked against the Header)')
    .option('--received <iso-datetime>', 'upload time (default: now)')
    .option('--reference <dir>', 'reference data folder (organisations, GP practices, sites, postcodes); without it those rules are reported as not run')
    .option('--out <dir>', 'where to write report.json, findings.csv and report.html', 'validation-report')
    .action(async (submission: string, opts: ValidateFlags) => {
      if (opts.period) periodArgument('--period', opts.period);
      const received = opts.received ? receivedArgument(opts.received) : undefined;
      outputFolderArgument('--out', opts.out);
      const started = Date.now();
      const tty = process.stderr.isTTY;
      const tick = tty ? setInterval(() => io.err(`\rvalidating ${submission} … ${((Date.now() - started) / 1000).toFixed(0)} s`), 1000) : null;
      let result;
      try {
        result = await validateSubmission(submission, {
          ...(opts.period ? { period: opts.period } : {}),
          ...(opts.provider ? { provider: opts.provider } : {}),
          ...(received ? { received } : {}),
          ...(opts.reference ? { referenceDir: opts.reference } : {}),
          outDir: opts.out,
        });
      } finally {
        if (tick) {
          clearInterval(tick);
          io.err('\r\x1b[K');
        }
      }
      const { report } = result;
      const rejectedRows = report.tables.reduce((n, t) => n + t.rejected, 0);
      const rowsReceived = report.tables.reduce((n, t) => n + t.received, 0);
      const bySeverity = (s: string) => report.findings.filter((f) => f.severity === s).reduce((n, f) => n + f.count, 0);
      io.out(
        `${report.outcome === 'accepted' ? 'ACCEPTED' : 'REJECTED'}  ${submission}\n` +
          `  ${rowsReceived.toLocaleString('en-GB')} rows received, ${rejectedRows.toLocaleString('en-GB')} rejected; ` +
          `findings: ${bySeverity('reject_file')} file-level, ${bySeverity('reject_group')} group, ${bySeverity('reject_record')} record, ${bySeverity('warning')} warnings` +
          `${report.notRun.length > 0 ? `; ${report.notRun.length} rules not run` : ''}\n` +
          `  report: ${opts.out}/report.html (also report.json, findings.csv) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
      if (report.outcome === 'rejected') {
        for (const f of report.findings.filter((x) => x.severity === 'reject_file')) io.out(`  ${f.code} ${f.table}${f.field ? `.${f.field}` : ''}: ${f.message}\n`);
        throw new IaptError('negative', '');
      }
    });
}
