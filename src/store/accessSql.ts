// The tables of users, API tokens and the audit trail (issue 17), and what their two modules (users.ts,
// auditLog.ts) share. Like the catalog's own statements (sql.ts), every statement is written once in the SQL that
// DuckDB (the embedded catalog) and PostgreSQL (service mode) both accept: standard types, $n parameters, no
// dialect extensions (test/store/access.test.ts runs them on both). Columns are never named `at` (a reserved word
// in DuckDB). Timestamps are read back as text (CAST … AS VARCHAR) and whole numbers may come back as bigint,
// number or (node-postgres) string: the row schemas coerce them.
import { z } from 'zod';
import { IaptError } from '../core/errors.js';
import { isValidNhsNumber } from '../dataset/index.js';
import type { Catalog } from './catalog.js';

/** What the access functions need of a catalog: a Catalog (DuckDB or PostgreSQL), or in tests any adapter with the same three methods. */
export type AccessCatalog = Pick<Catalog, 'exec' | 'rows' | 'transaction'>;

/** The first row's prev_hash (and the head of an empty trail): 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

export const ACCESS_SCHEMA = [
  /** API tokens: only the SHA-256 of each token is stored, never the token. */
  `CREATE TABLE IF NOT EXISTS users (
    id BIGINT PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    role VARCHAR(20) NOT NULL,
    org VARCHAR(5),
    token_sha256 VARCHAR(64) NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
  )`,
  /** Append-only; each row's hash covers the previous row's hash and its own content (auditLog.ts). */
  `CREATE TABLE IF NOT EXISTS audit_log (
    seq BIGINT PRIMARY KEY,
    occurred_at TIMESTAMP NOT NULL,
    request_id VARCHAR(100) NOT NULL,
    actor VARCHAR(200) NOT NULL,
    role VARCHAR(40) NOT NULL,
    org VARCHAR(10),
    action VARCHAR(100) NOT NULL,
    object VARCHAR(500) NOT NULL,
    outcome VARCHAR(100) NOT NULL,
    prev_hash VARCHAR(64) NOT NULL,
    hash VARCHAR(64) NOT NULL
  )`,
  /** The last seq and hash of the trail, updated in the append's transaction: a truncated tail no longer reaches it. */
  `CREATE TABLE IF NOT EXISTS audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash VARCHAR(64) NOT NULL
  )`,
] as const;

export const ACCESS_SQL = {
  /** The genesis head, only for a trail that has neither a head nor rows (a head deleted later stays missing: verify reports it). */
  initHead: `INSERT INTO audit_head (id, seq, hash) SELECT 1, 0, $1 WHERE NOT EXISTS (SELECT 1 FROM audit_head) AND NOT EXISTS (SELECT 1 FROM audit_log)`,
  /** 3 when the three tables exist. */
  tablesExist: `SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('users', 'audit_log', 'audit_head')`,

  nextUserId: `SELECT COALESCE(MAX(id), 0) + 1 AS id FROM users`,
  insertUser: `INSERT INTO users (id, name, role, org, token_sha256, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, CAST($6 AS TIMESTAMP), NULL)`,
  listUsers: `SELECT id, name, role, org, CAST(created_at AS VARCHAR) AS created_at, CAST(revoked_at AS VARCHAR) AS revoked_at FROM users ORDER BY id`,
  userById: `SELECT id, CAST(revoked_at AS VARCHAR) AS revoked_at FROM users WHERE id = $1`,
  revokeUser: `UPDATE users SET revoked_at = CAST($2 AS TIMESTAMP) WHERE id = $1 AND revoked_at IS NULL`,
  /**
   * The active user holding a token, found by the token's SHA-256 through the column's unique index. Looking up a
   * hash leaks nothing useful by its timing: a caller cannot choose what the hash of a guess begins with.
   */
  activeToken: `SELECT id, name, role, org, token_sha256 FROM users WHERE token_sha256 = $1 AND revoked_at IS NULL`,

  /** Taken first in an append: under PostgreSQL's READ COMMITTED this row lock queues concurrent appends. */
  lockHead: `UPDATE audit_head SET seq = seq WHERE id = 1`,
  head: `SELECT seq, hash FROM audit_head WHERE id = 1`,
  /** Followed by one VALUES row of eleven parameters per audit row (auditLog.ts insertAuditRows). */
  insertAuditColumns: `INSERT INTO audit_log (seq, occurred_at, request_id, actor, role, org, action, object, outcome, prev_hash, hash)`,
  setHead: `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`,
  /** A page of the trail in seq order after a seq (verify; list with afterSeq). */
  auditAfter: `SELECT seq, CAST(occurred_at AS VARCHAR) AS occurred_at, request_id, actor, role, org, action, object, outcome, prev_hash, hash
    FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`,
  /** The same, no further than a seq (verify's second pass, up to the head it read). */
  auditBetween: `SELECT seq, CAST(occurred_at AS VARCHAR) AS occurred_at, request_id, actor, role, org, action, object, outcome, prev_hash, hash
    FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`,
  /** The last rows, oldest first. */
  auditLatest: `SELECT seq, occurred_at, request_id, actor, role, org, action, object, outcome, prev_hash, hash FROM (
      SELECT seq, CAST(occurred_at AS VARCHAR) AS occurred_at, request_id, actor, role, org, action, object, outcome, prev_hash, hash
      FROM audit_log ORDER BY seq DESC LIMIT $1
    ) latest ORDER BY seq`,
  /** A row numbered before the first (the walk starts after 0, so would not see it). */
  auditBeforeStart: `SELECT seq FROM audit_log WHERE seq < 1 ORDER BY seq LIMIT 1`,
} as const;

