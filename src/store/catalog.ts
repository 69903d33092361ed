// The catalog: which submissions arrived, what became of them, which one counts. Embedded DuckDB file by
// default; the same statements (sql.ts) run on PostgreSQL in service mode.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { IaptError } from '../core/errors.js';
import { CATALOG_SCHEMA, SQL } from './sql.js';

export type Param = string | number | boolean | null;

export interface SubmissionRow {
  id: number;
  provider: string;
  period: string;
  unique_month_id: number;
  file_type: 'Primary' | 'Refresh';
  late: boolean;
  received: string;
  sha256: string;
  file_name: string;
  dataset_version: string;
  outcome: 'accepted' | 'rejected';
  rows_received: number;
  rows_accepted: number;
  rows_rejected: number;
  folder: string;
  counts: boolean;
}

/** A problem with the data directory itself: unreadable or inconsistent (input), or in use by another process (busy). */
export class StoreError extends IaptError {
  constructor(message: string, kind: 'input' | 'busy' = 'input') {
    super(kind, message);
    this.name = 'StoreError';
  }
}

export class Catalog {
  private constructor(
    readonly dataDir: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /**
   * Opens (creating if needed) the catalog of a data directory and cleans up after any interrupted submit.
   * The file admits one process at a time; with `waitMs` a busy catalog is retried until that long has passed
   * (other processes hold it only for short catalog steps, e.g. a submit's store phase).
   */
  static async open(dataDir: string, options: { waitMs?: number } = {}): Promise<Catalog> {
    mkdirSync(dataDir, { recursive: true });
    const giveUp = Date.now() + (options.waitMs ?? 0);
    let instance: DuckDBInstance;
    for (;;) {
      try {
        instance = await DuckDBInstance.create(join(dataDir, 'catalog.duckdb'), { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
        break;
      } catch (error) {
        const message = (error as Error).message;
        if (!/lock/i.test(message)) throw new StoreError(`cannot open the catalog in ${dataDir}: ${message.split('\n')[0]}`);
        if (Date.now() >= giveUp) throw new StoreError(`the data directory ${dataDir} is in use by another iapt process; try again when it has finished`, 'busy');
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
      }
    }
    const connection = await instance.connect();
    const catalog = new Catalog(dataDir, instance, connection);
    for (const statement of CATALOG_SCHEMA) await catalog.exec(statement);
    await catalog.recover();
    return catalog;
  }

  async exec(sql: string, params: Param[] = []): Promise<void> {
    if (params.length === 0) {
      await this.connection.run(sql);
      return;
    }
    await this.connection.run(sql, params as DuckDBValue[]);
  }

  async query<T>(sql: string, params: Param[] = []): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params as DuckDBValue[]);
    return reader.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]))) as T[];
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
   * After a crash: pending rows (a submit that never completed) are removed with their folders, and
   * folders no complete row points to are deleted. Only one process can hold the catalog, so anything
   * pending now is stale.
   */
  private async recover(): Promise<void> {
    for (const p of await this.query<{ id: number; folder: string }>(SQL.pendingSubmissions)) {
      rmSync(join(this.dataDir, p.folder), { recursive: true, force: true });
      await this.transaction(async () => {
        await this.exec(SQL.deletePendingTables, [p.id]);
        await this.exec(SQL.deletePending, [p.id]);
      });
    }
    rmSync(join(this.dataDir, '.tmp'), { recursive: true, force: true });
    const kept = new Set((await this.query<{ folder: string }>(SQL.completeFolders)).map((r) => r.folder));
    const root = join(this.dataDir, 'submissions');
    if (existsSync(root)) for (const name of readdirSync(root)) if (!kept.has(`submissions/${name}`)) rmSync(join(root, name), { recursive: true, force: true });
  }

  async submissions(filter: { provider?: string; period?: string } = {}): Promise<SubmissionRow[]> {
    const rows = await this.query<SubmissionRow>(SQL.listSubmissions);
    return rows.filter((r) => (!filter.provider || r.provider === filter.provider) && (!filter.period || r.period === filter.period));
  }

  async audit(actor: string, action: string, detail: string, at: string): Promise<void> {
    const [{ id }] = (await this.query<{ id: number }>(SQL.nextAuditId)) as [{ id: number }];
    await this.exec(SQL.insertAudit, [id, at, actor, action, detail]);
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
