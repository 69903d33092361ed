// One DuckDB instance per job, with extension auto-install and auto-load off: production has no network,
// and nothing should change behaviour by downloading code.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface Db {
  connection: DuckDBConnection;
  run(sql: string): Promise<void>;
  all<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  close(): void;
}

export interface DbOptions {
  /** DuckDB memory limit (e.g. '2GB'); beyond it DuckDB spills to `tempDirectory`. */
  memoryLimit?: string;
  tempDirectory?: string;
  threads?: number;
  path?: string;
}

export async function openDb(options: DbOptions = {}): Promise<Db> {
  const instance = await DuckDBInstance.create(options.path ?? ':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    ...(options.memoryLimit ? { memory_limit: options.memoryLimit } : {}),
    ...(options.tempDirectory ? { temp_directory: options.tempDirectory } : {}),
    ...(options.threads ? { threads: String(options.threads) } : {}),
  });
  const connection = await instance.connect();
  await connection.run(SQL_MACROS);
  return {
    connection,
    run: async (sql) => {
      await connection.run(sql);
    },
    all: async <T>(sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJS() as T[],
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Helpers every rule may use. `d(x)`: a submitted date as DATE (null unless YYYY-MM-DD, time part only midnight). */
const SQL_MACROS = `
CREATE MACRO blank(x) AS (x IS NULL OR trim(x) = '');
CREATE MACRO filled(x) AS (x IS NOT NULL AND trim(x) <> '');
CREATE MACRO d(x) AS (CASE WHEN regexp_full_match(trim(x), '[0-9]{4}-[0-9]{2}-[0-9]{2}([ T]00:00(:00(\\.0+)?)?)?') THEN try_cast(left(trim(x), 10) AS DATE) END);
CREATE MACRO nhs_number_valid(x) AS (
  regexp_full_match(x, '[0-9]{10}') AND (
    (11 - ((CAST(x[1] AS INT) * 10 + CAST(x[2] AS INT) * 9 + CAST(x[3] AS INT) * 8 + CAST(x[4] AS INT) * 7 + CAST(x[5] AS INT) * 6
      + CAST(x[6] AS INT) * 5 + CAST(x[7] AS INT) * 4 + CAST(x[8] AS INT) * 3 + CAST(x[9] AS INT) * 2) % 11)) % 11
  ) = CAST(x[10] AS INT)
);
`;

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const quoteLiteral = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** Memory limit for the national processing jobs (linkage, derivation): IAPT_MEMORY_LIMIT, default 2GB. */
export const processingMemoryLimit = (): string => process.env.IAPT_MEMORY_LIMIT ?? '2GB';
