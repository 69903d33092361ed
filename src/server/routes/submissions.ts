// Submissions: upload (streamed to disk with a size limit and its sha256 computed on the way; a job validates and
// stores it), list, one submission, its report. Providers reach their own organisation's only (src/server/authorise.ts).
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IaptError } from '../../core/errors.js';
import type { SubmissionRow } from '../../store/catalog.js';
import { withCatalog, type ServerContext } from '../context.js';
import { ImmutableFiles } from '../immutableFiles.js';
import { jobSchema, jobView } from './jobs.js';
import { period, providerCode } from './params.js';

export const UPLOADS_FOLDER = 'uploads';

const submissionSchema = z.object({
  id: z.number(),
  provider: z.string(),
  period: z.string(),
  fileType: z.string(),
  late: z.boolean(),
  received: z.string(),
  outcome: z.string(),
  counts: z.boolean(),
  rowsReceived: z.number(),
  rowsAccepted: z.number(),
  rowsRejected: z.number(),
  sha256: z.string(),
});

const view = (s: SubmissionRow): z.infer<typeof submissionSchema> => ({
  id: s.id,
  provider: s.provider,
  period: s.period,
  fileType: s.file_type,
  late: s.late,
  received: s.received,
  outcome: s.outcome,
  counts: s.counts,
  rowsReceived: s.rows_received,
  rowsAccepted: s.rows_accepted,
  rowsRejected: s.rows_rejected,
  sha256: s.sha256,
});


/** Rows already read for a request (its authorisation looks the submission up, then its handler): read once. */
const readFor = new WeakMap<FastifyRequest, Map<number, SubmissionRow | null>>();

export async function submissionById(ctx: ServerContext, id: number, request?: FastifyRequest): Promise<SubmissionRow | null> {
  const seen = request ? (readFor.get(request) ?? readFor.set(request, new Map()).get(request)!) : null;
  if (seen?.has(id)) return seen.get(id)!;
  const row = await withCatalog(ctx, async (catalog) => (await catalog.submissions({ id }))[0] ?? null, { readOnly: true });
  seen?.set(id, row);
  return row;
}

/** The provider of the submission a request names by :id, for the organisation check. */
export const providerOfSubmission = (ctx: ServerContext) => async (request: FastifyRequest) => (await submissionById(ctx, Number((request.params as { id: string }).id), request))?.provider ?? null;

/** What never changes about a stored submission (its provider, its folder), kept once read: a stored submission is never altered or removed. */
type StoredFacts = Pick<SubmissionRow, 'id' | 'provider' | 'folder'>;

function storedFacts(ctx: ServerContext): (id: number, request: FastifyRequest) => Promise<StoredFacts | null> {
  const known = new Map<number, StoredFacts>();
  return async (id, request) => {
    const kept = known.get(id);
    if (kept) return kept;
    const row = await submissionById(ctx, id, request);
    if (row) known.set(id, { id: row.id, provider: row.provider, folder: row.folder });
    return row;
  };
}

/** Validation reports are kept in memory up to this many bytes (each report is written once, when its submission is stored). */
const REPORT_CACHE_BYTES = 64 * 1024 * 1024;

const REPORT_FORMATS = { json: ['report.json', 'application/json'], html: ['report.html', 'text/html; charset=utf-8'], csv: ['findings.csv', 'text/csv; charset=utf-8'] } as const;

function reportFormat(request: FastifyRequest, asked: string | undefined): keyof typeof REPORT_FORMATS {
  if (asked) return asked as keyof typeof REPORT_FORMATS;
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html') ? 'html' : accept.includes('text/csv') ? 'csv' : 'json';
}

/** An upload beyond the size limit: HTTP 413 (a transport limit, like Fastify's own body limit, not an error kind). */
class UploadTooLarge extends Error {
  readonly statusCode = 413;
}

