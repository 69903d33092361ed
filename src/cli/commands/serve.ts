import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { IaptError } from '../../core/errors.js';
import { Catalog } from '../../store/catalog.js';
import type { JobQueue } from '../../server/jobs.js';
import { DATABASE_URL_OPTION, databaseUrlOf } from './submit.js';
import type { OidcConfig } from '../../server/context.js';
import type { Io } from '../io.js';
import type { Config } from '../../core/config.js';

const MiB = 1024 * 1024;

/** The server's modules (Fastify, pg-boss, …), loaded only by serve, worker and demo --serve: every other command starts faster. */
export async function serverModules() {
  const [{ buildServer }, { jobHandlers }, { InProcessQueue }, { PgQueue }, { registerPortal }, { registerRoot }] = await Promise.all([
    import('../../server/app.js'),
    import('../../server/jobHandlers.js'),
    import('../../server/jobs.js'),
    import('../../server/pgQueue.js'),
    import('../../web/portal/index.js'),
    import('../../web/portal/root.js'),
  ]);
  return { buildServer, jobHandlers, InProcessQueue, PgQueue, registerPortal, registerRoot };
}

/**
 * `iapt serve`: the HTTP API on a data directory. Embedded (default): the catalog in the data directory, jobs in this
 * process. Service (--database-url or IAPT_DATABASE_URL): catalog, users, audit and the job queue in PostgreSQL.
 */
