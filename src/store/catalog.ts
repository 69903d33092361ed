// The catalog: which submissions arrived, what became of them, which one counts. Either an embedded DuckDB file
// in the data directory (the default), or a PostgreSQL database shared by many processes (service mode:
// `--database-url`, IAPT_DATABASE_URL), behind one interface (connection.ts). Its statements (sql.ts) are one set,
// written in the SQL both accept, with $1, $2, … parameters; the stored files stay in the data directory either way.
import { AsyncLocalStorage } from 'node:async_hooks';
import { chmodSync, existsSync, readdirSync, readFileSync, renameSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readConfig } from '../core/config.js';
import { sqlInteger } from '../core/db.js';
import { mkdirPrivate, PRIVATE_FILE_MODE } from '../core/files.js';
import { openEmbeddedConnection, StoreError, type CatalogConnection, type Claim, type Param } from './connection.js';
import { markTemporary, sweepTemporaries, TEMPORARY_MARKER } from './owned.js';
import { CATALOG_SCHEMA, SQL } from './sql.js';

export { StoreError, type Param };

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
const folderRow = z.object({ folder: z.string() });

export const CATALOG_FILE = 'catalog.duckdb';
/** Written into every submission folder the platform builds: `{"id": n}`. Recovery removes a pending row's folder only if it carries it. */
export const SUBMISSION_MARKER = '.iapt-submission';
/** What a data directory holds once something has been stored: beside these, a missing catalog is lost, not new. */
const STORED_DATA = ['submissions', 'processed'];
/** What may be in a folder before its first submit makes it a data directory. */
const BEFORE_CATALOG = new Set(['uploads', 'calendar.json', 'pseudo.key', '.tmp', `${CATALOG_FILE}.wal`, 'lost+found']);