/** Streams the upload to `file`, hashing it on the way; refuses it (and removes the part written) beyond the limit. */
async function receive(request: FastifyRequest, folder: string, limit: number): Promise<{ file: string; name: string; bytes: number; sha256: string }> {
  const part = await request.file({ limits: { fileSize: limit, files: 1, fields: 0 } });
  if (!part) throw new IaptError('usage', 'no file: send the submission as multipart/form-data with one file field');
  const name = basename(part.filename || 'submission.zip').replace(/[^\w.-]/g, '_');
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const file = join(folder, name);
  const hash = createHash('sha256');
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(part.file, counter, createWriteStream(file, { mode: 0o600 }));
    // Beyond the limit busboy stops the stream and marks it truncated: nothing of the file is kept.
    if (part.file.truncated) throw new UploadTooLarge(`the file is larger than the limit of ${limit.toLocaleString('en-GB')} bytes`);
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  return { file, name, bytes, sha256: hash.digest('hex') };
}

export function submissionRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const stored = storedFacts(ctx);
  const reports = new ImmutableFiles(REPORT_CACHE_BYTES);

  r.post(
    '/api/v1/submissions',
    {
      config: { access: { roles: ['provider'], org: { named: 'query', field: 'provider' } } },
      schema: {
        summary: "Upload a provider's monthly submission (multipart/form-data, one file: a zip of CSVs or an Access database); a job validates and stores it",
        querystring: z.object({ provider: providerCode.optional() }),
        response: { 202: z.object({ job: jobSchema, bytes: z.number(), sha256: z.string(), location: z.string() }) },
      },
    },
    async (request, reply) => {
      const provider = request.query.provider!;
      const folder = join(ctx.dataDir, UPLOADS_FOLDER, randomUUID());
      const upload = await receive(request, folder, ctx.uploadLimit);
      const received = new Date().toISOString().slice(0, 19);
      const job = await ctx.jobs.enqueue('submission', { path: upload.file, folder, provider, received, sha256: upload.sha256 }, { name: request.principal!.name, role: request.principal!.role, org: provider });
      return reply.code(202).send({ job: jobView(job), bytes: upload.bytes, sha256: upload.sha256, location: `/api/v1/jobs/${job.id}` });
    },
  );

  r.get(
    '/api/v1/submissions',
    {
      config: { access: { roles: ['provider', 'analyst'], org: { named: 'query', field: 'provider' } } },
      schema: { summary: 'Registered submissions and which one counts', querystring: z.object({ provider: providerCode.optional(), period: period.optional() }), response: { 200: z.object({ submissions: z.array(submissionSchema) }) } },
    },
    async (request) => {
      const { provider, period: p } = request.query;
      const rows = await withCatalog(ctx, (catalog) => catalog.submissions({ ...(provider ? { provider } : {}), ...(p ? { period: p } : {}) }), { readOnly: true });
      return { submissions: rows.map(view) };
    },
  );

  r.get(
    '/api/v1/submissions/:id',
    {
      config: { access: { roles: ['provider', 'analyst'], org: { lookup: providerOfSubmission(ctx) } } },
      schema: { summary: 'One submission: window, File_Type, outcome, counts', params: z.object({ id: z.coerce.number().int().positive() }), response: { 200: submissionSchema } },
    },
    async (request) => {
      const s = await submissionById(ctx, request.params.id, request);
      if (!s) throw new IaptError('notFound', `no submission ${request.params.id}`);
      return view(s);
    },
  );

  r.get(
    '/api/v1/submissions/:id/report',
    {
      // The report quotes submitted values (identifiers among them): the submitting provider only.
      config: { access: { roles: ['provider'], org: { lookup: async (request) => (await stored(Number((request.params as { id: string }).id), request))?.provider ?? null } } },
      schema: {
        summary: 'The validation report: JSON, HTML or the findings CSV (by ?format= or Accept)',
        params: z.object({ id: z.coerce.number().int().positive() }),
        querystring: z.object({ format: z.enum(['json', 'html', 'csv']).optional() }),
      },
    },
    async (request, reply) => {
      const s = await stored(request.params.id, request);
      if (!s) throw new IaptError('notFound', `no submission ${request.params.id}`);
      const [file, type] = REPORT_FORMATS[reportFormat(request, request.query.format)];
      const content = await reports.read(join(ctx.dataDir, s.folder, 'report', file)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') throw new IaptError('notFound', `submission ${s.id} has no ${file}`);
        throw error;
      });
      return reply.type(type).send(content);
    },
  );
}
