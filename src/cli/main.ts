import { Command, CommanderError } from 'commander';
import { ENVIRONMENT, readConfig, type Config } from '../core/config.js';
import { asIaptError } from '../core/errors.js';
import { EXIT_CODES } from './exitCodes.js';
import { processIo, type Io } from './io.js';
import { registerAudit } from './commands/audit.js';
import { registerCheckExtract } from './commands/checkExtract.js';
import { registerDemo } from './commands/demo.js';
import { registerExtract } from './commands/extract.js';
import { registerHub } from './commands/hub.js';
import { registerMeasures } from './commands/measures.js';
import { registerOptOut } from './commands/optOut.js';
import { registerProcess } from './commands/process.js';
import { registerRules } from './commands/rules.js';
import { registerServe, registerWorker } from './commands/serve.js';
import { registerSpec } from './commands/spec.js';
import { registerSubmissions, registerSubmit } from './commands/submit.js';
import { registerSynth } from './commands/synth.js';
import { registerUsers } from './commands/users.js';
import { registerValidate } from './commands/validate.js';

export function buildProgram(io: Io, config: Config): Command {
  const program = new Command('iapt')
    .description('NHS Talking Therapies (IAPT) Data Set v2.1 platform')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError(false)
    .addHelpText('after', `\nEnvironment:\n${Object.entries(ENVIRONMENT).map(([name, what]) => `  ${name.padEnd(18)} ${what}`).join('\n')}\n`);
  registerSpec(program, io);
  registerSynth(program, io);
  registerValidate(program, io);
  registerRules(program, io);
  registerSubmit(program, io, config);
  registerSubmissions(program, io, config);
  registerProcess(program, io, config);
  registerExtract(program, io, config);
  registerCheckExtract(program, io, config);
  registerOptOut(program, io, config);
  registerUsers(program, io, config);
  registerAudit(program, io, config);
  registerMeasures(program, io, config);
  registerDemo(program, io, config);
  registerHub(program, io);
  registerServe(program, io, config);
  registerWorker(program, io, config);
  return program;
}

/** Runs the CLI and returns the exit code; never throws. A user's mistake is one line and never a stack trace. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let debug = false;
  try {
    // The environment is read and checked once, before any work: a bad IAPT_MEMORY_LIMIT is a usage error.
    const config = readConfig();
    debug = config.debug;
    const program = buildProgram(io, config);
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT_CODES.ok;
      return EXIT_CODES.usage;
    }
    const known = asIaptError(error);
    if (known && known.kind !== 'internal') {
      if (known.message) io.err(`iapt: ${known.message}\n`);
      return EXIT_CODES[known.kind];
    }
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const stack = debug && error instanceof Error ? `\n${error.stack}` : ' (set IAPT_DEBUG=1 for the stack trace)';
    io.err(`iapt: internal error: ${message}${stack}\n`);
    return EXIT_CODES.internal;
  }
}
