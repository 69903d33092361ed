// The platform's configuration, read from the environment (and the command line's flags) in one place and
// validated once: a wrong value is a usage error naming the variable, before any work starts. Every job takes
// its DuckDB limits from here, so several processes on one machine each stay within the memory they were given.
import { usageError } from './errors.js';

export interface EngineLimits {
  /** DuckDB memory_limit (e.g. '2GB'); beyond it DuckDB spills to `spillRoot`. */
  memoryLimit: string;
  /** DuckDB threads; null: DuckDB's default (every core). */
  threads: number | null;
  /** Where DuckDB spills; null: a `.duckdb-tmp` folder inside the job's own output folder, or DuckDB's default. */
  spillRoot: string | null;
}

export interface Config {
  engine: EngineLimits;
  /** IAPT_PSEUDO_KEY: the pseudonymisation key given in the environment; null: the data directory's key file. */
  pseudoKey: string | null;
  /** IAPT_DATA_DIR: the data directory when a command is given no --data. */
  dataDir: string;
  /** IAPT_DEBUG: print stack traces of internal errors. */
  debug: boolean;
  /**
   * IAPT_COMMISSIONER_OPTOUT_EXEMPTION: the reason and legal basis for not applying the national data opt-out to
   * commissioner extracts (recorded in each extract's manifest); null: the opt-out is applied, as the policy says.
   */
  commissionerOptOutExemption: string | null;
  /**
   * IAPT_DATABASE_URL: the PostgreSQL database holding the catalog (service mode), a postgres:// or postgresql://
   * URL; null: the data directory's embedded catalog.duckdb.
   */
  databaseUrl: string | null;
}

/** The environment variables the platform reads, with what each is for (printed by `iapt --help`). */
export const ENVIRONMENT = {
  IAPT_MEMORY_LIMIT: "DuckDB memory limit of every job (e.g. 2GB, 512MB, 1.5GiB); default 2GB",
  IAPT_THREADS: 'DuckDB threads of every job (a whole number ≥ 1); default every core',
  IAPT_TEMP_DIR: "folder where DuckDB spills beyond the memory limit; default a .duckdb-tmp folder in the job's output",
  IAPT_PSEUDO_KEY: "the pseudonymisation key (64 hex digits, or any text of at least 32 characters); default the data directory's pseudo.key",
  IAPT_DATA_DIR: 'the data directory when --data is not given; default iapt-data',
  IAPT_DEBUG: 'set to 1 to print stack traces of internal errors',
  IAPT_PROFILE: 'a file: at exit, write the wall time and rows of every SQL statement run, summed by statement (npm run bench uses it)',
  IAPT_COMMISSIONER_OPTOUT_EXEMPTION: 'the reason and legal basis for not applying the national data opt-out to commissioner extracts (recorded in their manifests); default: applied',
  IAPT_DATABASE_URL: "the PostgreSQL database of the catalog (postgres://user@host:5432/db) when --database-url is not given; default the data directory's catalog.duckdb",
} as const;

export const DEFAULT_MEMORY_LIMIT = '2GB';
export const DEFAULT_DATA_DIR = 'iapt-data';

/** DuckDB's size syntax: a number and a unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB). */
const SIZE = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$/i;

/** A DuckDB memory size, normalised ('2 gb' → '2GB'); a usage error naming `source` otherwise. */
export function memoryLimitValue(source: string, value: string): string {
  const m = SIZE.exec(value);
  if (!m || Number(m[1]) <= 0) throw usageError(`${source}: "${value}" is not a memory size (a number and a unit, e.g. 2GB, 512MB, 1.5GiB)`);
  const unit = m[2]!.length === 3 ? `${m[2]![0]!.toUpperCase()}i${m[2]![2]!.toUpperCase()}` : m[2]!.toUpperCase();
  return `${m[1]}${unit}`;
}

function threadsValue(source: string, value: string): number {
  if (!/^\s*\d+\s*$/.test(value) || Number(value) < 1) throw usageError(`${source}: "${value}" is not a number of threads (a whole number ≥ 1)`);
  return Number(value);
}

const given = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/** A PostgreSQL URL (postgres:// or postgresql://, as libpq and node-postgres read it); a usage error naming `source` otherwise. */
export function databaseUrlValue(source: string, value: string): string {
  const url = value.trim();
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  // Never echo the value: it may hold a password.
  if (!parsed || !/^postgres(ql)?:$/.test(parsed.protocol)) throw usageError(`${source}: not a PostgreSQL URL (postgres://user:password@host:5432/database)`);
  return url;
}

/** The configuration from an environment (the process's by default), validated. */
export function readConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  return {
    engine: {
      memoryLimit: given(env.IAPT_MEMORY_LIMIT) ? memoryLimitValue('IAPT_MEMORY_LIMIT', env.IAPT_MEMORY_LIMIT) : DEFAULT_MEMORY_LIMIT,
      threads: given(env.IAPT_THREADS) ? threadsValue('IAPT_THREADS', env.IAPT_THREADS) : null,
      spillRoot: given(env.IAPT_TEMP_DIR) ? env.IAPT_TEMP_DIR : null,
    },
    pseudoKey: given(env.IAPT_PSEUDO_KEY) ? env.IAPT_PSEUDO_KEY : null,
    dataDir: given(env.IAPT_DATA_DIR) ? env.IAPT_DATA_DIR : DEFAULT_DATA_DIR,
    debug: given(env.IAPT_DEBUG) && env.IAPT_DEBUG !== '0',
    commissionerOptOutExemption: given(env.IAPT_COMMISSIONER_OPTOUT_EXEMPTION) ? env.IAPT_COMMISSIONER_OPTOUT_EXEMPTION.trim() : null,
    databaseUrl: given(env.IAPT_DATABASE_URL) ? databaseUrlValue('IAPT_DATABASE_URL', env.IAPT_DATABASE_URL) : null,
  };
}

/** The engine limits of a job: the given ones, else the environment's. */
export const engineLimits = (limits?: EngineLimits): EngineLimits => limits ?? readConfig().engine;
