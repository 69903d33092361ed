// Extracts over the API: the provider's final (?period=) or pre-deadline (?submission=) extract, and the
// commissioner's extract, only while an approved access agreement is on record. Each is written to a private
// temporary file, sent, and removed; its manifest's sha256 travels in a header.
import { randomUUID } from 'node:crypto';
import { createReadStream, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IaptError } from '../../core/errors.js';
import { manifestPathOf } from '../../core/release/manifest.js';
import { commissionerExtract } from '../../extracts/commissioner.js';
import { preDeadlineExtract } from '../../extracts/preDeadline.js';
import { providerExtract } from '../../extracts/provider.js';
import { approvalInForce } from '../../store/approvals.js';
import { withCatalog, type ServerContext } from '../context.js';
import { submissionById, UPLOADS_FOLDER } from './submissions.js';
import { period } from './params.js';

const format = z.enum(['csv', 'parquet']).default('csv');

/** Runs `write` into a private temporary file, sends it with its manifest's sha256, and removes both once sent. */
async function sendExtract(reply: FastifyReply, ctx: ServerContext, name: string, ext: 'csv' | 'parquet', write: (out: string) => Promise<unknown>): Promise<FastifyReply> {
  const folder = join(ctx.dataDir, UPLOADS_FOLDER, `.extract-${randomUUID()}`);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const out = join(folder, `${name}.${ext}`);
  try {
    await write(out);
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  const manifest = JSON.parse(readFileSync(manifestPathOf(out), 'utf8')) as { files: { sha256: string }[]; kind: string };
  const stream = createReadStream(out);
  stream.on('close', () => rmSync(folder, { recursive: true, force: true }));
  return reply
    .header('content-disposition', `attachment; filename="${name}.${ext}"`)
    .header('x-iapt-release-kind', manifest.kind)
    .header('x-iapt-sha256', manifest.files[0]!.sha256)
    .type(ext === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.apache.parquet')
    .send(stream);
}

/** The provider a provider-extract request concerns: the submission's (pre-deadline) or the one named (final). */
const providerOfExtract = (ctx: ServerContext) => async (request: FastifyRequest) => {
  const q = request.query as { submission?: string; provider?: string };
  if (q.submission !== undefined) return (await submissionById(ctx, Number(q.submission)))?.provider ?? null;
  return (q.provider ?? request.principal?.org ?? null)?.toUpperCase() ?? null;
};

export function extractRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/extracts/provider',
    {
      config: { access: { roles: ['provider'], org: { lookup: providerOfExtract(ctx) } } },
      schema: {
        summary: "The provider's extract of its own patients: final (?period=) or pre-deadline (?submission=)",
        querystring: z.object({ period: period.optional(), submission: z.coerce.number().int().positive().optional(), provider: z.string().optional(), format }),
      },
    },
    async (request, reply) => {
      const { period: p, submission, format: ext } = request.query;
      const provider = request.principal!.org!;
      if ((p === undefined) === (submission === undefined)) throw new IaptError('usage', 'give either period (the final extract) or submission (the pre-deadline extract)');
      if (submission !== undefined) {
        return sendExtract(reply, ctx, `provider-extract-${provider}-submission-${submission}`, ext, (out) =>
          preDeadlineExtract({ dataDir: ctx.dataDir, submissionId: submission, out, pseudoKey: ctx.config.pseudoKey, ...(ctx.referenceDir ? { referenceDir: ctx.referenceDir } : {}) }),
        );
      }
      return sendExtract(reply, ctx, `provider-extract-${provider}-${p}`, ext, (out) => providerExtract({ dataDir: ctx.dataDir, period: p!, provider, out, pseudoKey: ctx.config.pseudoKey }));
    },
  );

  r.get(
    '/api/v1/extracts/commissioner',
    {
      config: { access: { roles: ['commissioner'], org: { named: 'query', field: 'commissioner' } } },
      schema: { summary: "The commissioner's extract (no identifiers, opt-out applied), while an approved access agreement is on record", querystring: z.object({ period, commissioner: z.string().optional(), format }) },
    },
    async (request, reply) => {
      const { period: p, format: ext } = request.query;
      const commissioner = request.query.commissioner!.toUpperCase();
      const approval = await withCatalog(ctx, (catalog) => approvalInForce(catalog, commissioner, new Date().toISOString().slice(0, 10)));
      if (!approval) throw new IaptError('forbidden', `no approved access agreement is on record for commissioner ${commissioner} (commissioner access is subject to approval: ask an administrator)`);
      return sendExtract(reply, ctx, `commissioner-extract-${commissioner}-${p}`, ext, (out) =>
        commissionerExtract({ dataDir: ctx.dataDir, period: p, commissioner, out, pseudoKey: ctx.config.pseudoKey, optOutExemption: ctx.config.commissionerOptOutExemption }),
      );
    },
  );
}
