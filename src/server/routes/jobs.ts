import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IaptError } from '../../core/errors.js';
import type { ServerContext } from '../context.js';
import { JOB_KINDS, type Job } from '../jobs.js';

export const jobSchema = z.object({
  id: z.string(),
  kind: z.enum(JOB_KINDS),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  org: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
});

/** A job as the API shows it: never its input (file paths on the server). */
export const jobView = (job: Job): z.infer<typeof jobSchema> => ({
  id: job.id,
  kind: job.kind,
  status: job.status,
  org: job.owner.org,
  createdAt: job.createdAt,
  startedAt: job.startedAt,
  finishedAt: job.finishedAt,
  result: job.result,
  error: job.error,
});

export function jobRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/jobs/:id',
    {
      config: {
        access: {
          roles: ['provider', 'commissioner', 'analyst', 'admin'],
          // A provider's or commissioner's own jobs only: the organisation of a job asked for by a caller of its role.
          org: {
            lookup: async (request) => {
              const job = await ctx.jobs.get((request.params as { id: string }).id);
              return job && job.owner.role === request.principal?.role ? job.owner.org : null;
            },
          },
        },
      },
      schema: { summary: 'A job: its state and, when finished, its result', params: z.object({ id: z.string() }), response: { 200: jobSchema } },
    },
    async (request) => {
      const job = await ctx.jobs.get(request.params.id);
      if (!job) throw new IaptError('notFound', `no job ${request.params.id}`);
      return jobView(job);
    },
  );
}
