import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withCatalog, type ServerContext } from '../context.js';

/** /healthz: the process answers. /readyz: it can reach its catalog (the data directory, or PostgreSQL). */
export function healthRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/healthz', { config: { access: { public: true } }, schema: { hide: true, response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({ status: 'ok' as const }));
  r.get('/readyz', { config: { access: { public: true } }, schema: { hide: true, response: { 200: z.object({ status: z.literal('ready'), submissions: z.number() }) } } }, async () => {
    const submissions = await withCatalog(ctx, async (catalog) => (await catalog.submissions()).length, { readOnly: true });
    return { status: 'ready' as const, submissions };
  });
}
