// The HTTP API (`iapt serve`): Fastify 5, routes under /api/v1 whose zod schemas both validate requests and make the
// OpenAPI document (/openapi.json, browsable at /docs). Every request passes three hooks, each the one place for its
// concern: authentication (src/server/authenticate.ts), authorisation by the route's declared access
// (src/server/authorise.ts), and the audit trail (every /api request, with its outcome). Errors are RFC 9457 problem
// documents (src/server/problems.ts), never a stack trace.
import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { asIaptError } from '../core/errors.js';
import { appendAudit } from '../store/access.js';
import { authenticate } from './authenticate.js';
import { authorise } from './authorise.js';
import { CatalogLease } from './catalogLease.js';
import { withCatalog, type ServerContext } from './context.js';
import { HTTP_STATUS, problem, PROBLEM_CONTENT_TYPE } from './problems.js';
import { adminRoutes } from './routes/admin.js';
import { analystRoutes } from './routes/analyst.js';
import { continuityRoutes } from './routes/continuity.js';
import { extractRoutes } from './routes/extracts.js';
import { healthRoutes } from './routes/health.js';
import { jobRoutes } from './routes/jobs.js';
import { meRoutes } from './routes/me.js';
import { calendarRoutes } from './routes/calendar.js';
import { figureRoutes } from './routes/figures.js';
import { releaseRoutes } from './routes/releases.js';
import { submissionRoutes } from './routes/submissions.js';

export interface ServerOptions {
  /** Requests per minute per client address (default 600). */
  rateLimit?: number;
  /** Fastify's logger (default off); the log never holds identifier values: URLs carry ids and codes only. */
  logger?: boolean;
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (for the rate limit and the log). */
  trustProxy?: boolean;
}

/** The status and problem document of an error thrown anywhere in a request. */
function statusOf(error: unknown): { status: number; detail: string } {
  const known = asIaptError(error);
  if (known && known.kind !== 'internal') return { status: HTTP_STATUS[known.kind], detail: known.message };
  if (hasZodFastifySchemaValidationErrors(error)) return { status: 400, detail: `invalid ${error.validationContext ?? 'request'}: ${error.validation.map((v) => `${v.instancePath || '(value)'} ${v.message}`).join('; ')}` };
  const e = error as FastifyError;
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return { status: e.statusCode, detail: e.message };
  return { status: 500, detail: 'internal error: the request id identifies it in the server log' };
}

/** The audit's object: the route with its path parameters and the codes of its query (ids, periods, codes: never identifiers). */
function auditObject(request: FastifyRequest): string {
  const params = Object.entries((request.params ?? {}) as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`);
  const q = (request.query ?? {}) as Record<string, unknown>;
  const query = ['period', 'provider', 'commissioner', 'submission', 'format'].filter((k) => q[k] !== undefined).map((k) => `${k}=${String(q[k])}`);
  return [request.routeOptions.url ?? request.url.split('?')[0], ...params, ...query].join(' ');
}

export async function buildServer(given: ServerContext, options: ServerOptions = {}): Promise<FastifyInstance> {
  const embedded = !given.sharedCatalog && given.databaseUrl === null;
  const ctx: ServerContext = embedded ? { ...given, lease: new CatalogLease(given.dataDir) } : given;
  const app = Fastify({ logger: options.logger ?? false, trustProxy: options.trustProxy ?? false, genReqId: () => randomUUID(), bodyLimit: 1024 * 1024, requestTimeout: 120_000, return503OnClosing: true });
  // After the last request's audit record: the lease gives the catalog file back.
  app.addHook('onClose', async () => ctx.lease?.close());
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    // The documentation's own routes are public.
    if (route.url.startsWith('/docs')) route.config = { ...(route.config ?? {}), access: { public: true } };
  });
  app.addHook('onRequest', async (request) => {
    request.principal = await authenticate(request, ctx);
  });
  app.addHook('preHandler', async (request) => {
    if (request.routeOptions.url === undefined) return; // no such route: the not-found handler answers
    await authorise(request, request.routeOptions.config.access, ctx);
  });
  app.addHook('onResponse', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    const who = request.principal;
    try {
      await withCatalog(ctx, (catalog) =>
        appendAudit(catalog, { requestId: request.id, actor: who?.name ?? 'anonymous', role: who?.role ?? 'none', org: who?.org ?? null, action: request.method, object: auditObject(request), outcome: String(reply.statusCode) }),
      );
    } catch (error) {
      request.log.error({ requestId: request.id, err: (error as Error).message }, 'the audit trail could not record a request');
    }
  });

  app.setErrorHandler(async (error, request, reply) => {
    const { status, detail } = statusOf(error);
    if (status >= 500) request.log.error({ requestId: request.id, err: (error as Error).message }, 'request failed');
    if (status === 503) void reply.header('retry-after', '5');
    return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(problem(status, detail, request.url.split('?')[0]!, request.id));
  });
  app.setNotFoundHandler(async (request, reply) => reply.code(404).type(PROBLEM_CONTENT_TYPE).send(problem(404, `no route ${request.method} ${request.url.split('?')[0]}`, request.url.split('?')[0]!, request.id)));

  await app.register(helmet, { contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'style-src': ["'self'", 'https:', "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] } } });
  await app.register(rateLimit, { max: options.rateLimit ?? 600, timeWindow: '1 minute' });
  await app.register(multipart, { limits: { fileSize: ctx.uploadLimit, files: 1, fields: 0, parts: 1 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'IAPT data platform API', version: '1', description: 'NHS Talking Therapies (IAPT) Data Set v2.1: submissions, reports, extracts, processing, publication, audit.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token (iapt users add) or an OpenID Connect JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { url: '/openapi.json' } });

  app.get('/openapi.json', { config: { access: { public: true } }, schema: { hide: true } }, async () => app.swagger());
  healthRoutes(app, ctx);
  meRoutes(app);
  submissionRoutes(app, ctx);
  jobRoutes(app, ctx);
  extractRoutes(app, ctx);
  analystRoutes(app, ctx);
  continuityRoutes(app, ctx);
  adminRoutes(app, ctx);
  releaseRoutes(app, ctx);
  calendarRoutes(app, ctx);
  figureRoutes(app, ctx);
  return app;
}
