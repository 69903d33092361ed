import type { Command } from 'commander';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { GAPS, MEASURES } from '../../measures/catalogue/index.js';
import { POLICIES, type PolicyName } from '../../measures/disclosure/policy.js';
import { IaptError, inputError, usageError } from '../../core/errors.js';
import { describe } from '../../measures/publish/metadata.js';
import { publish } from '../../measures/publish/index.js';
import { checkRelease } from '../../measures/release/check.js';
import { outputFolderArgument, periodArgument } from '../arguments.js';
import { headlineTable } from '../headline.js';
import { outcomeThresholdsJson, outcomeThresholdsText } from '../outcomeThresholds.js';
import type { Io } from '../io.js';
import type { Config } from '../../core/config.js';

const policyOf = (name: string): PolicyName => {
  if (!(name in POLICIES)) throw usageError(`--policy: "${name}" is not one of ${Object.keys(POLICIES).join(', ')}`);
  return name as PolicyName;
};

export function registerMeasures(program: Command, io: Io, config: Config): void {
  program
    .command('measures')
    .description('list the implemented NHS measures with their definitions, and the measures not implemented')
    .option('--json', 'as JSON')
    .action((opts: { json?: boolean }) => {
      if (opts.json) {
        io.out(`${JSON.stringify({ measures: MEASURES.map((m) => ({ ...m, ...describe(m) })), gaps: GAPS, outcomeThresholds: outcomeThresholdsJson() }, null, 2)}\n`);
        return;
      }
      for (const m of MEASURES) io.out(`${m.id.padEnd(6)} ${m.name.padEnd(60)} ${m.frequency.padEnd(18)} ${describe(m).construction.replace(/\s+/g, ' ')}\n`);
      io.out(`\n${MEASURES.length} measures implemented; ${GAPS.length} not implemented:\n`);
      for (const g of GAPS) io.out(`${g.id.padEnd(6)} ${g.name.padEnd(60)} ${g.reason}\n`);
      io.out(outcomeThresholdsText());
    });

  program
    .command('publish')
    .description('the official-statistics files for a month (and its quarter / financial year), disclosure-checked')
    .requiredOption('--data <dir>', 'data directory', config.dataDir)
    .requiredOption('--period <YYYY-MM>', 'reporting month (processed)')
    .option('--quarter <YYYY-Qn>', 'also the quarter (Q2 = April–June), computed from its last month')
    .option('--year <YYYY-YY>', 'also the financial year (April–March) annual main file, from March')
    .option('--policy <name>', 'disclosure control: nhs-tt or opensafely', 'nhs-tt')
    .option('--reference <dir>', 'organisation reference data: names, and commissioner regions and ICBs the processed data lack (else UNKNOWN)')
    .requiredOption('--out <dir>', 'output folder')
    .action(async (opts: { data: string; period: string; quarter?: string; year?: string; policy: string; reference?: string; out: string }) => {
      periodArgument('--period', opts.period);
      const policy = policyOf(opts.policy);
      outputFolderArgument('--out', opts.out);
      const result = await publish({ dataDir: opts.data, period: opts.period, ...(opts.quarter ? { quarter: opts.quarter } : {}), ...(opts.year ? { year: opts.year } : {}), policy, out: opts.out, ...(opts.reference ? { referenceDir: opts.reference } : {}) });
      io.out(`Published ${result.periods.join(', ')} (${opts.policy}):\n`);
      io.out(headlineTable(result, '  '));
      io.out(`Files:\n${result.files.map((f) => `  ${f}\n`).join('')}`);
    });

  program
    .command('check-release')
    .description('re-verify a published file against its disclosure policy; exits 1 with the offending cells')
    .argument('<file>', 'a monthly file, one of the quarterly files or an annual main file')
    .option('--policy <name>', 'disclosure control: nhs-tt or opensafely', 'nhs-tt')
    .action((file: string, opts: { policy: string }) => {
      if (!existsSync(file)) throw inputError(`${file}: no such file`);
      if (statSync(file).isDirectory()) throw inputError(`${file} is a folder, not a published file`);
      const policy = policyOf(opts.policy);
      try {
        const result = checkRelease(readFileSync(file, 'utf8'), policy);
        if (result.violations.length === 0) {
          io.out(`${file}: ${result.layout} layout, ${result.cells.toLocaleString('en-GB')} cells, all pass ${opts.policy}\n`);
          return;
        }
        io.out(`${file}: ${result.violations.length} of ${result.cells.toLocaleString('en-GB')} cells fail ${opts.policy}:\n`);
        for (const v of result.violations) io.out(`  ${v.where}: "${v.value}" — ${v.problem}\n`);
        throw new IaptError('negative', '');
      } catch (error) {
        if (error instanceof IaptError && error.kind === 'input') throw inputError(`${file}: ${error.message}`, error);
        throw error;
      }
    });
}
