// The SQL profile (IAPT_PROFILE=FILE): every statement run through core/db.ts, with its wall time and the rows it
// returned, summed by statement text; written as JSON to FILE when the process exits, with the process's peak RSS.
// The slowest statements (IAPT_PROFILE_EXPLAIN=N, default 10: the first call of each of up to N distinct statements
// that took at least IAPT_PROFILE_EXPLAIN_FROM_MS, default 1000) are run once more under DuckDB's EXPLAIN ANALYZE,
// outside the timings, and their plans written beside the figures. `npm run bench` sets it per step (bench/run.js
// with BENCH_PROFILE=1) to show where the time goes. Off, it costs one property read per statement.
import { existsSync, writeFileSync } from 'node:fs';

export interface StatementProfile {
  /** The statement's text, whitespace folded, cut to 300 characters. */
  sql: string;
  calls: number;
  ms: number;
  rows: number;
  /** EXPLAIN ANALYZE of its first slow call, when it was one of the slowest. */
  plan?: string;
}

const statements = new Map<string, StatementProfile>();
let target: string | null | undefined;
let explainLeft = 0;
let explainFromMs = 1000;

function profileFile(): string | null {
  if (target === undefined) {
    target = process.env.IAPT_PROFILE || null;
    explainLeft = Number(process.env.IAPT_PROFILE_EXPLAIN ?? '10') || 0;
    explainFromMs = Number(process.env.IAPT_PROFILE_EXPLAIN_FROM_MS ?? '1000');
    if (target) process.once('exit', () => writeProfile(target!));
  }
  return target;
}

/** Statements EXPLAIN ANALYZE can run again without changing anything: queries, and tables made or replaced. */
const explainable = (sql: string): boolean => /^\s*(SELECT|WITH|CREATE OR REPLACE TEMP TABLE)\b/i.test(sql);

/**
 * Runs `work` (one statement), recording it when profiling is on; `explain` runs the statement under EXPLAIN ANALYZE
 * and returns the plan's text.
 */
export async function profiled<T>(sql: string, work: () => Promise<T>, rowsOf: (result: T) => number = () => 0, explain?: (sql: string) => Promise<string>): Promise<T> {
  if (!profileFile()) return work();
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  const key = sql.replace(/\s+/g, ' ').trim().slice(0, 300);
  const entry = statements.get(key) ?? statements.set(key, { sql: key, calls: 0, ms: 0, rows: 0 }).get(key)!;
  entry.calls += 1;
  entry.ms += ms;
  entry.rows += rowsOf(result);
  if (explain && ms >= explainFromMs && entry.plan === undefined && explainLeft > 0 && explainable(sql)) {
    explainLeft -= 1;
    entry.plan = await explain(`EXPLAIN ANALYZE ${sql}`).catch((error: unknown) => `(EXPLAIN ANALYZE failed: ${String(error)})`);
  }
  return result;
}

/** The statements recorded so far, slowest first. */
export function profileSoFar(): StatementProfile[] {
  return [...statements.values()].sort((a, b) => b.ms - a.ms);
}

/** FILE, or — when another process (a worker this one started, say) wrote it first — FILE with this pid before its extension. */
const ownFile = (file: string): string => (existsSync(file) ? file.replace(/(\.json)?$/, `.${process.pid}$1`) : file);

function writeProfile(file: string): void {
  const all = profileSoFar();
  if (all.length === 0) return;
  const totalMs = all.reduce((s, x) => s + x.ms, 0);
  writeFileSync(ownFile(file), `${JSON.stringify({ pid: process.pid, argv: process.argv.slice(2), maxRssBytes: process.resourceUsage().maxRSS * 1024, totalMs, statements: all.map((s) => ({ ...s, ms: Math.round(s.ms * 10) / 10 })) }, null, 1)}\n`);
}
