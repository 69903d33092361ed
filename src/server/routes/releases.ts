// Research releases with review (OpenSAFELY Airlock style; src/store/releases.ts): an analyst registers a Data
// Sharing Agreement with its researchers and asks for a release (a job makes the extract); two reviewers other than
// the requester approve the files; only then may the agreement's researchers download them. Every state change is a
// request, and so in the audit trail.
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IaptError } from '../../core/errors.js';
import { parseAgreement } from '../../extracts/research/agreement.js';
import { agreementById, APPROVALS_NEEDED, createRelease, listAgreements, recordReview, registerAgreement, releaseById, releaseIds, REVIEW_DECISIONS, reviewState } from '../../store/releases.js';
import { withCatalog, type ServerContext } from '../context.js';
import { filesDigest, releaseFiles, releaseFilesFolder } from '../releaseFiles.js';
import { jobSchema, jobView } from './jobs.js';

const releaseId = z.object({ id: z.coerce.number().int().positive() });

/** The researchers of the agreement a request concerns: by agreement id, or through a release id. */
const researchersOf = (ctx: ServerContext, via: 'agreement' | 'release') => async (request: FastifyRequest) => {
  const params = request.params as { id: string };
  return withCatalog(ctx, async (catalog) => {
    const agreementId = via === 'agreement' ? params.id : (await releaseById(catalog, Number(params.id)))?.agreement_id;
    return agreementId ? ((await agreementById(catalog, agreementId))?.researchers ?? null) : null;
  });
};

async function releaseView(ctx: ServerContext, id: number) {
  const release = await withCatalog(ctx, (catalog) => releaseById(catalog, id));
  if (!release) throw new IaptError('notFound', `no release ${id}`);
  const state = reviewState(release, filesDigest(ctx.dataDir, id));
  return {
    id: release.id,
    agreement: release.agreement_id,
    requestedBy: release.requested_by,
    requestedAt: release.requested_at,
    status: state.approved ? 'approved' : release.status,
    detail: release.detail,
    approvals: state.approvals,
    rejections: state.rejections,
    approvalsNeeded: APPROVALS_NEEDED,
    filesChanged: state.filesChanged,
    files: releaseFiles(ctx.dataDir, id),
    reviews: release.reviews.map((r) => ({ reviewer: r.reviewer, decision: r.decision, filesDigest: r.files_digest, at: r.reviewed_at })),
  };
}

export function releaseRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/v1/agreements',
    {
      config: { access: { roles: ['analyst'] } },
      schema: { summary: 'Register a Data Sharing Agreement (docs/extracts.md) and the researchers it names (user names)', body: z.object({ agreement: z.record(z.string(), z.unknown()), researchers: z.array(z.string().min(1)).min(1) }) },
    },
    async (request, reply) => {
      const parsed = parseAgreement(request.body.agreement);
      if ('problems' in parsed) throw new IaptError('usage', `the agreement is not valid:\n${parsed.problems.join('\n')}`);
      await withCatalog(ctx, (catalog) => registerAgreement(catalog, { id: parsed.agreement.id, document: JSON.stringify(request.body.agreement, null, 2), researchers: request.body.researchers, by: request.principal!.name }));
      return reply.code(201).send({ id: parsed.agreement.id });
    },
  );

  r.get('/api/v1/agreements', { config: { access: { roles: ['analyst'] } }, schema: { summary: 'Registered agreements and their researchers' } }, async () => ({ agreements: await withCatalog(ctx, (c) => listAgreements(c)) }));

  r.post(
    '/api/v1/agreements/:id/releases',
    { config: { access: { roles: ['analyst'] } }, schema: { summary: "Make a release of an agreement's research extract (a job); it then awaits review", params: z.object({ id: z.string() }), response: { 202: z.object({ release: z.number(), job: jobSchema, location: z.string() }) } } },
    async (request, reply) => {
      const agreement = await withCatalog(ctx, (catalog) => agreementById(catalog, request.params.id));
      if (!agreement) throw new IaptError('notFound', `no agreement ${request.params.id}`);
      const id = await withCatalog(ctx, (catalog) => createRelease(catalog, agreement.id, request.principal!.name));
      const job = await ctx.jobs.enqueue('research', { releaseId: String(id), agreementId: agreement.id }, { name: request.principal!.name, role: request.principal!.role, org: null });
      return reply.code(202).send({ release: id, job: jobView(job), location: `/api/v1/releases/${id}` });
    },
  );

  r.get(
    '/api/v1/releases',
    { config: { access: { roles: ['analyst', 'researcher'] } }, schema: { summary: "Releases: a researcher's, of the agreements that name them; an analyst's, all" } },
    async (request) => {
      const { role, name } = request.principal!;
      const ids = await withCatalog(ctx, (catalog) => releaseIds(catalog, role === 'researcher' ? name : null));
      const releases = [];
      for (const id of ids) releases.push(await releaseView(ctx, id));
      return { releases };
    },
  );

  r.get(
    '/api/v1/releases/:id',
    { config: { access: { roles: ['analyst', 'researcher'], researchers: researchersOf(ctx, 'release') } }, schema: { summary: 'A release: its state, files, reviews', params: releaseId } },
    async (request) => releaseView(ctx, request.params.id),
  );

  r.post(
    '/api/v1/releases/:id/reviews',
    { config: { access: { roles: ['analyst'] } }, schema: { summary: "Review a release's files as they are now (approve or reject); not by its requester", params: releaseId, body: z.object({ decision: z.enum(REVIEW_DECISIONS) }) } },
    async (request, reply) => {
      const id = request.params.id;
      const release = await withCatalog(ctx, (catalog) => releaseById(catalog, id));
      if (!release) throw new IaptError('notFound', `no release ${id}`);
      if (release.requested_by === request.principal!.name) throw new IaptError('forbidden', 'a release is reviewed by people other than its requester');
      if (release.status !== 'in-review') throw new IaptError('negative', `release ${id} is ${release.status}: there is nothing to review`);
      const digest = filesDigest(ctx.dataDir, id)!;
      await withCatalog(ctx, (catalog) => recordReview(catalog, id, { reviewer: request.principal!.name, decision: request.body.decision, filesDigest: digest }));
      return reply.code(201).send(await releaseView(ctx, id));
    },
  );

  r.get(
    '/api/v1/releases/:id/files/:name',
    {
      config: { access: { roles: ['researcher'], researchers: researchersOf(ctx, 'release') } },
      schema: { summary: "Download a file of an approved release (the agreement's researchers only)", params: z.object({ id: z.coerce.number().int().positive(), name: z.string().regex(/^[\w.-]+$/) }) },
    },
    async (request, reply) => {
      const view = await releaseView(ctx, request.params.id);
      if (view.status !== 'approved') throw new IaptError('forbidden', `release ${view.id} is not approved (${view.approvals.length} of ${APPROVALS_NEEDED} approvals of its current files)`);
      const path = join(releaseFilesFolder(ctx.dataDir, view.id), request.params.name);
      if (request.params.name.startsWith('.') || !existsSync(path)) throw new IaptError('notFound', `release ${view.id} has no file ${request.params.name}`);
      return reply.header('content-disposition', `attachment; filename="${request.params.name}"`).type(path.endsWith('.json') ? 'application/json' : path.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/vnd.apache.parquet').send(createReadStream(path));
    },
  );
}
