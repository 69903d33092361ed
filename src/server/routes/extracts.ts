// Extracts over the API, each made by a job (src/server/extractJobs.ts) on a worker, or in the serve process when
// embedded: the provider's final (?period=) or pre-deadline (?submission=) extract, and the commissioner's extract,
// only while an approved access agreement is on record.
// - POST …/provider, POST …/commissioner: queue the extract and answer 202 with its job; once the job has succeeded,
//   GET /api/v1/extracts/files/{job} sends the file (kept EXTRACT_RETENTION_HOURS);
// - GET …/provider, GET …/commissioner: the same job, waited for within the request (up to extractWaitMs), the file
//   sent and removed; a job not finished by then is answered 202 with the job to follow, as the POST would.
// The file's manifest kind and sha256 travel in headers.
import { createReadStream, rmSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IaptError } from '../../core/errors.js';
import type { ServerContext } from '../context.js';
import { assertCommissionerApproved, extractFileOf, type ExtractInput } from '../extractJobs.js';
import type { Job } from '../jobs.js';
import { jobSchema, jobView } from './jobs.js';
import { submissionById } from './submissions.js';
import { period } from './params.js';

/** How long a GET waits for its extract job before answering 202 with the job (below the 120 s request timeout). */
export const EXTRACT_WAIT_MS = 100_000;

const format = z.enum(['csv', 'parquet']).default('csv');
const started = z.object({ job: jobSchema, location: z.string(), file: z.string() });

