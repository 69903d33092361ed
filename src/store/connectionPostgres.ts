// The catalog on a PostgreSQL server (service mode): `iapt serve`, any number of `iapt worker`s and command-line
// runs, on one or many machines, share one catalog. The statements are the embedded catalog's (sql.ts), unchanged;
// what differs is here (see connection.ts).
//
// Concurrency. Several processes write at once, so:
// - Every catalog transaction first takes one PostgreSQL advisory lock (pg_advisory_xact_lock, released at
//   COMMIT or ROLLBACK): catalog transactions run one at a time across all processes. Inside one, reading the
//   next id (`MAX(id) + 1`) and inserting it, or reading a setting and recording it, cannot interleave with
//   another process's, and each statement (READ COMMITTED) sees what the transaction before it committed. The
//   transactions are a few statements long (a submit's reserve and complete steps), so the lock costs nothing
//   measurable; retrying on unique violations instead would spread the same rule over every caller.
// - Work longer than a transaction (a submit builds its folder between reserving its row and completing it) is
//   claimed with a session-level advisory lock held on a connection of its own until the catalog is closed (see
//   Claim). A process that dies loses its connection and with it its claims, on whatever machine it ran. So
//   recovery (catalog.ts) removes only pending rows and temporary folders whose claim it can take, and two
//   processes storing the same bytes at once do so one after the other (the second then finds a duplicate).
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import type { z } from 'zod';
import { StoreError, type CatalogConnection, type Claim, type Param } from './connection.js';

/** The catalog's advisory locks: the first key names the kind of lock (arbitrary numbers, iapt's own), the second the thing. */
const LOCK_CATALOG_WRITES = 1_632_101_000;
const LOCK_SUBMISSION = 1_632_101_001;
const LOCK_CONTENT = 1_632_101_002;

/** A claim's two advisory-lock keys (32-bit each: ids wrap after 2³¹, contents are told apart by 32 bits of their sha256; a collision only makes one wait). */
function lockKeys(claim: Claim): [number, number] {
  if (claim.space === 'submission') return [LOCK_SUBMISSION, claim.id | 0];
  return [LOCK_CONTENT, Number.parseInt(claim.sha256.slice(0, 8).padEnd(8, '0'), 16) | 0];
}

// Values come back as DuckDB returns them, so that the catalog's row schemas hold for both connections: BIGINT
// (and count(*)) as bigint, NUMERIC as number, TIMESTAMP (without time zone) and DATE as a Date in UTC.
const PARSERS: Record<number, (value: string) => unknown> = {
  20: (value) => BigInt(value),
  1700: (value) => Number(value),
  1114: (value) => new Date(`${value.replace(' ', 'T')}Z`),
  1082: (value) => new Date(`${value}T00:00:00Z`),
};
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => (format !== 'binary' && PARSERS[oid]) || pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the database URL';
  }
}

/** What the server's refusals mean to whoever runs the command (SQLSTATE codes). */
const SQLSTATE_MEANING: Record<string, string> = {
  '28P01': 'the password was refused',
  '28000': 'the server refused the login',
  '3D000': 'the database does not exist',
  '42501': "the login may not use the catalog's tables (permission denied)",
  '57P03': 'the server is starting up or shutting down',
};
const NETWORK = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH)$/;

/** A server that cannot be reached or refuses the login, as one line naming it (bad input, exit 3); else the error itself. */
function connectionError(error: unknown, where: string): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return error;
  if (NETWORK.test(code)) return new StoreError(`cannot reach the catalog database ${where}: ${(error as Error).message}. Check --database-url (IAPT_DATABASE_URL) and that the server is running`);
  const meaning = SQLSTATE_MEANING[code];
  return meaning ? new StoreError(`cannot use the catalog database ${where}: ${meaning}. Check --database-url (IAPT_DATABASE_URL)`) : error;
}

