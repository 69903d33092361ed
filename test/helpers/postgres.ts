// A PostgreSQL server for tests, started by the tests themselves: a throwaway cluster (scripts/postgres-cluster.mjs,
// shared with the service benchmark) made with the system's initdb and pg_ctl in a temporary folder, listening on a
// free loopback port only, with trust authentication and durability off, stopped and removed again afterwards (also
// when starting it fails, and when the test process exits without stopping it). With IAPT_TEST_DATABASE_URL set,
// that server is used instead and no cluster is made.
import * as cluster from '../../scripts/postgres-cluster.mjs';

export interface TestPostgres {
  /** A superuser's URL of the server's `postgres` database (make one per test file with freshDatabase). */
  url: string;
  /** Stops the cluster and removes its folder (nothing for an IAPT_TEST_DATABASE_URL server). */
  stop(): Promise<void>;
}

/** The bin folder of the highest PostgreSQL version installed the Debian way, or null. */
export function postgresBin(): string | null {
  return cluster.postgresBin();
}

export function startPostgres(): Promise<TestPostgres> {
  return cluster.startPostgres({ existingUrlVariable: 'IAPT_TEST_DATABASE_URL' });
}

/** A new, empty database named `name` on the server (an earlier one of that name is dropped); returns its URL. */
export function freshDatabase(url: string, name: string): Promise<string> {
  return cluster.freshDatabase(url, name);
}
