import type { Command } from 'commander';
import type { Io } from '../io.js';
import type { Config } from '../../core/config.js';

/** `iapt extract commissioner` (being built: issue 16). */
export function registerCommissionerExtract(_extract: Command, _io: Io, _config: Config): void {}
