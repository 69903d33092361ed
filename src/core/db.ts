// One DuckDB instance per job, with extension auto-install and auto-load off (production has no network, and
// nothing should change behaviour by downloading code) and the job's memory limit, threads and spill folder
// from the configuration (core/config.ts). Values reach SQL as parameters bound by DuckDB (`$name`) or as
// literals of core/sql.ts; rows come back checked against a zod schema, never cast.
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { join } from 'node:path';
import { z } from 'zod';
import { engineLimits, type EngineLimits } from './config.js';
import { profiled } from './profile.js';

/**
 * Parameters bound by DuckDB: named, to `$name` placeholders, or positional, to `$1`, `$2`, … (the catalog's
 * statements, written in the SQL PostgreSQL shares: src/store/sql.ts).
 */
export type Params = Readonly<Record<string, DuckDBValue>> | readonly DuckDBValue[];

export interface Db {
  connection: DuckDBConnection;
  run(sql: string, params?: Params): Promise<void>;
  /** The rows of a query as plain objects (BIGINT as bigint), for callers that check what they read. */
  all(sql: string, params?: Params): Promise<Record<string, unknown>[]>;
  /** The rows of a query, each checked against `schema` (a query that returns something else is our defect). */
  rows<S extends z.ZodType>(schema: S, sql: string, params?: Params): Promise<z.output<S>[]>;
  /** The single number a query returns (first column of its first row), e.g. `SELECT count(*) …`. */
  count(sql: string, params?: Params): Promise<number>;
  /** Column names of a relation (a table, a view, `read_parquet(…)` or a parenthesised query). */
  columns(relation: string): Promise<string[]>;
  close(): void;
}

export interface DbOptions {
  /** The job's limits; by default those of the environment (IAPT_MEMORY_LIMIT, IAPT_THREADS, IAPT_TEMP_DIR). */
  limits?: EngineLimits;
  /** Threads for this instance, overriding the limits' (batch runners validating several files at once use 1). */
  threads?: number;
  /** Spill folder of this job, used when the environment names none. */
  spillFolder?: string;
  /** A database file; by default in memory. */
  path?: string;
  readOnly?: boolean;
}

/** A whole number DuckDB returns as BIGINT (or INTEGER), as a JavaScript number. */
export const sqlInteger = z.union([z.bigint(), z.number()]).transform(Number);
const describe = z.object({ column_name: z.string() });
let instances = 0;

export async function openDb(options: DbOptions = {}): Promise<Db> {
  const limits = engineLimits(options.limits);
  const threads = options.threads ?? limits.threads;
  // Under a shared IAPT_TEMP_DIR each instance spills into a folder of its own, which DuckDB makes and removes.
  const spill = limits.spillRoot ? join(limits.spillRoot, `iapt-${process.pid}-${++instances}`) : options.spillFolder;
  const instance = await DuckDBInstance.create(options.path ?? ':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    memory_limit: limits.memoryLimit,
    ...(spill ? { temp_directory: spill } : {}),
    ...(threads ? { threads: String(threads) } : {}),
    ...(options.readOnly ? { access_mode: 'READ_ONLY' } : {}),
  });
  const connection = await instance.connect();
  await connection.run(SQL_MACROS);
  const read = (sql: string, params?: Params) =>
    profiled(
      sql,
      async () => (await connection.runAndReadAll(sql, bound(params))).getRowObjectsJS(),
      (rows) => rows.length,
      explain(params),
    );
  const explain = (params?: Params) => async (text: string) =>
    (await connection.runAndReadAll(text, bound(params))).getRowObjectsJS().map((row) => String(row.explain_value ?? Object.values(row).pop())).join('\n');
  const db: Db = {
    connection,
    run: async (sql, params) => {
      await profiled(sql, () => connection.run(sql, bound(params)), () => 0, explain(params));
    },
    all: read,
    rows: async (schema, sql, params) => (await read(sql, params)).map((row, i) => parseRow(schema, row, i, sql)),
    count: async (sql, params) => {
      const [row] = await read(sql, params);
      const value = row ? Object.values(row)[0] : undefined;
      return sqlInteger.parse(value ?? 0);
    },
    columns: async (relation) => (await db.rows(describe, `DESCRIBE SELECT * FROM ${relation}`)).map((c) => c.column_name),
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
  return db;
}

const bound = (params?: Params): DuckDBValue[] | Record<string, DuckDBValue> | undefined => (Array.isArray(params) ? [...params] : (params as Record<string, DuckDBValue> | undefined));

function parseRow<S extends z.ZodType>(schema: S, row: unknown, index: number, sql: string): z.output<S> {
  const parsed = schema.safeParse(row);
  if (!parsed.success) throw new Error(`row ${index + 1} of a query has an unexpected shape (${parsed.error.message}): ${sql.slice(0, 200)}`);
  return parsed.data;
}

/**
 * Helpers every rule may use. `date_text(x)`: a submitted date as DATE (null unless YYYY-MM-DD, time part only
 * midnight); `d(x)` is the same, except over the measures' sources, where submitted dates are parsed once and d is
 * the DATE itself (measures/sources.ts). `blank`/`filled` take text or any other type (a parsed date).
 * Temporary, so that a database file (the catalog, read-only or not) never stores them.
 */
const SQL_MACROS = `
CREATE TEMP MACRO blank(x) AS (x IS NULL OR trim(CAST(x AS VARCHAR)) = '');
CREATE TEMP MACRO filled(x) AS (x IS NOT NULL AND trim(CAST(x AS VARCHAR)) <> '');
CREATE TEMP MACRO date_text(x) AS (CASE WHEN regexp_full_match(trim(x), '[0-9]{4}-[0-9]{2}-[0-9]{2}([ T]00:00(:00(\\.0+)?)?)?') THEN try_cast(left(trim(x), 10) AS DATE) END);
CREATE TEMP MACRO d(x) AS date_text(x);
CREATE TEMP MACRO nhs_number_valid(x) AS (
  regexp_full_match(x, '[0-9]{10}') AND (
    (11 - ((CAST(x[1] AS INT) * 10 + CAST(x[2] AS INT) * 9 + CAST(x[3] AS INT) * 8 + CAST(x[4] AS INT) * 7 + CAST(x[5] AS INT) * 6
      + CAST(x[6] AS INT) * 5 + CAST(x[7] AS INT) * 4 + CAST(x[8] AS INT) * 3 + CAST(x[9] AS INT) * 2) % 11)) % 11
  ) = CAST(x[10] AS INT)
);
`;