export interface OpenOptions {
  /** Retry a catalog held by another process until this long has passed. */
  waitMs?: number;
  /** Open for reading only (DuckDB READ_ONLY): no folder is created, nothing is written, no recovery. */
  readOnly?: boolean;
  /** Make a new data directory (and catalog) if there is none: for `iapt submit` only. */
  create?: boolean;
  /**
   * The catalog's PostgreSQL database (service mode); null: the embedded `catalog.duckdb` of the data directory.
   * By default the configuration's (IAPT_DATABASE_URL), else embedded.
   */
  databaseUrl?: string | null;
  /** Embedded: called when another user of this process waits for the catalog file while this one holds it open. */
  onWanted?: () => void;
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

/**
 * The folder checks of service mode, before the database is reached: the data directory (the stored files) exists
 * or, with `create`, is made; and it is not an embedded mode's data directory, whose submissions its own
 * `catalog.duckdb` registers. The checks that need the catalog follow in Catalog.checkFolderAgainstCatalog.
 */
function checkServiceDataDirectory(dataDir: string, create: boolean): void {
  if (!existsSync(dataDir)) {
    if (!create) throw new StoreError(`no data directory at ${dataDir}: check --data (iapt submit creates a data directory on the first submission)`);
    mkdirPrivate(dataDir);
    return;
  }
  if (!statSync(dataDir).isDirectory()) throw new StoreError(`${dataDir} is not a folder, so it cannot be a data directory: check --data`);
  if (existsSync(join(dataDir, CATALOG_FILE))) {
    throw new StoreError(
      `${dataDir} holds an embedded catalog (${CATALOG_FILE}), which registers its submissions, so it cannot be used with a catalog database: ` +
        'use it without --database-url (and without IAPT_DATABASE_URL), or give --data the storage folder of the catalog database',
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

/** The id in a temporary folder's name that submit (`<id>`) or recovery (`recover-<id>`) made; null for any other. */
function temporaryId(name: string): number | null {
  const m = /^(?:recover-)?(\d+)$/.exec(name);
  return m ? Number(m[1]) : null;
}

/** How long a submit waits to claim the id it reserves (held only for a moment by a recovery of an earlier row of that id). */
const RESERVE_CLAIM_WAIT_MS = 10_000;

export class Catalog {
  /** Claims taken inside the current transaction (released if it fails); set only inside transaction(). */
  private readonly transactionClaims = new AsyncLocalStorage<Claim[]>();

  private constructor(
    readonly dataDir: string,
    private readonly connection: CatalogConnection,
    private readonly options: { readOnly: boolean; waitMs: number; service: boolean },
  ) {}

  /**
   * Opens the catalog of a data directory (with `create`, making a new data directory if there is none) and,
   * unless read-only, cleans up after any interrupted submit. Embedded, the file admits one writer at a time; with
   * `waitMs` a busy catalog is retried until that long has passed (other processes hold it only for short
   * catalog steps, e.g. a submit's store phase). In service mode (`databaseUrl`) the catalog is in PostgreSQL and
   * many processes write at once (connectionPostgres.ts); `waitMs` then bounds the wait for a claim.
   */
  static async open(dataDir: string, options: OpenOptions = {}): Promise<Catalog> {
    const readOnly = options.readOnly ?? false;
    const create = !readOnly && (options.create ?? false);
    const waitMs = options.waitMs ?? 0;
    const databaseUrl = options.databaseUrl === undefined ? readConfig().databaseUrl : options.databaseUrl;
    let connection: CatalogConnection;
    if (databaseUrl === null) {
      checkDataDirectory(dataDir, create);
      connection = await openEmbeddedConnection(join(dataDir, CATALOG_FILE), { readOnly, waitMs, dataDir, file: CATALOG_FILE, ...(options.onWanted ? { onWanted: options.onWanted } : {}) });
    } else {
      checkServiceDataDirectory(dataDir, create);
      // Loaded only in service mode, so that the embedded commands do not load the PostgreSQL driver.
      const { openPostgresConnection } = await import('./connectionPostgres.js');
      connection = await openPostgresConnection(databaseUrl, { readOnly });
    }
    const catalog = new Catalog(dataDir, connection, { readOnly, waitMs, service: databaseUrl !== null });
    try {
      if (!readOnly) {
        if (databaseUrl === null) makeCatalogPrivate(dataDir);
        // In one transaction: on PostgreSQL, processes starting at once must not create the tables side by side.
        await catalog.transaction(async () => {
          for (const statement of CATALOG_SCHEMA) await catalog.exec(statement);
        });
      }
      if (databaseUrl !== null) await catalog.checkFolderAgainstCatalog(create);
      if (!readOnly) await catalog.recover();
    } catch (error) {
      await catalog.close();
      throw error;
    }
    return catalog;
  }

  /**
   * Service mode: the data directory and the catalog database must belong together. A catalog with no submission
   * beside stored data is refused (the wrong database, or a lost one: never start an empty catalog there); a new
   * catalog is not started in a folder holding unrelated files; and a catalog whose stored folders are not in
   * the data directory is the wrong --data.
   */
  private async checkFolderAgainstCatalog(create: boolean): Promise<void> {
    const where = this.connection.where;
    // List before reading the catalog: a submit registers its row before it writes into the folder.
    const entries = readdirSync(this.dataDir);
    const stored = STORED_DATA.filter((e) => entries.includes(e) && readdirSync(join(this.dataDir, e)).length > 0);
    let next: number;
    try {
      next = await this.nextId(SQL.nextSubmissionId);
    } catch (error) {
      if ((error as { code?: string }).code === '42P01') throw new StoreError(`the database ${where} holds no iapt catalog yet: submit a file first (iapt submit --database-url …)`);
      throw error;
    }
    if (next === 1) {
      if (stored.length > 0) {
        throw new StoreError(
          `the catalog database ${where} has no submissions, but ${this.dataDir} holds stored data (${stored.map((e) => `${e}/`).join(', ')}): ` +
            'point --database-url at the database that holds its catalog, or restore that database from your backup. ' +
            'iapt will not start an empty catalog beside stored data, which would lose track of every submission',
        );
      }
      const foreign = entries.filter((e) => !BEFORE_CATALOG.has(e) && !STORED_DATA.includes(e));
      if (create && foreign.length > 0) {
        throw new StoreError(
          `${this.dataDir} is not empty and is not an iapt data directory (it holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}): give --data an empty or new folder`,
        );
      }
      return;
    }
    const [first] = await this.rows(folderRow, SQL.completeFolders);
    if (first && !existsSync(join(this.dataDir, first.folder))) {
      throw new StoreError(
        `the catalog database ${where} names stored submissions that ${this.dataDir} does not hold (${first.folder}): check --data; ` +
          'every process sharing a catalog database uses the same storage folder',
      );
    }
  }

  /** True when this process is the catalog's only writer (embedded): nothing pending can be another live process's work. */
  get exclusive(): boolean {
    return this.connection.exclusive;
  }

  async exec(sql: string, params: readonly Param[] = []): Promise<void> {
    // A reserved submission is claimed before its row is written, for as long as this catalog is open: recovery
    // in another process leaves a pending row alone while its claim is held (see recover()).
    if (sql === SQL.reserveSubmission && !this.connection.exclusive) {
      const claim: Claim = { space: 'submission', id: Number(params[0]) };
      if (!(await this.connection.claim(claim, RESERVE_CLAIM_WAIT_MS))) throw new StoreError(`busy: submission id ${claim.id} is still claimed by another iapt process; try again`, 'busy');
      this.transactionClaims.getStore()?.push(claim);
    }
    await this.connection.run(sql, params);
  }

  /** The rows of a catalog query, each checked against `schema`. */
  async rows<S extends z.ZodType>(schema: S, sql: string, params: readonly Param[] = []): Promise<z.output<S>[]> {
    // Looking up stored content claims it, for as long as this catalog is open: a process about to store a
    // submission waits here while another stores the same bytes, then finds them stored (a duplicate).
    if (sql === SQL.bySha256 && !this.connection.exclusive && !this.options.readOnly) {
      const claim: Claim = { space: 'content', sha256: String(params[0]) };
      if (!(await this.connection.claim(claim, this.options.waitMs))) {
        throw new StoreError('busy: another iapt process is storing the same submission (identical bytes); try again when it has finished', 'busy');
      }
    }
    return this.connection.rows(schema, sql, params);
  }

  /**
   * Runs `work` in one transaction. A transaction inside another is part of the outer one. On PostgreSQL,
   * catalog transactions run one at a time across every process (connectionPostgres.ts): allocate ids
   * (`nextId`) and check-then-insert inside one.
   */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.transactionClaims.getStore()) return work();
    const claims: Claim[] = [];
    try {
      return await this.connection.transaction(() => this.transactionClaims.run(claims, work));
    } catch (error) {
      for (const claim of claims) await this.connection.release(claim).catch(() => undefined);
      throw error;
    }
  }

  /**
   * After a crash: pending rows (a submit that never completed) are removed, with the folder the submit built
   * (only if it carries the submission marker with the row's id), and the marked temporary folders in `.tmp/`
   * are removed. Nothing unmarked is deleted: a folder in submissions/ that no row names is left alone.
   * Embedded, only one process can hold the catalog for writing, so anything pending now is stale. In service
   * mode other processes may be storing submissions right now: a pending row, and a temporary folder named by
   * its id, is stale only when this process can take its claim (its owner has died, and its connection with it);
   * the claim is held while recovering it, so that two recoveries never work on one row.
   */
  private async recover(): Promise<void> {
    const tmp = join(this.dataDir, '.tmp');
    const exclusive = this.connection.exclusive;
    /** Runs `work` if the submission id's claim can be taken now (nobody alive holds it), holding it meanwhile. */
    const ifStale = async (id: number, work: () => Promise<void>): Promise<void> => {
      const claim: Claim = { space: 'submission', id };
      if (!(await this.connection.claim(claim, 0))) return; // another process is storing it now
      try {
        await work();
      } finally {
        await this.connection.release(claim);
      }
    };
    const sweep = async (): Promise<void> => {
      if (exclusive) {
        sweepTemporaries(tmp, () => true);
        return;
      }
      if (!existsSync(tmp)) return;
      for (const entry of readdirSync(tmp)) {
        const name = entry.endsWith(TEMPORARY_MARKER) ? entry.slice(0, -TEMPORARY_MARKER.length) : '';
        const id = temporaryId(name);
        if (id !== null) await ifStale(id, async () => void sweepTemporaries(tmp, (_owner, n) => n === name));
      }
    };
    await sweep();
    for (const p of await this.rows(pendingRow, SQL.pendingSubmissions)) {
      await ifStale(p.id, async () => {
        // Still pending now that its claim is held? Its owner may have completed it (and let go) since the list was read.
        if (!exclusive && !(await this.rows(pendingRow, SQL.pendingSubmissions)).some((q) => q.id === p.id)) return;
        // Its temporary folder goes before its row, so that the id is not given out again while the folder is left.
        sweepTemporaries(tmp, (_owner, n) => n === String(p.id));
        const folder = join(this.dataDir, p.folder);
        const moved = isOwnSubmissionFolder(folder, p.id);
        if (moved) {
          // Moved aside under a marker first, so that a removal cut short is finished by the next recovery.
          mkdirPrivate(tmp);
          markTemporary(tmp, `recover-${p.id}`);
          renameSync(folder, join(tmp, `recover-${p.id}`));
        }
        await this.transaction(async () => {
          await this.exec(SQL.deletePendingTables, [p.id]);
          await this.exec(SQL.deletePending, [p.id]);
        });
        if (moved) sweepTemporaries(tmp, (_owner, n) => n === `recover-${p.id}`);
      });
    }
    await sweep();
    // Only the only writer removes the empty .tmp/: another process may be making its temporary folder in it.
    if (exclusive && existsSync(tmp) && readdirSync(tmp).length === 0) rmdirSync(tmp);
  }

  async setting(name: string): Promise<string | null> {
    const [row] = await this.rows(settingRow, SQL.getSetting, [name]);
    return row ? row.value : null;
  }

  /** Records a setting once; an existing value is kept (compare with setting() first). */
  async recordSetting(name: string, value: string): Promise<void> {
    await this.transaction(async () => {
      if ((await this.setting(name)) === null) await this.exec(SQL.insertSetting, [name, value]);
    });
  }

  /** Complete submissions (of a provider, a period, or one id), each saying whether it counts; selected in SQL. */
  async submissions(filter: { provider?: string; period?: string; id?: number } = {}): Promise<SubmissionRow[]> {
    return this.rows(submissionRow, SQL.listSubmissions, [filter.provider ?? null, filter.period ?? null, filter.id ?? null]);
  }

  /** The next id a `SELECT … + 1 AS id` statement gives (inside a transaction() when others may write at once). */
  async nextId(sql: string): Promise<number> {
    const [row] = await this.rows(idRow, sql);
    return row!.id;
  }

  /** Closes the connection (and, in service mode, releases this process's claims). Never fails. */
  close(): Promise<void> {
    this.transactionClaims.disable(); // see connectionPostgres.ts: a run AsyncLocalStorage costs every later async step
    return this.connection.close();
  }
}
