// National work for analysts (never identifiers): start processing a period, publish a period, data quality across
// providers. Published files are public.
import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IaptError } from '../../core/errors.js';
import { isPeriod } from '../../dataset/index.js';
import { withCatalog, type ServerContext } from '../context.js';
import { jobSchema, jobView } from './jobs.js';
import { period } from './params.js';

export const PUBLISHED_FOLDER = 'published';

const started = z.object({ job: jobSchema, location: z.string() });

export function analystRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const owner = (request: { principal: { name: string; role: string } | null }) => ({ name: request.principal!.name, role: request.principal!.role, org: null });

  r.post(
    '/api/v1/processing',
    { config: { access: { roles: ['analyst'] } }, schema: { summary: "Process a period: link the counting submissions and derive (a job)", body: z.object({ period }), response: { 202: started } } },
    async (request, reply) => {
      const job = await ctx.jobs.enqueue('process', { period: request.body.period }, owner(request));
      return reply.code(202).send({ job: jobView(job), location: `/api/v1/jobs/${job.id}` });
    },
  );

  r.post(
    '/api/v1/publications',
    {
      config: { access: { roles: ['analyst'] } },
      schema: {
        summary: 'Publish a processed period (and its quarter, financial year to date) with disclosure control (a job); the files become public',
        body: z.object({ period, quarter: z.string().regex(/^\d{4}-Q[1-4]$/).optional(), year: z.string().regex(/^\d{4}-\d{2}$/).optional() }),
        response: { 202: started },
      },
    },
    async (request, reply) => {
      const input = Object.fromEntries(Object.entries(request.body).filter(([, v]) => v !== undefined)) as Record<string, string>;
      const job = await ctx.jobs.enqueue('publish', input, owner(request));
      return reply.code(202).send({ job: jobView(job), location: `/api/v1/jobs/${job.id}` });
    },
  );

  r.get(
    '/api/v1/data-quality',
    {
      config: { access: { roles: ['analyst'] } },
      schema: {
        summary: "Data quality across providers for a period: each provider's submissions, which counts, its outcome and rejected rows",
        querystring: z.object({ period }),
        response: { 200: z.object({ period: z.string(), providers: z.array(z.object({ provider: z.string(), submissions: z.number(), counting: z.number().nullable(), outcome: z.string().nullable(), rowsReceived: z.number(), rowsRejected: z.number() })) }) },
      },
    },
    async (request) => {
      const rows = await withCatalog(ctx, (catalog) => catalog.submissions({ period: request.query.period }), { readOnly: true });
      const providers = [...new Set(rows.map((s) => s.provider))].sort().map((provider) => {
        const own = rows.filter((s) => s.provider === provider);
        const counting = own.find((s) => s.counts) ?? null;
        return { provider, submissions: own.length, counting: counting?.id ?? null, outcome: counting?.outcome ?? own.at(-1)?.outcome ?? null, rowsReceived: counting?.rows_received ?? 0, rowsRejected: counting?.rows_rejected ?? 0 };
      });
      return { period: request.query.period, providers };
    },
  );

  r.get(
    '/api/v1/published',
    { config: { access: { public: true } }, schema: { summary: 'Published statistics (public): the files of every publication', response: { 200: z.object({ files: z.array(z.object({ period: z.string(), file: z.string(), url: z.string() })) }) } } },
    async () => {
      const root = join(ctx.dataDir, PUBLISHED_FOLDER);
      const files = existsSync(root)
        ? readdirSync(root)
            .filter(isPeriod)
            .sort()
            .flatMap((p) => readdirSync(join(root, p)).filter((f) => !f.startsWith('.')).sort().map((file) => ({ period: p, file, url: `/api/v1/published/${p}/${file}` })))
        : [];
      return { files };
    },
  );

  r.get(
    '/api/v1/published/:period/:file',
    { config: { access: { public: true } }, schema: { summary: 'One published file (public)', params: z.object({ period, file: z.string().regex(/^[\w.-]+$/) }) } },
    async (request, reply) => {
      const path = join(ctx.dataDir, PUBLISHED_FOLDER, request.params.period, request.params.file);
      if (request.params.file.startsWith('.') || !existsSync(path)) throw new IaptError('notFound', `no published file ${request.params.period}/${request.params.file}`);
      const type = path.endsWith('.csv') ? 'text/csv; charset=utf-8' : path.endsWith('.html') ? 'text/html; charset=utf-8' : 'application/json';
      return reply.type(type).send(createReadStream(path));
    },
  );
}
