// What every route of the server works with: the data directory, where the catalog is, the job queue, and the
// configuration. The catalog is the service's shared one (PostgreSQL), or the embedded server's lease (kept open
// between requests, given back whenever a job or another process wants the DuckDB file), or else opened for each
// piece of work and closed after it.
import type { Config } from '../core/config.js';
import { Catalog } from '../store/catalog.js';
import type { CatalogLease } from './catalogLease.js';
import type { JobQueue } from './jobs.js';

export interface OidcConfig {
  /** The issuer (iss) tokens must carry. */
  issuer: string;
  /** The audience (aud) tokens must carry. */
  audience: string;
  /** Where the issuer's keys are: a JWKS URL, or the key set itself (tests). */
  jwks: URL | { keys: Record<string, unknown>[] };
  /** Claims naming the role and the organisation (default iapt_role, iapt_org). */
  roleClaim?: string;
  orgClaim?: string;
}

export interface ServerContext {
  dataDir: string;
  /** The catalog's PostgreSQL database (service mode); null: the data directory's DuckDB file (embedded). */
  databaseUrl: string | null;
  referenceDir?: string;
  config: Config;
  jobs: JobQueue;
  oidc?: OidcConfig;
  /** How long a GET of an extract waits for its job before answering 202 (default EXTRACT_WAIT_MS). */
  extractWaitMs?: number;
  /** Largest upload accepted, in bytes. */
  uploadLimit: number;
  /**
   * Service mode: one catalog open for the server's life, shared by every request (its PostgreSQL pool serves them
   * side by side). Opening a catalog runs its schema and recovery, far too much per request. Embedded: absent, and
   * each piece of work opens the DuckDB file and closes it again, so that jobs and other processes can write.
   */
  sharedCatalog?: Catalog;
  /** Embedded server: the catalog kept open between requests (src/server/catalogLease.ts); made by buildServer. */
  lease?: CatalogLease;
}

export async function withCatalog<T>(ctx: Pick<ServerContext, 'dataDir' | 'databaseUrl' | 'sharedCatalog' | 'lease'>, work: (catalog: Catalog) => Promise<T>, options: { readOnly?: boolean } = {}): Promise<T> {
  if (ctx.sharedCatalog) return work(ctx.sharedCatalog);
  if (ctx.lease) return ctx.lease.use(work);
  const catalog = await Catalog.open(ctx.dataDir, { waitMs: 30_000, readOnly: options.readOnly ?? false, databaseUrl: ctx.databaseUrl });
  try {
    return await work(catalog);
  } finally {
    await catalog.close();
  }
}
