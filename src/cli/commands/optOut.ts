import type { Command } from 'commander';
import { importOptOutRegister, optOutRegisters, OPT_OUT_COLUMN } from '../../extracts/optOut/register.js';
import { OPT_OUT_POLICY } from '../../core/release/optOutPolicy.js';
import type { Io } from '../io.js';
import type { Config } from '../../core/config.js';

/** `iapt optout import|status`: the national data opt-out register of a data directory. */
export function registerOptOut(program: Command, io: Io, config: Config): void {
  const optout = program.command('optout').description('the national data opt-out register (kept only as pseudonyms)');
  optout
    .command('import')
    .description(`import a register: a CSV file with one column ${OPT_OUT_COLUMN}, the NHS numbers of people who opted out; stored as Person_ID pseudonyms only`)
    .argument('<file>', 'register CSV file')
    .requiredOption('--data <dir>', 'data directory', config.dataDir)
    .action(async (file: string, opts: { data: string }) => {
      const r = await importOptOutRegister(file, { dataDir: opts.data, pseudoKey: config.pseudoKey });
      io.out(`Imported opt-out register version ${r.version}: ${r.people.toLocaleString('en-GB')} people, kept as Person_ID pseudonyms (the NHS numbers are not stored)\n`);
    });
  optout
    .command('status')
    .description('the registers imported, and where the opt-out applies')
    .requiredOption('--data <dir>', 'data directory', config.dataDir)
    .action((opts: { data: string }) => {
      const registers = optOutRegisters(opts.data);
      if (registers.length === 0) io.out(`No opt-out register imported in ${opts.data}: commissioner and research extracts are refused until one is (iapt optout import FILE.csv).\n`);
      for (const r of registers) io.out(`version ${r.version}${r === registers.at(-1) ? ' (in force)' : ''}: ${r.people.toLocaleString('en-GB')} people, imported ${r.importedAt} from ${r.source}\n`);
      io.out('Where it applies:\n');
      for (const [audience, p] of Object.entries(OPT_OUT_POLICY)) io.out(`  ${audience.padEnd(13)} ${p.applies ? 'applied' : 'not applied'}${p.exemption === 'none' ? '' : ` (exemption by ${p.exemption})`}: ${p.reason}\n`);
    });
}