/** A whole number from either database: bigint (DuckDB), number (PGlite) or a string of digits (node-postgres BIGINT). */
export const dbInteger = z.union([z.bigint(), z.number().int(), z.string().regex(/^-?\d+$/)]).transform(Number);

/** A database TIMESTAMP read as text ('YYYY-MM-DD HH:MM:SS[.fff…]', both databases' ISO output) → 'YYYY-MM-DDTHH:MM:SS.sssZ' (stored as UTC). */
export function isoOfDbTimestamp(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?$/.exec(text);
  if (!m) throw new IaptError('input', `the catalog holds a timestamp in an unexpected form ("${text}"): set the database's DateStyle to ISO`);
  return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`;
}

/** An ISO instant (as toISOString writes it) as a TIMESTAMP literal both databases read the same: 'YYYY-MM-DD HH:MM:SS.sss'. */
export const dbTimestampOfIso = (iso: string): string => iso.replace('T', ' ').replace(/Z$/, '');

const countRow = z.object({ n: dbInteger });
const present = new WeakMap<AccessCatalog, true>();

/**
 * Makes the users and audit tables if they are missing (idempotent). The functions that write call it; those that
 * only read do not (a read-only catalog cannot CREATE), and find nothing where there are no tables.
 */
export async function ensureAccessSchema(catalog: AccessCatalog): Promise<void> {
  if (await accessTablesExist(catalog)) return;
  await serialised(catalog, async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        for (const statement of ACCESS_SCHEMA) await catalog.exec(statement);
        await catalog.exec(ACCESS_SQL.initHead, [GENESIS_HASH]);
        present.set(catalog, true);
        return;
      } catch (error) {
        // Two PostgreSQL sessions creating the same table at once: one fails (a unique violation in the system
        // catalogs, or "type … already exists", 42710 / 42P07); the retry finds it made.
        if (attempt >= 5 || !(isConflict(error) || madeMeanwhile(error))) throw error;
      }
    }
  });
}

/** Whether the access tables exist (remembered per catalog object once they do). */
export async function accessTablesExist(catalog: AccessCatalog): Promise<boolean> {
  if (present.get(catalog)) return true;
  const [row] = await catalog.rows(countRow, ACCESS_SQL.tablesExist);
  if (row?.n !== ACCESS_SCHEMA.length) return false;
  present.set(catalog, true);
  return true;
}

/** CREATE … IF NOT EXISTS losing to another session creating the same object: duplicate_object or duplicate_table. */
function madeMeanwhile(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '42710' || code === '42P07' || /already exists/i.test(error instanceof Error ? error.message : String(error));
}

/**
 * A write that lost a race with another writer and may simply be tried again: a unique-key violation (PostgreSQL
 * 23505, DuckDB "Duplicate key"), a serialisation failure or deadlock (40001, 40P01), a DuckDB write-write conflict.
 */
export function isConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === '23505' || code === '40001' || code === '40P01') return true;
  const message = error instanceof Error ? error.message : String(error);
  return /duplicate key|violates (primary key|unique)|conflict|could not serialize|deadlock/i.test(message);
}

const queues = new WeakMap<AccessCatalog, Promise<unknown>>();

/**
 * Runs `work` after every earlier write of this module on the same catalog object has finished. A catalog is one
 * connection, and a transaction on it is a run of statements: two interleaved (Promise.all in one process) would
 * open a transaction inside another. Writers in other processes or connections are kept apart by the database
 * (DuckDB admits one writing process; PostgreSQL's row lock on the head and the primary keys) and retried.
 */
export function serialised<T>(catalog: AccessCatalog, work: () => Promise<T>): Promise<T> {
  const before = queues.get(catalog) ?? Promise.resolve();
  const result = before.then(work, work);
  queues.set(
    catalog,
    result.then(
      () => undefined,
      () => undefined,
    ),
  );
  return result;
}

/**
 * Runs a write transaction, trying again when it lost a race with another writer: up to 20 times, after a random
 * wait growing to about 0.2 s (a busy 2-core machine needed more than 8 short tries), about 2 s in all.
 */
export async function withRetry<T>(what: string, work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isConflict(error)) throw error;
      if (attempt >= 20) throw new IaptError('busy', `${what}: other writers kept the catalog busy; try again`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 10 * attempt));
    }
  }
}

/**
 * Whether a text holds what may be an NHS number: ten digits that pass the Modulus 11 check, written plainly or as
 * 3-3-4 with spaces or hyphens, not part of a longer number. With `opaque` (a request id: a UUID or other random
 * token), only digits standing apart from letters too count, so that a run of digits inside a hex group (one UUID
 * in a few hundred holds ten in a row) is not taken for one.
 */
export function containsNhsNumber(text: string, opaque = false): boolean {
  const edge = opaque ? '[0-9A-Za-z]' : '[0-9]';
  const candidates = new RegExp(`(?<!${edge})([0-9]{3})[ -]?([0-9]{3})[ -]?([0-9]{4})(?!${edge})`, 'g');
  for (const m of text.matchAll(candidates)) if (isValidNhsNumber(m[1]! + m[2]! + m[3]!)) return true;
  return false;
}