export function registerServe(program: Command, io: Io, config: Config): void {
  program
    .command('serve')
    .description('run the HTTP API (docs at /docs, OpenAPI at /openapi.json): submissions, reports, extracts, processing, publication, audit')
    .requiredOption('--data <dir>', 'data directory', config.dataDir)
    .option(...DATABASE_URL_OPTION)
    .option('--port <n>', 'port', '8080')
    .option('--host <address>', 'address to listen on (put a TLS reverse proxy in front for anything but 127.0.0.1)', '127.0.0.1')
    .option('--reference <dir>', 'reference data for validation, processing and publication')
    .option('--trust-proxy', 'behind a reverse proxy: take client addresses from X-Forwarded-For')
    .option('--upload-limit <MiB>', 'largest submission accepted, in MiB', '512')
    .option('--oidc-issuer <url>', 'OpenID Connect issuer whose JWTs are accepted (with --oidc-audience and --oidc-jwks-url, or --oidc-client-id)')
    .option('--oidc-audience <aud>', 'the audience those JWTs must carry (default with --oidc-client-id: the client id)')
    .option('--oidc-jwks-url <url>', "the issuer's JWKS URL (default with --oidc-client-id: the issuer's discovery document's)")
    .option('--oidc-client-id <id>', 'the portal signs people in through the issuer (authorisation code + PKCE) as this client')
    .option('--oidc-client-secret <secret>', "the portal's client secret, for a confidential client")
    .option('--public-url <url>', 'where browsers reach this service (https://…), for the sign-in redirect and Secure cookies')
    .option('--hub <dir>', 'serve a built static hub folder (iapt hub build) at /; the portal is at /portal/ (without it, / goes to the portal)')
    .action(async (opts: { data: string; databaseUrl?: string; port: string; host: string; reference?: string; trustProxy?: boolean; uploadLimit: string; oidcIssuer?: string; oidcAudience?: string; oidcJwksUrl?: string; oidcClientId?: string; oidcClientSecret?: string; publicUrl?: string; hub?: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new IaptError('usage', `--port: "${opts.port}" is not a port number`);
      const limit = Number(opts.uploadLimit);
      if (!(limit > 0)) throw new IaptError('usage', `--upload-limit: "${opts.uploadLimit}" is not a size in MiB`);
      const oidc = await oidcOf(opts);
      if (opts.publicUrl !== undefined && !/^https?:\/\/[^/]+/.test(opts.publicUrl)) throw new IaptError('usage', `--public-url: "${opts.publicUrl}" is not an http(s) address`);
      const databaseUrl = databaseUrlOf(opts.databaseUrl, config);
      const base = { dataDir: opts.data, databaseUrl, config, uploadLimit: limit * MiB, ...(opts.reference ? { referenceDir: opts.reference } : {}), ...(oidc ? { oidc } : {}) };
      const { buildServer, jobHandlers, InProcessQueue, PgQueue, registerPortal, registerRoot } = await serverModules();
      // Embedded: jobs run in this process. Service: jobs go to PostgreSQL, and iapt worker processes run them.
      const queue = databaseUrl ? await PgQueue.open(databaseUrl) : null;
      const sharedCatalog = databaseUrl ? await Catalog.open(opts.data, { databaseUrl, create: true, waitMs: 60_000 }) : undefined;
      const jobs: JobQueue = queue ?? new InProcessQueue(jobHandlers(base));
      const ctx = { ...base, jobs, ...(sharedCatalog ? { sharedCatalog } : {}) };
      const app = await buildServer(ctx, { logger: true, trustProxy: Boolean(opts.trustProxy) });
      await registerPortal(app, ctx, {
        ...(opts.oidcClientId ? { oidc: { issuer: opts.oidcIssuer!, clientId: opts.oidcClientId, ...(opts.oidcClientSecret ? { clientSecret: opts.oidcClientSecret } : {}) } } : {}),
        ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
      });
      await registerRoot(app, opts.hub);
      const address = await app.listen({ port, host: opts.host });
      io.out(`iapt serve: ${address} (portal ${address}/portal/, API docs ${address}/docs${opts.hub ? `, hub ${address}/` : ''}), data ${opts.data}, ${queue ? 'catalog and jobs in PostgreSQL (run iapt worker to work them)' : 'catalog in the data directory, jobs in this process'}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => void app.close().then(() => queue?.stop()).then(() => sharedCatalog?.close()).then(() => resolve());
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}

/**
 * The OpenID Connect issuer whose JWTs the API accepts: --oidc-issuer with --oidc-audience and --oidc-jwks-url, or
 * with --oidc-client-id (the portal signs people in as that client; the audience defaults to the client id and the
 * key set to the one the issuer's discovery document names).
 */
async function oidcOf(opts: { oidcIssuer?: string; oidcAudience?: string; oidcJwksUrl?: string; oidcClientId?: string; oidcClientSecret?: string; publicUrl?: string }): Promise<OidcConfig | undefined> {
  if (opts.oidcClientId) {
    if (!opts.oidcIssuer || !opts.publicUrl) throw new IaptError('usage', '--oidc-client-id needs --oidc-issuer and --public-url');
    let jwks = opts.oidcJwksUrl;
    if (!jwks) {
      const discovery = new URL('.well-known/openid-configuration', opts.oidcIssuer.endsWith('/') ? opts.oidcIssuer : `${opts.oidcIssuer}/`);
      const answer = await fetch(discovery).catch((error: unknown) => {
        throw new IaptError('usage', `--oidc-issuer: ${discovery.href} cannot be reached (${(error as Error).message}); give --oidc-jwks-url`);
      });
      const doc = answer.ok ? ((await answer.json()) as { jwks_uri?: unknown }) : {};
      if (typeof doc.jwks_uri !== 'string') throw new IaptError('usage', `--oidc-issuer: ${discovery.href} names no jwks_uri; give --oidc-jwks-url`);
      jwks = doc.jwks_uri;
    }
    return { issuer: opts.oidcIssuer, audience: opts.oidcAudience ?? opts.oidcClientId, jwks: new URL(jwks) };
  }
  if (opts.oidcClientSecret) throw new IaptError('usage', '--oidc-client-secret goes with --oidc-client-id');
  const given = [opts.oidcIssuer, opts.oidcAudience, opts.oidcJwksUrl].filter(Boolean).length;
  if (given !== 0 && given !== 3) throw new IaptError('usage', '--oidc-issuer, --oidc-audience and --oidc-jwks-url go together (or --oidc-issuer with --oidc-client-id)');
  return given === 3 ? { issuer: opts.oidcIssuer!, audience: opts.oidcAudience!, jwks: new URL(opts.oidcJwksUrl!) } : undefined;
}

/** `iapt worker`: works the service's jobs (submitted files, processing runs, publications) from PostgreSQL. */
export function registerWorker(program: Command, io: Io, config: Config): void {
  program
    .command('worker')
    .description('work the jobs of the service (its PostgreSQL queue) on this machine; run as many as you like, on machines sharing the database and the data folder')
    .requiredOption('--data <dir>', 'data directory (the storage folder shared by every worker)', config.dataDir)
    .option(...DATABASE_URL_OPTION)
    .option('--reference <dir>', 'reference data for validation, processing and publication')
    .option('--submissions <n>', "submitted files worked at once, each validated on one DuckDB thread (default: the machine's cores)", String(availableParallelism()))
    .action(async (opts: { data: string; databaseUrl?: string; reference?: string; submissions: string }) => {
      const databaseUrl = databaseUrlOf(opts.databaseUrl, config);
      if (!databaseUrl) throw new IaptError('usage', 'iapt worker needs the service database: --database-url URL or IAPT_DATABASE_URL (the embedded iapt serve runs its jobs itself)');
      if (!/^[1-9]\d{0,2}$/.test(opts.submissions.trim())) throw new IaptError('usage', `--submissions: "${opts.submissions}" is not a whole number from 1`);
      const submissions = Number(opts.submissions.trim());
      const { jobHandlers, PgQueue } = await serverModules();
      const queue = await PgQueue.open(databaseUrl);
      const handlers = jobHandlers({ dataDir: opts.data, databaseUrl, config, uploadLimit: 0, ...(opts.reference ? { referenceDir: opts.reference } : {}) }, submissions > 1 ? { submissionThreads: 1 } : {});
      await queue.work(handlers, { submission: submissions });
      io.out(`iapt worker: working jobs for ${opts.data} (pid ${process.pid}); stop with SIGTERM to finish the job in hand first\n`);
      await new Promise<void>((resolve) => {
        const stop = () => void queue.stop().then(() => resolve());
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
