// The audit trail (issue 17): who read or changed what, when, and with what outcome, in an append-only table where
// each row carries a hash over the previous row's hash and its own content, so that an edited, inserted or deleted
// row breaks the chain where it happened. A separate head (audit_head: the last seq and hash, updated in the
// append's transaction) catches a tail cut off. verifyAudit walks the chain and names the first bad row.
//
// The hash of row n: SHA-256, hex, of prev_hash (64 hex characters, GENESIS_HASH for row 1) followed by the UTF-8
// of the canonical serialisation of its content: the JSON array
//   [seq, at, requestId, actor, role, org, action, object, outcome]
// in that order, seq a number, at as 'YYYY-MM-DDTHH:MM:SS.sssZ' (UTC, milliseconds), org a string or null, the
// rest strings (JSON.stringify: no spaces). Anyone can recompute it (nothing secret): the chain shows where a row
// was changed, and rewriting the chain from some row on is caught by comparing the head with a copy kept elsewhere.
//
// The trail never holds identifier values: an entry whose fields hold what may be an NHS number is refused.
import { createHash } from 'node:crypto';
import { userInfo } from 'node:os';
import { z } from 'zod';
import { IaptError } from '../core/errors.js';
import {
  ACCESS_SQL,
  accessTablesExist,
  containsNhsNumber,
  dbInteger,
  dbTimestampOfIso,
  ensureAccessSchema,
  GENESIS_HASH,
  isoOfDbTimestamp,
  serialised,
  withRetry,
  type AccessCatalog,
} from './accessSql.js';

export interface AuditEntry {
  requestId: string;
  actor: string;
  role: string;
  org: string | null;
  action: string;
  object: string;
  outcome: string;
  /** When: an ISO date-time (UTC when it names no zone); by default now. Kept to the millisecond. */
  at?: string;
}

export type AuditRow = AuditEntry & { seq: number; at: string; hash: string };

export type AuditVerdict = { ok: true; rows: number; head: string } | { ok: false; rows: number; firstBad: number; problem: string };

const PAGE = 5000;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** A text field of an entry: within its column's length, well-formed Unicode (it must read back as it was hashed), no control characters. */
const text = (field: string, max: number, min = 1) =>
  z
    .string({ error: `${field} must be text` })
    .min(min, `${field} must not be empty`)
    .max(max, `${field} is longer than ${max} characters`)
    .refine((s) => Buffer.from(s, 'utf8').toString('utf8') === s, `${field} is not well-formed Unicode`)
    // eslint-disable-next-line no-control-regex
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), `${field} holds a control character`);

const entrySchema = z.object({
  requestId: text('requestId', 100),
  actor: text('actor', 200),
  role: text('role', 40),
  org: text('org', 10).nullable(),
  action: text('action', 100),
  object: text('object', 500, 0),
  outcome: text('outcome', 100),
  at: z.string().regex(ISO_DATE_TIME, 'at must be an ISO date-time').optional(),
});

const headRow = z.object({ seq: dbInteger, hash: z.string() });
const seqRow = z.object({ seq: dbInteger });
const logRow = z.object({
  seq: dbInteger,
  occurred_at: z.string(),
  request_id: z.string(),
  actor: z.string(),
  role: z.string(),
  org: z.string().nullable(),
  action: z.string(),
  object: z.string(),
  outcome: z.string(),
  prev_hash: z.string(),
  hash: z.string(),
});
type LogRow = z.output<typeof logRow>;

/** The canonical instant of an entry: 'YYYY-MM-DDTHH:MM:SS.sssZ'. A date-time without a zone is UTC. */
function canonicalAt(at: string | undefined): string {
  if (at === undefined) return new Date().toISOString();
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(at) ? at : `${at}Z`;
  const date = new Date(zoned.replace(' ', 'T'));
  if (Number.isNaN(date.getTime())) throw new IaptError('input', `at: "${at}" is not a date-time`);
  return date.toISOString();
}

