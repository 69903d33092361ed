// Administration (admin role): users and their API tokens, commissioner access approvals. The audit log (auditor).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addUser, listAudit, listUsers, revokeUser, ROLES, verifyAudit } from '../../store/access.js';
import { listApprovals, recordApproval } from '../../store/approvals.js';
import { withCatalog, type ServerContext } from '../context.js';

export function adminRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = { access: { roles: ['admin'] as const } };
  const auditor = { access: { roles: ['auditor'] as const } };

  r.get('/api/v1/users', { config: admin, schema: { summary: 'Users (never their tokens)' } }, async () => ({ users: await withCatalog(ctx, (c) => listUsers(c)) }));
  r.post(
    '/api/v1/users',
    { config: admin, schema: { summary: 'Add a user: the API token is in this answer only', body: z.object({ name: z.string().min(1), role: z.enum(ROLES), org: z.string().nullable().default(null) }) } },
    async (request, reply) => reply.code(201).send(await withCatalog(ctx, (c) => addUser(c, request.body))),
  );
  r.delete('/api/v1/users/:id', { config: admin, schema: { summary: "Revoke a user's token", params: z.object({ id: z.coerce.number().int().positive() }) } }, async (request, reply) => {
    await withCatalog(ctx, (c) => revokeUser(c, request.params.id));
    return reply.code(204).send();
  });

  r.get('/api/v1/commissioner-approvals', { config: admin, schema: { summary: 'Commissioner access approvals on record' } }, async () => ({ approvals: await withCatalog(ctx, (c) => listApprovals(c)) }));
  r.post(
    '/api/v1/commissioner-approvals',
    {
      config: admin,
      schema: { summary: "Record a commissioner's approved access agreement", body: z.object({ commissioner: z.string(), reference: z.string().min(1), expiresOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }) },
    },
    async (request, reply) => {
      await withCatalog(ctx, (c) => recordApproval(c, { ...request.body, approvedBy: request.principal!.name }));
      return reply.code(201).send({ recorded: true });
    },
  );

  r.get(
    '/api/v1/audit',
    { config: auditor, schema: { summary: 'The audit trail, oldest first', querystring: z.object({ limit: z.coerce.number().int().min(1).max(10_000).default(1000), afterSeq: z.coerce.number().int().min(0).optional() }) } },
    async (request) => ({ entries: await withCatalog(ctx, (c) => listAudit(c, { limit: request.query.limit, ...(request.query.afterSeq !== undefined ? { afterSeq: request.query.afterSeq } : {}) })) }),
  );
  r.get('/api/v1/audit/verify', { config: auditor, schema: { summary: 'Verify the hash chain of the audit trail: the first bad row if any' } }, async () => withCatalog(ctx, (c) => verifyAudit(c)));
}
