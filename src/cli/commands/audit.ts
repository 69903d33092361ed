// `iapt audit verify|list`: the service's hash-chained audit trail (docs/service.md). verify exits 0 when the chain is
// intact and 1 naming the first bad row.
import type { Command } from 'commander';
import { IaptError, usageError } from '../../core/errors.js';
import { listAudit, verifyAudit } from '../../store/access.js';
import type { Io } from '../io.js';
import type { Config } from '../../core/config.js';
import { withWritableCatalog } from './users.js';
import { DATABASE_URL_OPTION, databaseUrlOf } from './submit.js';

function wholeNumber(flag: string, value: string, min: number, max: number): number {
  const n = /^\d{1,15}$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!(n >= min && n <= max)) throw usageError(`${flag}: "${value}" is not a whole number from ${min} to ${max}`);
  return n;
}

export function registerAudit(program: Command, io: Io, config: Config): void {
  const audit = program.command('audit').description('the audit trail: who read or changed what, when (hash-chained, append-only)');
  audit
    .command('verify')
    .description('check the hash chain: exit 0 if intact, 1 naming the first edited, inserted or deleted row')
    .requiredOption('--data <dir>', 'data directory', config.dataDir)
    .option(...DATABASE_URL_OPTION)
    .action(async (opts: { data: string; databaseUrl?: string }) => {
      const verdict = await withWritableCatalog(opts.data, databaseUrlOf(opts.databaseUrl, config), (catalog) => verifyAudit(catalog));
      if (!verdict.ok) throw new IaptError('negative', `audit trail NOT intact: first bad row ${verdict.firstBad}: ${verdict.problem} (${verdict.rows} rows intact before it)`);
      io.out(`audit trail intact: ${verdict.rows} rows, head ${verdict.head}\n`);
    });
  audit
    .command('list')
    .description('rows of the audit trail, oldest first: the last N, or N after a seq')
    .requiredOption('--data <dir>', 'data directory', config.dataDir)
    .option(...DATABASE_URL_OPTION)
    .option('--limit <n>', 'how many rows (1 to 10000)', '50')
    .option('--after <seq>', 'the rows after this seq (default: the last rows)')
    .option('--json', 'JSON')
    .action(async (opts: { data: string; databaseUrl?: string; limit: string; after?: string; json?: boolean }) => {
      const limit = wholeNumber('--limit', opts.limit, 1, 10_000);
      const afterSeq = opts.after === undefined ? undefined : wholeNumber('--after', opts.after, 0, Number.MAX_SAFE_INTEGER);
      const rows = await withWritableCatalog(opts.data, databaseUrlOf(opts.databaseUrl, config), (catalog) => listAudit(catalog, { limit, ...(afterSeq === undefined ? {} : { afterSeq }) }));
      if (opts.json) {
        io.out(JSON.stringify(rows, null, 2) + '\n');
        return;
      }
      for (const r of rows) {
        io.out(`${String(r.seq).padStart(7)}  ${r.at.slice(0, 23).replace('T', ' ')}  ${r.actor} (${r.role}${r.org ? ` ${r.org}` : ''})  ${r.action}  ${r.object || '-'}  ${r.outcome}  [${r.requestId}]\n`);
      }
      io.out(`${rows.length} rows\n`);
    });
}