/** The hash of a row: see the head of this file. */
export function auditHash(prevHash: string, row: { seq: number; at: string; requestId: string; actor: string; role: string; org: string | null; action: string; object: string; outcome: string }): string {
  const content = JSON.stringify([row.seq, row.at, row.requestId, row.actor, row.role, row.org, row.action, row.object, row.outcome]);
  return createHash('sha256').update(prevHash + content, 'utf8').digest('hex');
}

const rowOf = (r: LogRow): AuditRow & { prevHash: string } => ({
  seq: r.seq,
  at: isoOfDbTimestamp(r.occurred_at),
  requestId: r.request_id,
  actor: r.actor,
  role: r.role,
  org: r.org,
  action: r.action,
  object: r.object,
  outcome: r.outcome,
  hash: r.hash,
  prevHash: r.prev_hash,
});

/** Who runs a command on this machine, as the audit trail names them: `cli:<login name>`. */
export function localActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return `cli:uid ${process.getuid?.() ?? 'unknown'}`;
  }
}

/** The row of an entry, or an IaptError: a malformed field, or one that may hold an NHS number (never repeated). */
function checkedRow(entry: AuditEntry): Omit<AuditRow, 'seq' | 'hash'> {
  const parsed = entrySchema.safeParse(entry);
  if (!parsed.success) throw new IaptError('input', `audit entry: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const e = parsed.data;
  const fields: [string, string | null][] = [['actor', e.actor], ['role', e.role], ['org', e.org], ['action', e.action], ['object', e.object], ['outcome', e.outcome]];
  const identifying = [...(containsNhsNumber(e.requestId, true) ? ['requestId'] : []), ...fields.filter(([, v]) => v !== null && containsNhsNumber(v)).map(([f]) => f)];
  if (identifying.length > 0) throw new IaptError('input', `audit entry refused: ${identifying.join(', ')} may hold an NHS number, and identifiers are never written to the audit trail`);
  return { at: canonicalAt(e.at), requestId: e.requestId, actor: e.actor, role: e.role, org: e.org, action: e.action, object: e.object, outcome: e.outcome };
}

/** Entries waiting for the next append of a catalog, each with its caller's promise. */
interface Waiting {
  row: Omit<AuditRow, 'seq' | 'hash'>;
  done: (error?: unknown) => void;
}
const waiting = new WeakMap<AccessCatalog, Waiting[]>();

/** The most rows one append transaction writes (a group commit: what arrived while the last append ran). */
export const AUDIT_BATCH = 200;

/**
 * Appends an entry to the trail. The head is locked and read, the rows inserted and the head moved in one
 * transaction, so two appends never both follow the same row; one that loses a race (a duplicate seq) is retried.
 * Entries that arrive while an append of the same catalog runs wait and go together in the next one (one
 * transaction for up to AUDIT_BATCH rows, chained in arrival order): a busy server keeps up with its requests.
 * Resolves when the entry is committed. Refuses an entry that may hold an NHS number (the message never repeats
 * it) and a trail whose head is missing.
 */
export async function appendAudit(catalog: AccessCatalog, entry: AuditEntry): Promise<void> {
  const row = checkedRow(entry);
  // Queued at once, before anything is awaited, so that entries are chained in the order they were sent.
  const queue = waiting.get(catalog) ?? waiting.set(catalog, []).get(catalog)!;
  let done!: Waiting['done'];
  const committed = new Promise<void>((resolve, reject) => (done = (error) => (error === undefined ? resolve() : reject(error as Error))));
  const me: Waiting = { row, done };
  queue.push(me);
  try {
    await ensureAccessSchema(catalog);
  } catch (error) {
    const at = queue.indexOf(me);
    if (at >= 0) queue.splice(at, 1);
    throw error;
  }
  // One append at a time per catalog (serialised): each entry adds a turn, and a turn takes what is waiting then
  // (up to AUDIT_BATCH), so the turns of entries already taken find nothing to do.
  void serialised(catalog, () => appendWaiting(catalog));
  return committed;
}

async function appendWaiting(catalog: AccessCatalog): Promise<void> {
  const queue = waiting.get(catalog);
  if (!queue || queue.length === 0) return; // taken by an earlier append
  const batch = queue.splice(0, AUDIT_BATCH);
  try {
    await withRetry('appending to the audit trail', () => catalog.transaction(() => chainRows(catalog, batch.map((w) => w.row))));
    for (const w of batch) w.done();
  } catch (error) {
    for (const w of batch) w.done(error);
  }
}

/** Locks the head, inserts the rows chained after it and moves the head: within the caller's transaction. */
async function chainRows(catalog: AccessCatalog, rows: Omit<AuditRow, 'seq' | 'hash'>[]): Promise<void> {
  await catalog.exec(ACCESS_SQL.lockHead);
  const [head] = await catalog.rows(headRow, ACCESS_SQL.head);
  if (!head) throw new IaptError('input', 'the audit trail has lost its head record (audit_head), so it has been tampered with: nothing more is appended; run iapt audit verify');
  let { seq, hash: prev } = head;
  const values: (string | number | null)[] = [];
  for (const row of rows) {
    seq += 1;
    const hash = auditHash(prev, { seq, ...row });
    values.push(seq, dbTimestampOfIso(row.at), row.requestId, row.actor, row.role, row.org, row.action, row.object, row.outcome, prev, hash);
    prev = hash;
  }
  await catalog.exec(insertAuditRows(rows.length), values);
  await catalog.exec(ACCESS_SQL.setHead, [seq, prev]);
}

/**
 * Appends an entry as part of the work the caller is doing in a transaction of its own (a submission's completion),
 * so that the entry is committed with that work or not at all. The caller has run ensureAccessSchema before its
 * transaction. The head is locked until the caller commits: keep the rest of the transaction short.
 */
export async function appendAuditWithin(catalog: AccessCatalog, entry: AuditEntry): Promise<void> {
  await chainRows(catalog, [checkedRow(entry)]);
}

/** INSERT of n audit rows, eleven parameters each ($1…$11 for the first row, and so on). */
function insertAuditRows(n: number): string {
  const rows = Array.from({ length: n }, (_, i) => {
    const p = (k: number) => `$${i * 11 + k}`;
    return `(${p(1)}, CAST(${p(2)} AS TIMESTAMP), ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)}, ${p(11)})`;
  });
  return `${ACCESS_SQL.insertAuditColumns} VALUES ${rows.join(', ')}`;
}

/**
 * Rows of the trail, oldest first: with `afterSeq`, the first `limit` rows after it (to page forward from 0);
 * without, the last `limit` rows. `limit` is 1 to 10,000 (default 100).
 */
export async function listAudit(catalog: AccessCatalog, options: { limit?: number; afterSeq?: number } = {}): Promise<AuditRow[]> {
  const limit = options.limit ?? 100;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 10_000) throw new IaptError('usage', `limit must be a whole number from 1 to 10000 (not ${limit})`);
  if (options.afterSeq !== undefined && (!Number.isSafeInteger(options.afterSeq) || options.afterSeq < 0)) throw new IaptError('usage', `afterSeq must be a whole number from 0 (not ${options.afterSeq})`);
  if (!(await accessTablesExist(catalog))) return [];
  const rows = options.afterSeq === undefined ? await catalog.rows(logRow, ACCESS_SQL.auditLatest, [limit]) : await catalog.rows(logRow, ACCESS_SQL.auditAfter, [options.afterSeq, limit]);
  return rows.map((r) => {
    const { prevHash: _prevHash, ...row } = rowOf(r);
    return row;
  });
}

/**
 * Walks the trail in seq order and checks each row: its seq follows the last (a gap: deleted rows), its prev_hash is
 * the last row's hash (a row deleted, inserted, or changed and rehashed before it), its hash is that of its content
 * (an edited row); and at the end that the last row is the head (a tail cut off, or rows added without the head).
 * `rows`: every row when intact; otherwise the rows found intact before the first bad one, `firstBad` its seq.
 */
export async function verifyAudit(catalog: AccessCatalog): Promise<AuditVerdict> {
  if (!(await accessTablesExist(catalog))) return { ok: true, rows: 0, head: GENESIS_HASH };
  const [early] = await catalog.rows(seqRow, ACCESS_SQL.auditBeforeStart);
  if (early) return { ok: false, rows: 0, firstBad: early.seq, problem: `row ${early.seq} has a seq before 1, where no row of the trail can be: it was inserted` };
  let seq = 0;
  let prev = GENESIS_HASH;

  /** Checks one page after another; `upTo` bounds the second pass to the head read after the first. */
  const walk = async (upTo?: number): Promise<{ firstBad: number; problem: string } | null> => {
    for (;;) {
      const page = upTo === undefined ? await catalog.rows(logRow, ACCESS_SQL.auditAfter, [seq, PAGE]) : await catalog.rows(logRow, ACCESS_SQL.auditBetween, [seq, upTo, PAGE]);
      for (const r of page) {
        const row = rowOf(r);
        if (row.seq !== seq + 1) return { firstBad: seq + 1, problem: `row ${seq + 1} is missing: the trail goes from ${seq === 0 ? 'its start' : `row ${seq}`} to row ${row.seq} (rows deleted)` };
        if (row.prevHash !== prev) {
          return {
            firstBad: row.seq,
            problem:
              seq === 0
                ? `row ${row.seq} does not start the chain (its prev_hash is not the genesis value): rows before it were deleted, or it was inserted`
                : `row ${row.seq} does not follow row ${seq} (its prev_hash is not row ${seq}'s hash): a row was inserted or deleted here, or row ${seq} was changed and its hash recomputed`,
          };
        }
        if (auditHash(row.prevHash, row) !== row.hash) return { firstBad: row.seq, problem: `row ${row.seq} does not match its hash: its content was changed after it was written` };
        seq = row.seq;
        prev = row.hash;
      }
      if (page.length < PAGE) return null;
    }
  };

  let bad = await walk();
  if (bad) return { ok: false, rows: seq, ...bad };
  // Read after the rows: an append commits its row and the head together, so the head now reaches at least every
  // row read. If it reaches further, appends came in meanwhile: walk on up to it (and no further, for the same reason).
  const [head] = await catalog.rows(headRow, ACCESS_SQL.head);
  if (!head) return { ok: false, rows: seq, firstBad: seq + 1, problem: `the head record (audit_head) is missing, so a tail cut off after ${seq === 0 ? 'the start' : `row ${seq}`} could not be seen: the trail has been tampered with` };
  if (head.seq > seq) {
    bad = await walk(head.seq);
    if (bad) return { ok: false, rows: seq, ...bad };
  }
  if (head.seq > seq) {
    return { ok: false, rows: seq, firstBad: seq + 1, problem: `row ${seq + 1} is missing: the head records ${head.seq} rows, the trail ends at ${seq === 0 ? 'its start' : `row ${seq}`} (rows deleted from the end)` };
  }
  if (head.seq < seq) {
    return { ok: false, rows: head.seq, firstBad: head.seq + 1, problem: `row ${head.seq + 1} is past the head (${head.seq} rows): rows were added without going through iapt, or the head was set back` };
  }
  if (head.hash !== prev) {
    return { ok: false, rows: seq - 1, firstBad: seq, problem: `row ${seq}'s hash is not the one the head records: the last row was replaced, or the head was changed` };
  }
  return { ok: true, rows: seq, head: prev };
}