/** Sends a finished extract job's file with its manifest's kind and sha256; `removeAfter`: its folder once sent. */
function sendFile(reply: FastifyReply, ctx: ServerContext, job: Job, removeAfter: boolean): FastifyReply {
  const { path, folder, result } = extractFileOf(ctx.dataDir, job);
  const stream = createReadStream(path);
  if (removeAfter) stream.on('close', () => rmSync(folder, { recursive: true, force: true }));
  const ext = result.file.endsWith('.parquet') ? 'parquet' : 'csv';
  return reply
    .header('content-disposition', `attachment; filename="${result.file}"`)
    .header('x-iapt-release-kind', result.releaseKind)
    .header('x-iapt-sha256', result.sha256)
    .type(ext === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.apache.parquet')
    .send(stream);
}

const queue = (ctx: ServerContext, request: FastifyRequest, input: ExtractInput): Promise<Job> =>
  ctx.jobs.enqueue('extract', { ...input } as unknown as Record<string, string>, { name: request.principal!.name, role: request.principal!.role, org: input.org });

const startedView = (job: Job) => ({ job: jobView(job), location: `/api/v1/jobs/${job.id}`, file: `/api/v1/extracts/files/${job.id}` });

/** The job once finished, or null when it is still queued or running after `waitMs`. */
async function finished(ctx: ServerContext, id: string, waitMs: number): Promise<Job | null> {
  const until = Date.now() + waitMs;
  for (let pause = 25; ; pause = Math.min(pause * 2, 500)) {
    const job = await ctx.jobs.get(id);
    if (job && (job.status === 'succeeded' || job.status === 'failed')) return job;
    if (Date.now() + pause > until) return null;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/** A GET's answer: the file once its job has finished within the wait, else 202 with the job to follow. */
async function queueAndSend(ctx: ServerContext, request: FastifyRequest, reply: FastifyReply, input: ExtractInput): Promise<FastifyReply> {
  const job = await queue(ctx, request, input);
  const done = await finished(ctx, job.id, ctx.extractWaitMs ?? EXTRACT_WAIT_MS);
  if (!done) return reply.code(202).header('location', `/api/v1/jobs/${job.id}`).send(startedView(job));
  return sendFile(reply, ctx, done, true);
}

/** The provider a provider-extract request concerns: the submission's (pre-deadline) or the one named (final). */
const providerOfExtract = (ctx: ServerContext) => async (request: FastifyRequest) => {
  const q = request.query as { submission?: string; provider?: string };
  if (q.submission !== undefined) return (await submissionById(ctx, Number(q.submission)))?.provider ?? null;
  return (q.provider ?? request.principal?.org ?? null)?.toUpperCase() ?? null;
};

const providerQuery = z.object({ period: period.optional(), submission: z.coerce.number().int().positive().optional(), provider: z.string().optional(), format });
const commissionerQuery = z.object({ period, commissioner: z.string().optional(), format });

function providerInput(request: FastifyRequest, q: z.infer<typeof providerQuery>): ExtractInput {
  if ((q.period === undefined) === (q.submission === undefined)) throw new IaptError('usage', 'give either period (the final extract) or submission (the pre-deadline extract)');
  const org = request.principal!.org!;
  return q.submission !== undefined ? { type: 'preDeadline', org, submission: String(q.submission), format: q.format } : { type: 'provider', org, period: q.period!, format: q.format };
}

async function commissionerInput(ctx: ServerContext, q: z.infer<typeof commissionerQuery>): Promise<ExtractInput> {
  const commissioner = q.commissioner!.toUpperCase();
  await assertCommissionerApproved(ctx, commissioner);
  return { type: 'commissioner', org: commissioner, period: q.period, format: q.format };
}

export function extractRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const providerAccess = { access: { roles: ['provider'] as const, org: { lookup: providerOfExtract(ctx) } } };
  const commissionerAccess = { access: { roles: ['commissioner'] as const, org: { named: 'query' as const, field: 'commissioner' } } };

  r.get(
    '/api/v1/extracts/provider',
    {
      config: providerAccess,
      schema: { summary: "The provider's extract of its own patients: final (?period=) or pre-deadline (?submission=); made by a job and sent when it finishes, else 202 with the job", querystring: providerQuery },
    },
    async (request, reply) => queueAndSend(ctx, request, reply, providerInput(request, request.query)),
  );

  r.post(
    '/api/v1/extracts/provider',
    {
      config: providerAccess,
      schema: { summary: "Queue the provider's extract (as GET); 202 with the job, then GET /api/v1/extracts/files/{job}", querystring: providerQuery, response: { 202: started } },
    },
    async (request, reply) => reply.code(202).send(startedView(await queue(ctx, request, providerInput(request, request.query)))),
  );

  r.get(
    '/api/v1/extracts/commissioner',
    {
      config: commissionerAccess,
      schema: { summary: "The commissioner's extract (no identifiers, opt-out applied), while an approved access agreement is on record; made by a job and sent when it finishes, else 202 with the job", querystring: commissionerQuery },
    },
    async (request, reply) => queueAndSend(ctx, request, reply, await commissionerInput(ctx, request.query)),
  );

  r.post(
    '/api/v1/extracts/commissioner',
    {
      config: commissionerAccess,
      schema: { summary: "Queue the commissioner's extract (as GET); 202 with the job, then GET /api/v1/extracts/files/{job}", querystring: commissionerQuery, response: { 202: started } },
    },
    async (request, reply) => reply.code(202).send(startedView(await queue(ctx, request, await commissionerInput(ctx, request.query)))),
  );

  r.get(
    '/api/v1/extracts/files/:id',
    {
      config: {
        access: {
          roles: ['provider', 'commissioner'],
          // The extract job's organisation, for a caller of the role that asked for it (codes of providers and
          // commissioners are different lists).
          org: {
            lookup: async (request) => {
              const job = await ctx.jobs.get((request.params as { id: string }).id);
              return job && job.kind === 'extract' && job.owner.role === request.principal?.role ? job.owner.org : null;
            },
          },
        },
      },
      schema: { summary: 'The file of a finished extract job (kept 24 hours)', params: z.object({ id: z.string() }) },
    },
    async (request, reply) => {
      const job = (await ctx.jobs.get(request.params.id))!;
      // Commissioner access is subject to approval when the file is fetched too, not only when it was asked for.
      if (job.input.type === 'commissioner') await assertCommissionerApproved(ctx, job.owner.org!);
      return sendFile(reply, ctx, job, false);
    },
  );
}