export interface PostgresOpenOptions {
  /** Every transaction read-only (default_transaction_read_only): nothing is written. */
  readOnly: boolean;
}

export async function openPostgresConnection(url: string, options: PostgresOpenOptions): Promise<CatalogConnection> {
  const where = redactUrl(url);
  const config: pg.PoolConfig = {
    connectionString: url,
    application_name: 'iapt',
    types,
    max: 4,
    idleTimeoutMillis: 10_000,
    ...(options.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
  };
  const pool = new pg.Pool(config);
  // A connection that breaks is dropped by the pool; the statement running on it fails, the next one gets a new
  // connection. The listeners keep a broken connection from being an unhandled 'error' event.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    (await pool.connect()).release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw connectionError(error, where);
  }

  /** The connection that holds this process's claims (made on the first claim), and the claims it holds. */
  const session: { client: Promise<pg.Client> | null; held: Set<string>; lost: boolean } = { client: null, held: new Set(), lost: false };
  const connectSession = async (): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: url, application_name: 'iapt', types });
    client.on('error', () => undefined);
    client.on('end', () => {
      if (session.held.size > 0) session.lost = true;
    });
    try {
      await client.connect();
    } catch (error) {
      session.client = null;
      throw connectionError(error, where);
    }
    return client;
  };
  const sessionClient = (): Promise<pg.Client> => (session.client ??= connectSession());
  const lostSession = () =>
    new StoreError(`lost the connection to the catalog database ${where} that held this process's claims: stopping, so that nothing half-done is completed; run the command again`);
  /** The transaction's connection, for statements run inside transaction() (in that async context only). */
  const inTransaction = new AsyncLocalStorage<pg.PoolClient>();
  const query = async (sql: string, params: readonly Param[]) => {
    if (session.lost) throw lostSession();
    try {
      return await (inTransaction.getStore() ?? pool).query(sql, params as Param[]);
    } catch (error) {
      throw connectionError(error, where);
    }
  };

  const claimRow = async (client: pg.Client, keys: [number, number]): Promise<boolean> => {
    const result = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', keys);
    return result.rows[0]?.ok === true;
  };

  return {
    where,
    exclusive: false,
    run: async (sql, params) => {
      await query(sql, params);
    },
    rows: async <S extends z.ZodType>(schema: S, sql: string, params: readonly Param[]) =>
      (await query(sql, params)).rows.map((row, i) => {
        const parsed = schema.safeParse(row);
        if (!parsed.success) throw new Error(`row ${i + 1} of a catalog query has an unexpected shape (${parsed.error.message}): ${sql.slice(0, 200)}`);
        return parsed.data as z.output<S>;
      }),
    transaction: async (work) => {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw connectionError(error, where);
      }
      let broken = false;
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_CATALOG_WRITES]);
        const result = await inTransaction.run(client, work);
        if (session.lost) throw lostSession();
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw connectionError(error, where);
      } finally {
        client.release(broken);
      }
    },
    claim: async (claim, waitMs) => {
      const name = JSON.stringify(claim);
      if (session.held.has(name)) return true;
      const client = await sessionClient();
      const giveUp = Date.now() + waitMs;
      for (;;) {
        if (await claimRow(client, lockKeys(claim))) {
          session.held.add(name);
          return true;
        }
        if (Date.now() >= giveUp) return false;
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
      }
    },
    release: async (claim) => {
      const name = JSON.stringify(claim);
      if (!session.held.delete(name) || !session.client) return;
      await (await session.client).query('SELECT pg_advisory_unlock($1, $2)', lockKeys(claim));
    },
    close: async () => {
      // An AsyncLocalStorage that was run stays hooked into every later async step of the process until disabled.
      inTransaction.disable();
      // Ending the session releases its claims.
      session.held.clear();
      const client = session.client && (await session.client.catch(() => null));
      await Promise.all([client?.end().catch(() => undefined), pool.end().catch(() => undefined)]);
    },
  };
}
