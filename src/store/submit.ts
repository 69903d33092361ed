// `iapt submit`: validate, register, and store the accepted records as immutable Parquet, atomically.
// Order of work: validate, without holding the catalog (other processes may store submissions meanwhile); then,
// holding it: reserve a pending catalog row → build the submission folder under .tmp/ (marked temporary; report,
// Parquet, owner-only, fsync) → rename it into submissions/ → mark the row complete. A crash at any point leaves
// either the complete submission or, after Catalog.open's recovery, nothing.
import { existsSync, renameSync, rmdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { mkdirPrivate, makePrivate, writePrivateFile } from '../core/files.js';
import { randomUUID } from 'node:crypto';
import { asIaptError, IaptError, inputError } from '../core/errors.js';
import { TABLE_NAMES } from '../dataset/index.js';
import { sqlInteger, type Db } from '../core/db.js';
import { ident as q, literal } from '../core/sql.js';
import { z } from 'zod';
import { contentHash } from '../intake/index.js';
import { stagingTable } from '../intake/types.js';
import { validateSubmission, writeReportFiles } from '../validation/index.js';
import type { ValidationReport } from '../validation/report/types.js';
import { appendAuditWithin, ensureAccessSchema, localActor } from './access.js';
import { Catalog, StoreError, SUBMISSION_MARKER } from './catalog.js';
import { storedColumnsSql, uniqueMonthId } from './identifiers.js';
import { fsyncDir, fsyncTree, makeTemporary, removeTemporary } from './owned.js';
import { SQL } from './sql.js';
import { loadCalendar, placeSubmission, type Placement } from './windows.js';

export interface SubmitOptions {
  dataDir: string;
  /** Upload time, ISO 8601 (default now). */
  received?: string;
  referenceDir?: string;
  /** Organisation of the submitting login (IDS00030/IDS00033). */
  provider?: string;
  /** Accept a file received outside its period's windows (recorded as late). */
  late?: boolean;
  /** Who submits, for the audit trail: the API user whose job this is; by default `cli:<login name>` (localActor). */
  actor?: string;
  /** Their role (default admin: whoever runs iapt on the data directory administers it). */
  role?: string;
  /** The audit trail's request id: the job's id; by default `cli-<uuid>`. */
  requestId?: string;
  /** The catalog's PostgreSQL database (service mode); null: the data directory's catalog.duckdb; default IAPT_DATABASE_URL. */
  databaseUrl?: string | null;
  /** DuckDB threads for this submission (default: all cores); a process submitting several files at once gives each 1. */
  threads?: number;
  /** Test hook: called between the steps of a submit (used to check crash safety). */
  onStep?: (step: string) => void;
}

export type SubmitResult =
  | { status: 'stored'; id: number; outcome: ValidationReport['outcome']; provider: string; period: string; placement: Placement; late: boolean; report: ValidationReport; folder: string }
  | { status: 'duplicate'; duplicateOf: number; outcome: string }
  | { status: 'refused'; reason: string; report: ValidationReport | null };

async function writeAcceptedParquet(db: Db, dir: string, id: number, provider: string, period: string, fileType: string): Promise<void> {
  mkdirPrivate(dir);
  for (const table of TABLE_NAMES) {
    const { select, joins } = storedColumnsSql(table, id, provider, period, fileType);
    await db.run(
      `COPY (SELECT ${select} FROM ${q(stagingTable(table))} t ${joins} WHERE NOT EXISTS (SELECT 1 FROM rejected x WHERE x.tbl = ${literal(table)} AND x._row = t._row) ORDER BY t._row) ` +
        `TO ${literal(join(dir, `${table}.parquet`))} (FORMAT parquet, COMPRESSION zstd)`,
    );
  }
}

/** How long a submit waits for another process's short catalog step before giving up. */
const CATALOG_WAIT_MS = 60_000;

async function withCatalog<T>(dataDir: string, databaseUrl: string | null | undefined, work: (catalog: Catalog) => Promise<T>): Promise<T> {
  const catalog = await Catalog.open(dataDir, { waitMs: CATALOG_WAIT_MS, create: true, ...(databaseUrl !== undefined ? { databaseUrl } : {}) });
  try {
    return await work(catalog);
  } finally {
    catalog.close();
  }
}

export async function submit(path: string, options: SubmitOptions): Promise<SubmitResult> {
  const step = options.onStep ?? (() => undefined);
  const received = options.received ?? new Date().toISOString().slice(0, 19);
  // The store's own content hash: a file's sha256, or for a folder of CSV files a hash over its files' names and bytes.
  const sha256 = await contentHash(path);
  const duplicate = async (catalog: Catalog): Promise<SubmitResult | null> => {
    const [same] = await catalog.rows(z.object({ id: sqlInteger, outcome: z.string() }), SQL.bySha256, [sha256]);
    return same ? { status: 'duplicate', duplicateOf: same.id, outcome: same.outcome } : null;
  };
  const earlier = await withCatalog(options.dataDir, options.databaseUrl, duplicate);
  if (earlier) return earlier;

  // Validation, the long part, runs without the catalog, so that other processes can store submissions meanwhile.
  const validation = await validateSubmission(path, { received, keepDb: true, ...(options.threads ? { threads: options.threads } : {}), ...(options.referenceDir ? { referenceDir: options.referenceDir } : {}), ...(options.provider ? { provider: options.provider } : {}) });
  const db = validation.db!;
  try {
    const { report } = validation;
    const provider = report.submission.provider;
    const start = report.submission.reportingPeriodStart;
    if (!provider || !start) return { status: 'refused', reason: 'the Header gives no readable provider (OrgIDProv) and reporting period, so the submission cannot be placed', report };
    const period = start.slice(0, 7);
    const placement = placeSubmission(period, received, loadCalendar(options.dataDir));
    if (!placement.inWindow && !options.late) {
      const w = placement.windows;
      return {
        status: 'refused',
        reason: `received ${received.slice(0, 10)} is outside the submission windows for ${period} (Primary ${w.primary[0]} to ${w.primary[1]}, Refresh ${w.refresh[0]} to ${w.refresh[1]}); use --late to accept it anyway`,
        report,
      };
    }
    const late = !placement.inWindow;
    const sum = (k: 'received' | 'accepted' | 'rejected') => report.tables.reduce((n, t) => n + t[k], 0);
    const stored = withCatalog(options.dataDir, options.databaseUrl, async (catalog): Promise<SubmitResult> => {
      const meanwhile = await duplicate(catalog); // the same file, stored by another process while this one validated
      if (meanwhile) return meanwhile;
      const id = await catalog.transaction(async () => {
        const next = await catalog.nextId(SQL.nextSubmissionId);
        await catalog.exec(SQL.reserveSubmission, [
          next, provider, period, uniqueMonthId(period), placement.fileType, late, received.replace('T', ' '), sha256, basename(path),
          validation.staged.version, report.outcome, sum('received'), sum('accepted'), sum('rejected'), `submissions/${next}`, new Date().toISOString().slice(0, 19).replace('T', ' '),
        ]);
        return next;
      });
      step('reserved');
      const tmpRoot = join(options.dataDir, '.tmp');
      const root = join(options.dataDir, 'submissions');
      const final = join(root, `${id}`);
      if (existsSync(final)) throw new StoreError(`${final} already exists but the catalog does not name it: move it out of the data directory, then submit again`);
      const tmp = makeTemporary(tmpRoot, `${id}`);
      writePrivateFile(join(tmp, SUBMISSION_MARKER), `${JSON.stringify({ id })}\n`);
      await writeReportFiles(db, report, join(tmp, 'report'));
      step('report');
      if (report.outcome === 'accepted') await writeAcceptedParquet(db, join(tmp, 'tables'), id, provider, period, placement.fileType);
      step('parquet');
      // DuckDB and the report writer create files with the umask: the stored records hold NHS numbers.
      makePrivate(tmp);
      fsyncTree(tmp);
      mkdirPrivate(root);
      renameSync(tmp, final);
      fsyncDir(root);
      removeTemporary(tmpRoot, `${id}`); // only the marker is left
      // Only the catalog's only writer removes .tmp/: in service mode another process may be making its folder there.
      if (catalog.exclusive) {
        try {
          rmdirSync(tmpRoot);
        } catch {
          // Not empty: another leftover, for the next recovery.
        }
      }
      step('renamed');
      await ensureAccessSchema(catalog);
      // The submission is complete and in the audit trail together, or neither.
      await catalog.transaction(async () => {
        for (const t of report.tables) await catalog.exec(SQL.insertTableCounts, [id, t.table, t.received, t.accepted, t.rejected]);
        await catalog.exec(SQL.completeSubmission, [id]);
        await appendAuditWithin(catalog, {
          requestId: options.requestId ?? `cli-${randomUUID()}`,
          actor: options.actor ?? localActor(),
          role: options.role ?? 'admin',
          org: provider,
          action: 'submit',
          // Not the file's sha256 (the catalog has it by id): ten of its hex digits in a row can pass for an NHS number.
          object: `submission=${id} provider=${provider} period=${period} fileType=${placement.fileType}${late ? ' late' : ''}`,
          outcome: report.outcome,
        });
      });
      step('complete');
      return { status: 'stored', id, outcome: report.outcome, provider, period, placement, late, report, folder: join(options.dataDir, 'submissions', `${id}`) };
    });
    return await stored.catch((error: unknown) => {
      // A full disk or a denied path while storing: name the data directory; the next open recovers the half-done step.
      const known = asIaptError(error);
      if (known && !(error instanceof IaptError)) throw inputError(`cannot store the submission in ${options.dataDir}: ${known.message}`, error);
      throw error;
    });
  } finally {
    db.close();
  }
}
