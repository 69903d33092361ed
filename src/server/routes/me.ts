// Who the bearer token names: the caller's name, role and organisation, so that a client (the portal, src/web/portal)
// learns them from the API instead of reading tokens itself.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../store/access.js';

export function meRoutes(app: FastifyInstance): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/me',
    { config: { access: { roles: ROLES } }, schema: { summary: 'The caller: name, role and organisation', response: { 200: z.object({ name: z.string(), role: z.enum(ROLES), org: z.string().nullable(), via: z.enum(['token', 'oidc']) }) } } },
    async (request) => {
      const who = request.principal!;
      return { name: who.name, role: who.role, org: who.org, via: who.via };
    },
  );
}
