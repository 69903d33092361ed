// The catalog's connection: the one interface through which the catalog (catalog.ts) runs its statements
// (sql.ts), with two implementations. The embedded DuckDB file (here; the default) admits one writing process at
// a time. PostgreSQL (connectionPostgres.ts; the service mode) admits many processes on many machines at once.
// Everything that differs between the two drivers stays in these modules: how a connection is opened and shared,
// how parameters are bound, how values come back (both return what DuckDB returns: BIGINT as bigint, TIMESTAMP
// and DATE as Date in UTC), how a transaction is held, and how a process claims what it is working on.
import type { z } from 'zod';
import { readConfig } from '../core/config.js';
import { openDb, type Db } from '../core/db.js';
import { resolve } from 'node:path';
import { IaptError } from '../core/errors.js';
import { takeTurn } from './fileMutex.js';

export type Param = string | number | boolean | null;

/** A problem with the data directory or the catalog: unreadable or inconsistent (input), or in use by another process (busy). */
export class StoreError extends IaptError {
  constructor(message: string, kind: 'input' | 'busy' = 'input') {
    super(kind, message);
    this.name = 'StoreError';
  }
}

/**
 * Something a process works on for longer than one transaction, claimed for as long as its connection is open:
 * a pending submission (by id), or the content being stored (by sha256). A process that dies loses its claims.
 */
export type Claim = { space: 'submission'; id: number } | { space: 'content'; sha256: string };

export interface CatalogConnection {
  /** Where the catalog is, for messages (a database URL without its password). */
  readonly where: string;
  /**
   * True when this connection is the catalog's only writer (the DuckDB file lock): no other live process can
   * have work in progress, so every pending row and marked temporary folder is a leftover.
   */
  readonly exclusive: boolean;
  run(sql: string, params: readonly Param[]): Promise<void>;
  rows<S extends z.ZodType>(schema: S, sql: string, params: readonly Param[]): Promise<z.output<S>[]>;
  /** Runs `work` in one transaction (every statement it runs, through this connection, is part of it). */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Takes a claim, waiting up to `waitMs` while another process holds it; false if it is still held then. Taking
   * a claim this connection holds already succeeds. An exclusive connection needs none: it always succeeds.
   */
  claim(claim: Claim, waitMs: number): Promise<boolean>;
  release(claim: Claim): Promise<void>;
  /** Never fails. */
  close(): Promise<void>;
}

export interface EmbeddedOpenOptions {
  readOnly: boolean;
  waitMs: number;
  /** How to name the data directory and the file in messages. */
  dataDir: string;
  file: string;
  /** Called when another user of this process waits for the file (src/store/fileMutex.ts). */
  onWanted?: () => void;
}

/**
 * How long an open waits at least for other work of this process holding the file (a server's request or job):
 * such turns are usually short, but one that is not (a job storing a national file) answers busy instead of
 * keeping the caller waiting without end.
 */
export const IN_PROCESS_WAIT_MS = 30_000;

/**
 * The embedded catalog: a DuckDB file opened like every DuckDB instance (core/db.ts: the job's memory limit and
 * threads), its `$n` parameters bound by DuckDB. The file admits one writer process; a held file is retried
 * until `waitMs` has passed (other processes hold it only for short catalog steps, e.g. a submit's store phase).
 */
export async function openEmbeddedConnection(path: string, options: EmbeddedOpenOptions): Promise<CatalogConnection> {
  const { readOnly, dataDir, file } = options;
  const giveUp = Date.now() + options.waitMs;
  const limits = readConfig().engine; // read before the retries: a bad limit is a usage error, not a damaged catalog
  // Within this process one instance at a time (src/store/fileMutex.ts); across processes, DuckDB's file lock.
  const endTurn = await takeTurn(resolve(path), { waitMs: Math.max(options.waitMs, IN_PROCESS_WAIT_MS), ...(options.onWanted ? { onWanted: options.onWanted } : {}) });
  if (!endTurn) throw new StoreError(`busy: the data directory ${dataDir} is in use by other work of this process (a job storing or processing); try again when it has finished`, 'busy');
  let db: Db;
  try {
    for (;;) {
      try {
        db = await openDb({ path, readOnly, limits });
        break;
      } catch (error) {
        const message = (error as Error).message;
        if (!/lock/i.test(message)) throw new StoreError(`cannot open the catalog ${path}: ${message.split('\n')[0]}. If the file is damaged, restore ${file} from your backup`);
        if (Date.now() >= giveUp) throw new StoreError(`busy: the data directory ${dataDir} is in use by another iapt process; try again when it has finished`, 'busy');
        await new Promise((wait) => setTimeout(wait, 50 + Math.random() * 100));
      }
    }
  } catch (error) {
    endTurn();
    throw error;
  }
  const bind = (params: readonly Param[]) => (params.length ? params : undefined);
  const run = (sql: string, params: readonly Param[]) => db.run(sql, bind(params));
  return {
    where: path,
    exclusive: !readOnly,
    run,
    rows: (schema, sql, params) => db.rows(schema, sql, bind(params)),
    transaction: async (work) => {
      await run('BEGIN TRANSACTION', []);
      try {
        const result = await work();
        await run('COMMIT', []);
        return result;
      } catch (error) {
        // A COMMIT that failed (a full disk) has already ended the transaction, and ROLLBACK then fails too: the
        // first failure is the one to report.
        await run('ROLLBACK', []).catch(() => undefined);
        throw error;
      }
    },
    // The file lock is the claim on everything: no other process writes while this one holds it.
    claim: async () => true,
    release: async () => undefined,
    close: async () => {
      db.close();
      endTurn();
    },
  };
}
