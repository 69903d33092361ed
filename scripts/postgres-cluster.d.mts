// Types of scripts/postgres-cluster.mjs (a throwaway PostgreSQL server for the tests and the service benchmark).

export interface Postgres {
  /** A superuser's URL of the server's `postgres` database (make one per use with freshDatabase). */
  url: string;
  /** Stops the cluster and removes its folder (nothing for a server given by URL). */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** An environment variable that may name a server to use instead (no cluster is made then), e.g. IAPT_TEST_DATABASE_URL. */
  existingUrlVariable?: string;
  /** Keep PostgreSQL's durability settings on (fsync, synchronous_commit, full_page_writes); off by default. */
  durable?: boolean;
  /** Further server settings (`-c name=value`), e.g. max_connections. */
  settings?: Record<string, string | number>;
}

/** The bin folder of the highest PostgreSQL version installed the Debian way, or null. */
export function postgresBin(): string | null;

/** A TCP port free on the loopback address now. */
export function freePort(): Promise<number>;

/** Starts a throwaway cluster (or returns the server named by `options.existingUrlVariable`). */
export function startPostgres(options?: StartOptions): Promise<Postgres>;

/** A new, empty database named `name` on the server (an earlier one of that name is dropped); returns its URL. */
export function freshDatabase(url: string, name: string): Promise<string>;
