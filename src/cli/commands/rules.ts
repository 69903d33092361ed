import type { Command } from 'commander';
import { RULES } from '../../validation/rules/index.js';
import { renderRulesMarkdown } from '../../validation/rules/render.js';
import { kindOf } from '../../validation/types.js';
import type { Io } from '../io.js';

/** The rule catalogue as `iapt rules --json` prints it: exactly these keys. */
export function ruleCatalogue() {
  return RULES.map((r) => ({ code: r.code, severity: r.severity, table: r.table, fields: [...r.fields], kind: kindOf(r), message: r.message }));
}

export function registerRules(program: Command, io: Io): void {
  program
    .command('rules')
    .description('list every implemented validation rule: code, severity, table, fields, kind, message')
    .option('--json', 'JSON array of {code, severity, table, fields, kind, message}')
    .option('--markdown', 'the rule catalogue document (docs/rules.md)')
    .action((opts: { json?: boolean; markdown?: boolean }) => {
      if (opts.markdown) {
        io.out(renderRulesMarkdown());
        return;
      }
      const rules = ruleCatalogue();
      if (opts.json) {
        io.out(JSON.stringify(rules, null, 2) + '\n');
        return;
      }
      for (const r of rules) io.out(`${r.code.padEnd(9)} ${r.severity.padEnd(13)} ${r.table.padEnd(32)} ${r.fields.join('+').padEnd(28)} ${r.kind.padEnd(12)} ${r.message}\n`);
      io.out(`${rules.length} rules (${RULES.filter((r) => r.origin === 'nhs').length} NHS, ${RULES.filter((r) => r.origin === 'ours').length} ours)\n`);
    });
}
