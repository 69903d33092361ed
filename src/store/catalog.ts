// The catalog: which submissions arrived, what became of them, which one counts. An embedded DuckDB file, opened
// like every DuckDB instance through core/db.ts (the job's memory limit and threads); its statements (sql.ts) are
// written in the SQL PostgreSQL shares, with $1, $2, … parameters, for the planned service mode.
import { chmodSync, existsSync, readdirSync, readFileSync, renameSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readConfig } from '../core/config.js';
import { openDb, sqlInteger, type Db } from '../core/db.js';
import { IaptError } from '../core/errors.js';
import { mkdirPrivate, PRIVATE_FILE_MODE } from '../core/files.js';
import { markTemporary, sweepTemporaries } from './owned.js';
import { CATALOG_SCHEMA, SQL } from './sql.js';

export type Param = string | number | boolean | null;

/** A registered submission as SQL.listSubmissions reads it (in its column order). */
const submissionRow = z.object({
  id: sqlInteger,
  provider: z.string(),
  period: z.string(),
  unique_month_id: sqlInteger,
  file_type: z.enum(['Primary', 'Refresh']),
  late: z.boolean(),
  received: z.string(),
  sha256: z.string(),
  file_name: z.string(),
  dataset_version: z.string(),
  outcome: z.enum(['accepted', 'rejected']),
  rows_received: sqlInteger,
  rows_accepted: sqlInteger,
  rows_rejected: sqlInteger,
  folder: z.string(),
  counts: z.boolean(),
});
export type SubmissionRow = z.output<typeof submissionRow>;

const idRow = z.object({ id: sqlInteger });
const pendingRow = z.object({ id: sqlInteger, folder: z.string() });
const settingRow = z.object({ value: z.string() });

/** A problem with the data directory itself: unreadable or inconsistent (input), or in use by another process (busy). */
export class StoreError extends IaptError {
  constructor(message: string, kind: 'input' | 'busy' = 'input') {
    super(kind, message);
    this.name = 'StoreError';
  }
}

export const CATALOG_FILE = 'catalog.duckdb';
/** Written into every submission folder the platform builds: `{"id": n}`. Recovery removes a pending row's folder only if it carries it. */
export const SUBMISSION_MARKER = '.iapt-submission';
/** What a data directory holds once something has been stored: beside these, a missing catalog is lost, not new. */
const STORED_DATA = ['submissions', 'processed'];
/** What may be in a folder before its first submit makes it a data directory. */
const BEFORE_CATALOG = new Set(['calendar.json', 'pseudo.key', '.tmp', `${CATALOG_FILE}.wal`, 'lost+found']);

export interface OpenOptions {
  /** Retry a catalog held by another process until this long has passed. */
  waitMs?: number;
  /** Open for reading only (DuckDB READ_ONLY): no folder is created, nothing is written, no recovery. */
  readOnly?: boolean;
  /** Make a new data directory (and catalog) if there is none: for `iapt submit` only. */
  create?: boolean;
}

/**
 * Checks that `dataDir` is a data directory, or (with `create`) may become one. Refuses a missing data directory
 * for commands that only use one, a catalog missing beside stored data (restoring it is the fix, never a new empty
 * one), and a folder holding unrelated files.
 */
function checkDataDirectory(dataDir: string, create: boolean): void {
  if (!existsSync(dataDir)) {
    if (!create) throw new StoreError(`no data directory at ${dataDir}: check --data (iapt submit creates a data directory on the first submission)`);
    mkdirPrivate(dataDir);
    return;
  }
  if (!statSync(dataDir).isDirectory()) throw new StoreError(`${dataDir} is not a folder, so it cannot be a data directory: check --data`);
  const catalog = join(dataDir, CATALOG_FILE);
  // List before looking for the catalog: a concurrent first submit may be creating it, and everything it then
  // writes (the catalog, stored data) comes after the catalog exists, so is never taken for foreign files here.
  const entries = readdirSync(dataDir);
  if (existsSync(catalog)) return;
  const stored = entries.filter((e) => STORED_DATA.includes(e));
  if (stored.length > 0) {
    throw new StoreError(
      `the catalog ${catalog} is missing, but ${dataDir} holds stored data (${stored.map((e) => `${e}/`).join(', ')}): restore ${CATALOG_FILE} from your backup into ${dataDir}. ` +
        'iapt will not start an empty catalog beside stored data, which would lose track of every submission',
    );
  }
  if (!create) throw new StoreError(`${dataDir} is not an iapt data directory (it has no ${CATALOG_FILE}): check --data, or submit a file first`);
  const foreign = entries.filter((e) => !BEFORE_CATALOG.has(e));
  if (foreign.length > 0) {
    throw new StoreError(
      `${dataDir} is not empty and is not an iapt data directory (it holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}): give --data an empty or new folder`,
    );
  }
}

function makeCatalogPrivate(dataDir: string): void {
  for (const file of [CATALOG_FILE, `${CATALOG_FILE}.wal`]) {
    try {
      chmodSync(join(dataDir, file), PRIVATE_FILE_MODE);
    } catch {
      // The WAL comes and goes.
    }
  }
}

