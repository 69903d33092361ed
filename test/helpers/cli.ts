import { main } from '../../src/cli/main.js';

/** Runs the CLI entry point (what bin/iapt.js calls) in-process, capturing its output and exit code. */
export async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}
