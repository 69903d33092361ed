import type { Command } from 'commander';
import { usageError } from '../../core/errors.js';
import { researchExtract, RESEARCH_FORMATS, type ResearchFormat } from '../../extracts/research/extract.js';
import type { Io } from '../io.js';
import type { Config } from '../../core/config.js';

/** `iapt extract research`: a research extract under a Data Sharing Agreement, in the UK LLC layout (docs/extracts.md). */
export function registerResearchExtract(extract: Command, io: Io, config: Config): void {
  extract
    .command('research')
    .description('a research extract under a Data Sharing Agreement: the UK LLC tables and items it lists, keyed for the agreement, opt-out applied unless exempt')
    .requiredOption('--data <dir>', 'data directory', config.dataDir)
    .requiredOption('--agreement <file>', 'the Data Sharing Agreement (JSON: docs/extracts.md)')
    .requiredOption('--out <dir>', 'output folder: new, empty, or an earlier research extract (with --force)')
    .option('--format <format>', `file format: ${RESEARCH_FORMATS.join(' or ')}`, 'parquet')
    .option('--force', 'replace an earlier research extract in the output folder')
    .action(async (opts: { data: string; agreement: string; out: string; format: string; force?: boolean }) => {
      if (!(RESEARCH_FORMATS as readonly string[]).includes(opts.format)) throw usageError(`--format: "${opts.format}" is not one of ${RESEARCH_FORMATS.join(', ')}`);
      const result = await researchExtract({
        dataDir: opts.data,
        agreementFile: opts.agreement,
        out: opts.out,
        format: opts.format as ResearchFormat,
        force: Boolean(opts.force),
        pseudoKey: config.pseudoKey,
      });
      const { agreement, optOut } = result;
      const n = (x: number) => x.toLocaleString('en-GB');
      const width = Math.max(...result.tables.map((t) => `${t.table}.${opts.format}`.length));
      io.out(
        `Research extract for agreement ${agreement.id} (${agreement.recipient}), ${agreement.periods.from} to ${agreement.periods.to}, ` +
          `from the processed set ${result.processingRun.version}: ${n(result.people)} people, ${n(result.pathways)} referrals\n`,
      );
      for (const t of result.tables) {
        io.out(`  ${`${t.table}.${opts.format}`.padEnd(width)}  ${n(t.rows)} rows, ${t.columns.length} columns (from ${t.sources.join(', ') || 'no table'})\n`);
      }
      io.out(
        optOut.applied
          ? `National data opt-out applied (register version ${optOut.registerVersion}): ${n(optOut.peopleRemoved)} ${optOut.peopleRemoved === 1 ? 'person' : 'people'} removed\n`
          : `National data opt-out not applied: ${optOut.reason}\n`,
      );
      io.out(`Written to ${result.out} with manifest.json, after the privacy check passed\n`);
    });
}
