import type { Command } from 'commander';
import type { Io } from '../io.js';
import type { Config } from '../../core/config.js';
import { registerCommissionerExtract } from './extractCommissioner.js';
import { registerProviderExtract } from './extractProvider.js';
import { registerResearchExtract } from './extractResearch.js';

/** `iapt extract`: the record-level release routes (docs/extracts.md). */
export function registerExtract(program: Command, io: Io, config: Config): void {
  const extract = program.command('extract').description('record-level extracts: provider, commissioner, research (each written with a manifest beside it)');
  registerProviderExtract(extract, io, config);
  registerCommissionerExtract(extract, io, config);
  registerResearchExtract(extract, io, config);
}
