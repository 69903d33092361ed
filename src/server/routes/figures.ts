// A provider's own headline figures for a processed month, unrounded and unsuppressed (src/measures/providerFigures.ts):
// for the provider itself only, to set beside the published, disclosure-controlled figures of England and its peers.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { providerFigures } from '../../measures/providerFigures.js';
import type { ServerContext } from '../context.js';
import { period, providerCode } from './params.js';


export function figureRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/figures/provider',
    {
      config: { access: { roles: ['provider'], org: { named: 'query', field: 'provider' } } },
      schema: {
        summary: "The provider's own headline measures for a processed month, unrounded and unsuppressed (its own data only)",
        querystring: z.object({ period, provider: providerCode.optional() }),
        response: { 200: z.object({ period: z.string(), provider: z.string(), figures: z.array(z.object({ id: z.string(), label: z.string(), statistic: z.string(), value: z.number().nullable() })) }) },
      },
    },
    async (request) => {
      const provider = request.principal!.org!;
      const figures = await providerFigures({ dataDir: ctx.dataDir, period: request.query.period, provider, ...(ctx.referenceDir ? { referenceDir: ctx.referenceDir } : {}) });
      return { period: request.query.period, provider, figures };
    },
  );
}
