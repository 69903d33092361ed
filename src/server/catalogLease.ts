// The embedded server's catalog, kept open between requests. Opening the DuckDB catalog (and its schema check and
// recovery) and closing it (a checkpoint) cost more than most requests' own work, and every request uses the
// catalog at least twice (its token, its audit record). The lease opens the catalog once and lends it to one piece
// of work at a time; it gives the file back as soon as anything else wants it — a job of this process opening the
// catalog (src/store/fileMutex.ts tells it), or nobody having used it for LINGER_MS, so that `iapt` commands in other
// processes (which retry a held file) get their turn.
import { IaptError } from '../core/errors.js';
import { Catalog } from '../store/catalog.js';

/** How long an unused catalog stays open. */
export const LINGER_MS = 300;

export class CatalogLease {
  private catalog: Promise<Catalog> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private busy = 0;
  private wanted = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly dataDir: string) {}

  /** Runs `work` with the open catalog, after the work lent it before. */
  use<T>(work: (catalog: Catalog) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new IaptError('busy', 'the server is closing: try again when it is back'));
    this.busy += 1;
    this.cancelIdle();
    const run = this.queue.then(async () => {
      try {
        return await work(await this.open());
      } finally {
        this.busy -= 1;
        if (this.wanted) await this.release();
        else if (this.busy === 0) this.idleTimer = setTimeout(() => void this.release(), LINGER_MS);
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Closes the catalog for good (the server's onClose), after the work lent it. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    await this.release();
  }

  private open(): Promise<Catalog> {
    if (!this.catalog) {
      this.wanted = false;
      const opening = Catalog.open(this.dataDir, { waitMs: 30_000, databaseUrl: null, onWanted: () => this.onWanted() });
      // A failed open is not kept: the next work tries again.
      opening.catch(() => (this.catalog = this.catalog === opening ? null : this.catalog));
      this.catalog = opening;
    }
    return this.catalog;
  }

  private onWanted(): void {
    this.wanted = true;
    if (this.busy === 0) void this.release();
  }

  private cancelIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private async release(): Promise<void> {
    this.cancelIdle();
    const open = this.catalog;
    this.catalog = null;
    this.wanted = false;
    if (open) await (await open.catch(() => null))?.close();
  }
}
