// Continuity data quality of the processed months (src/linkage/continuity.ts, continuity.json of each processed
// period): per provider, referrals open at the end of the previous month and missing from this one, and person
// identifiers or commissioners changed between the two. Counts only — the examples (pseudonymous PathwayIDs) stay in
// the file. A provider reaches its own rows; an analyst every provider's.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isPeriod } from '../../dataset/index.js';
import type { Continuity } from '../../linkage/continuity.js';
import type { ServerContext } from '../context.js';
import { providerCode } from './params.js';


const row = z.object({ period: z.string(), previousPeriod: z.string(), provider: z.string(), submitted: z.boolean(), openPreviousPeriod: z.number(), missingThisPeriod: z.number(), personIdChanged: z.number(), commissionerChanged: z.number() });

export function continuityRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/continuity',
    {
      config: { access: { roles: ['provider', 'analyst'], org: { named: 'query', field: 'provider' } } },
      schema: {
        summary: 'Continuity of open referrals across processed months, per provider (counts only)',
        querystring: z.object({ provider: providerCode.optional() }),
        response: { 200: z.object({ continuity: z.array(row) }) },
      },
    },
    async (request) => {
      const root = join(ctx.dataDir, 'processed');
      const periods = existsSync(root) ? readdirSync(root).filter((p) => isPeriod(p) && existsSync(join(root, p, 'continuity.json'))).sort() : [];
      const provider = request.query.provider;
      const continuity = periods.flatMap((p) => {
        const c = JSON.parse(readFileSync(join(root, p, 'continuity.json'), 'utf8')) as Continuity;
        return c.providers
          .filter((x) => provider === undefined || x.provider === provider)
          .map((x) => ({ period: c.period, previousPeriod: c.previousPeriod, provider: x.provider, submitted: x.submitted, openPreviousPeriod: x.openPreviousPeriod, missingThisPeriod: x.missingThisPeriod, personIdChanged: x.personIdChanged, commissionerChanged: x.commissionerChanged }));
      });
      return { continuity };
    },
  );
}
