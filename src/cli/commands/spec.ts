import type { Command } from 'commander';
import { findTable, TABLES } from '../../dataset/index.js';
import { renderMarkdown, renderText, specAsJson } from '../../dataset/render.js';
import { usageError } from '../../core/errors.js';
import type { Io } from '../io.js';

export function registerSpec(program: Command, io: Io): void {
  program
    .command('spec')
    .description('print the IAPT v2.1 data set specification (tables, items, code lists, thresholds)')
    .option('--table <name>', 'only this table (IDB name such as IDS101Referral, or id such as IDS101)')
    .option('--json', 'machine-readable JSON')
    .option('--markdown', 'the Markdown reference (docs/dataset.md)')
    .action((opts: { table?: string; json?: boolean; markdown?: boolean }) => {
      let tables = TABLES;
      if (opts.table) {
        const found = findTable(opts.table);
        if (!found) throw usageError(`unknown table "${opts.table}"; tables are ${TABLES.map((t) => t.name).join(', ')}`);
        tables = [found];
      }
      if (opts.markdown) {
        if (opts.table) throw usageError('--markdown renders the whole spec; drop --table');
        io.out(renderMarkdown());
      } else if (opts.json) {
        io.out(JSON.stringify(specAsJson(tables), null, 2) + '\n');
      } else {
        io.out(renderText(tables));
      }
    });
}
