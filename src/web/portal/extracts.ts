// Extracts to download, passed through from the API as it answers them (its content-disposition and the manifest's
// sha256 and kind): a provider's final extract of a processed month and pre-deadline extract of a submission, and a
// commissioner's extract while an approved access agreement is on record.
import type { FastifyInstance, FastifyReply, LightMyRequestResponse } from 'fastify';
import { IaptError } from '../../core/errors.js';
import { isPeriod } from '../../dataset/index.js';
import type { Bearer, PublishedFile } from './api.js';
import { signedIn, type Portal } from './context.js';
import { h } from './html.js';
import { page, PORTAL, table } from './layout.js';
import { idOf, monthOf, submissionsOf } from './submissions.js';

const PASSED_ON = ['content-type', 'content-disposition', 'x-iapt-release-kind', 'x-iapt-sha256'];

/** An API download handed on to the browser with its type, name and release headers. */
export function passOn(reply: FastifyReply, r: LightMyRequestResponse): FastifyReply {
  for (const name of PASSED_ON) if (r.headers[name] !== undefined) void reply.header(name, r.headers[name]);
  return reply.send(r.rawPayload);
}

function periodOf(raw: string): string {
  if (!isPeriod(raw)) throw new IaptError('notFound', `no month ${raw}`);
  return raw;
}

const formatOf = (raw: unknown): 'csv' | 'parquet' => (raw === 'parquet' ? 'parquet' : 'csv');

/** The months with published statistics, latest first. */
export async function publishedPeriods(portal: Portal, as: Bearer): Promise<string[]> {
  const { files } = await portal.api.json<{ files: PublishedFile[] }>(as, '/api/v1/published');
  return [...new Set(files.map((f) => f.period))].sort().reverse();
}

/** A month's extract in CSV and in Parquet, for each month: links to `${PORTAL}${path}/<month>`. */
const downloads = (title: string, path: string, periods: readonly string[]) =>
  table(
    title,
    ['Month', 'CSV', 'Parquet'],
    periods.map((p) => [monthOf(p), h`<a href="${PORTAL}${path}/${p}">Download ${monthOf(p)} (CSV)</a>`, h`<a href="${PORTAL}${path}/${p}?format=parquet">Download ${monthOf(p)} (Parquet)</a>`]),
  );

export function extractRoutes(app: FastifyInstance, portal: Portal): void {
  app.get('/extracts', async (request, reply) => {
    const session = signedIn(portal, request);
    const periods = [...new Set((await submissionsOf(portal, session)).filter((s) => s.counts).map((s) => s.period))].sort().reverse();
    const body = h`<p>Your extract of a month is your own patients' records as processed nationally, with their pseudonymised identifiers and derived items (docs/extracts.md). It exists once the month has been processed; before that, each submission's page offers a pre-deadline extract.</p>
${downloads('Final extracts by month', '/extracts/provider', periods)}`;
    return reply.type('text/html; charset=utf-8').send(page({ title: 'Your extracts', session, current: '/extracts' }, body));
  });

  app.get<{ Params: { period: string }; Querystring: { format?: string } }>('/extracts/provider/:period', async (request, reply) => {
    const session = signedIn(portal, request);
    return passOn(reply, await portal.api.ok(session, `/api/v1/extracts/provider?period=${periodOf(request.params.period)}&format=${formatOf(request.query.format)}`));
  });

  app.get<{ Params: { id: string } }>('/extracts/submission/:id', async (request, reply) => {
    const session = signedIn(portal, request);
    return passOn(reply, await portal.api.ok(session, `/api/v1/extracts/provider?submission=${idOf(request.params.id)}`));
  });

  app.get('/commissioner/extracts', async (request, reply) => {
    const session = signedIn(portal, request);
    const periods = await publishedPeriods(portal, session);
    const body = h`<p>The extract of a month holds the pathways of your commissioner code, ${session.caller.org ?? ''}, without identifiers and with the national data opt-out applied. It is available while an approved access agreement for your code is on record.</p>
${downloads('Extracts by month', '/commissioner/extracts', periods)}`;
    return reply.type('text/html; charset=utf-8').send(page({ title: 'Your commissioner extracts', session, current: '/commissioner/extracts' }, body));
  });

  app.get<{ Params: { period: string }; Querystring: { format?: string } }>('/commissioner/extracts/:period', async (request, reply) => {
    const session = signedIn(portal, request);
    return passOn(reply, await portal.api.ok(session, `/api/v1/extracts/commissioner?period=${periodOf(request.params.period)}&format=${formatOf(request.query.format)}`));
  });
}
