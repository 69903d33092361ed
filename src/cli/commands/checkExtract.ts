import type { Command } from 'commander';
import { checkExtract, describeFindings } from '../../extracts/check.js';
import { IaptError } from '../../core/errors.js';
import type { Io } from '../io.js';
import type { Config } from '../../core/config.js';

/** `iapt check-extract PATH`: the privacy check of a commissioner or research extract (exit 1 listing what it found). */
export function registerCheckExtract(program: Command, io: Io, config: Config): void {
  program
    .command('check-extract')
    .description('scan a commissioner or research extract (a file, or a folder, with its manifest) for identifiers, forbidden columns and opted-out people')
    .argument('<path>', 'the extract file or folder')
    .requiredOption('--data <dir>', 'data directory it was made from', config.dataDir)
    .action(async (path: string, opts: { data: string }) => {
      const { findings, files, manifest } = await checkExtract(path, { dataDir: opts.data, pseudoKey: config.pseudoKey });
      if (findings.length > 0) throw new IaptError('negative', `check-extract: ${path} must not be released:\n${describeFindings(findings)}`);
      io.out(`check-extract: ${path} passed (${manifest.kind} extract, ${files.length} file${files.length === 1 ? '' : 's'}, ${manifest.files.reduce((n, f) => n + f.rows, 0).toLocaleString('en-GB')} rows): no identifier of ${opts.data}, no forbidden column${manifest.optOut.applied ? ', no opted-out person' : ''}\n`);
    });
}