function isOwnSubmissionFolder(folder: string, id: number): boolean {
  try {
    return (JSON.parse(readFileSync(join(folder, SUBMISSION_MARKER), 'utf8')) as { id?: unknown }).id === id;
  } catch {
    return false;
  }
}

export class Catalog {
  private constructor(
    readonly dataDir: string,
    private readonly db: Db,
  ) {}

  /**
   * Opens the catalog of a data directory (with `create`, making a new data directory if there is none) and,
   * unless read-only, cleans up after any interrupted submit. The file admits one writer at a time; with
   * `waitMs` a busy catalog is retried until that long has passed (other processes hold it only for short
   * catalog steps, e.g. a submit's store phase).
   */
  static async open(dataDir: string, options: OpenOptions = {}): Promise<Catalog> {
    const readOnly = options.readOnly ?? false;
    checkDataDirectory(dataDir, !readOnly && (options.create ?? false));
    const path = join(dataDir, CATALOG_FILE);
    const giveUp = Date.now() + (options.waitMs ?? 0);
    const limits = readConfig().engine; // read before the retries: a bad limit is a usage error, not a damaged catalog
    let db: Db;
    for (;;) {
      try {
        db = await openDb({ path, readOnly, limits });
        break;
      } catch (error) {
        const message = (error as Error).message;
        if (!/lock/i.test(message)) throw new StoreError(`cannot open the catalog ${path}: ${message.split('\n')[0]}. If the file is damaged, restore ${CATALOG_FILE} from your backup`);
        if (Date.now() >= giveUp) throw new StoreError(`busy: the data directory ${dataDir} is in use by another iapt process; try again when it has finished`, 'busy');
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
      }
    }
    const catalog = new Catalog(dataDir, db);
    if (readOnly) return catalog;
    try {
      makeCatalogPrivate(dataDir);
      for (const statement of CATALOG_SCHEMA) await catalog.exec(statement);
      await catalog.recover();
    } catch (error) {
      catalog.close();
      throw error;
    }
    return catalog;
  }

  async exec(sql: string, params: readonly Param[] = []): Promise<void> {
    await this.db.run(sql, params.length ? params : undefined);
  }

  /** The rows of a catalog query, each checked against `schema`. */
  async rows<S extends z.ZodType>(schema: S, sql: string, params: readonly Param[] = []): Promise<z.output<S>[]> {
    return this.db.rows(schema, sql, params.length ? params : undefined);
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.exec('BEGIN TRANSACTION');
    try {
      const result = await work();
      await this.exec('COMMIT');
      return result;
    } catch (error) {
      await this.exec('ROLLBACK');
      throw error;
    }
  }

  /**
   * After a crash: pending rows (a submit that never completed) are removed, with the folder the submit built
   * (only if it carries the submission marker with the row's id), and the marked temporary folders in `.tmp/`
   * are removed. Only one process can hold the catalog for writing, so anything pending now is stale. Nothing
   * unmarked is deleted: a folder in submissions/ that no row names is left alone.
   */
  private async recover(): Promise<void> {
    const tmp = join(this.dataDir, '.tmp');
    sweepTemporaries(tmp, () => true);
    for (const p of await this.rows(pendingRow, SQL.pendingSubmissions)) {
      const folder = join(this.dataDir, p.folder);
      if (isOwnSubmissionFolder(folder, p.id)) {
        // Moved aside under a marker first, so that a removal cut short is finished by the next recovery.
        mkdirPrivate(tmp);
        markTemporary(tmp, `recover-${p.id}`);
        renameSync(folder, join(tmp, `recover-${p.id}`));
      }
      await this.transaction(async () => {
        await this.exec(SQL.deletePendingTables, [p.id]);
        await this.exec(SQL.deletePending, [p.id]);
      });
    }
    sweepTemporaries(tmp, () => true);
    if (existsSync(tmp) && readdirSync(tmp).length === 0) rmdirSync(tmp);
  }

  async setting(name: string): Promise<string | null> {
    const [row] = await this.rows(settingRow, SQL.getSetting, [name]);
    return row ? row.value : null;
  }

  /** Records a setting once; an existing value is kept (compare with setting() first). */
  async recordSetting(name: string, value: string): Promise<void> {
    if ((await this.setting(name)) === null) await this.exec(SQL.insertSetting, [name, value]);
  }

  async submissions(filter: { provider?: string; period?: string } = {}): Promise<SubmissionRow[]> {
    const rows = await this.rows(submissionRow, SQL.listSubmissions);
    return rows.filter((r) => (!filter.provider || r.provider === filter.provider) && (!filter.period || r.period === filter.period));
  }

  async audit(actor: string, action: string, detail: string, at: string): Promise<void> {
    await this.exec(SQL.insertAudit, [await this.nextId(SQL.nextAuditId), at, actor, action, detail]);
  }

  /** The next id a `SELECT … + 1 AS id` statement gives. */
  async nextId(sql: string): Promise<number> {
    const [row] = await this.rows(idRow, sql);
    return row!.id;
  }

  close(): void {
    this.db.close();
  }
}
