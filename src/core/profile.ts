// The SQL profile (IAPT_PROFILE=FILE): every statement run through core/db.ts, with its wall time and the rows it
// returned, summed by statement text; written as JSON to FILE when the process exits. `npm run bench` sets it per
// step (bench/run.js) to show where the time goes. Off, it costs one property read per statement.
import { writeFileSync } from 'node:fs';

export interface StatementProfile {
  /** The statement's text, whitespace folded, cut to 300 characters. */
  sql: string;
  calls: number;
  ms: number;
  rows: number;
}

const statements = new Map<string, StatementProfile>();
let target: string | null | undefined;

function profileFile(): string | null {
  if (target === undefined) {
    target = process.env.IAPT_PROFILE || null;
    if (target) process.once('exit', () => writeProfile(target!));
  }
  return target;
}

/** Runs `work` (one statement), recording it when profiling is on. */
export async function profiled<T>(sql: string, work: () => Promise<T>, rowsOf: (result: T) => number = () => 0): Promise<T> {
  if (!profileFile()) return work();
  const started = performance.now();
  const result = await work();
  const key = sql.replace(/\s+/g, ' ').trim().slice(0, 300);
  const entry = statements.get(key) ?? statements.set(key, { sql: key, calls: 0, ms: 0, rows: 0 }).get(key)!;
  entry.calls += 1;
  entry.ms += performance.now() - started;
  entry.rows += rowsOf(result);
  return result;
}

/** The statements recorded so far, slowest first. */
export function profileSoFar(): StatementProfile[] {
  return [...statements.values()].sort((a, b) => b.ms - a.ms);
}

function writeProfile(file: string): void {
  const all = profileSoFar();
  writeFileSync(file, `${JSON.stringify({ pid: process.pid, argv: process.argv.slice(2), totalMs: all.reduce((s, x) => s + x.ms, 0), statements: all.map((s) => ({ ...s, ms: Math.round(s.ms * 10) / 10 })) }, null, 1)}\n`);
}
