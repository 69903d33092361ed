// The national data-quality page, for analysts: for a month, which providers submitted, which were rejected, and the
// outliers — providers whose share of rejected rows is far above the others' (more than the upper quartile plus
// three times the interquartile range, and above 5 %). From GET /api/v1/data-quality and the submission list.
import type { FastifyInstance } from 'fastify';
import { IaptError } from '../../core/errors.js';
import { isPeriod } from '../../dataset/index.js';
import type { SubmissionView } from './api.js';
import { signedIn, type Portal } from './context.js';
import { formatNumber, h } from './html.js';
import { page, PORTAL, table } from './layout.js';
import { monthOf } from './submissions.js';

interface ProviderDq {
  provider: string;
  submissions: number;
  counting: number | null;
  outcome: string | null;
  rowsReceived: number;
  rowsRejected: number;
}

function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  return sorted[lo]! + (sorted[Math.ceil(at)]! - sorted[lo]!) * (at - lo);
}

/** Providers whose rejected share is an outlier: above Q3 + 3 × IQR of all providers' shares, and above 5 %. */
export function outliers(rows: readonly ProviderDq[]): Set<string> {
  const share = (r: ProviderDq) => (r.rowsReceived > 0 ? r.rowsRejected / r.rowsReceived : 0);
  const sorted = rows.map(share).sort((a, b) => a - b);
  if (sorted.length === 0) return new Set();
  const q1 = quantile(sorted, 0.25);
  const q3 = quantile(sorted, 0.75);
  const fence = Math.max(q3 + 3 * (q3 - q1), 0.05);
  return new Set(rows.filter((r) => share(r) > fence).map((r) => r.provider));
}

export function analystRoutes(app: FastifyInstance, portal: Portal): void {
  app.get<{ Querystring: { period?: string } }>('/national-data-quality', async (request, reply) => {
    const session = signedIn(portal, request);
    const { submissions } = await portal.api.json<{ submissions: SubmissionView[] }>(session, '/api/v1/submissions');
    const months = [...new Set(submissions.map((s) => s.period))].sort().reverse();
    const asked = request.query.period;
    if (asked !== undefined && !(isPeriod(asked) && months.includes(asked))) throw new IaptError('notFound', `no submissions for ${asked}`);
    const month = asked ?? months[0];
    if (!month) return reply.type('text/html; charset=utf-8').send(page({ title: 'National data quality', session, current: '/national-data-quality' }, h`<p>No submissions yet.</p>`));
    const dq = await portal.api.json<{ providers: ProviderDq[] }>(session, `/api/v1/data-quality?period=${month}`);
    const odd = outliers(dq.providers);
    const rejected = dq.providers.filter((p) => p.counting === null);
    const body = h`<form method="get" action="${PORTAL}/national-data-quality"><label for="period">Month</label><select id="period" name="period">${months.map((m) => h`<option value="${m}"${m === month ? h` selected` : ''}>${monthOf(m)}</option>`)}</select> <button type="submit">Show</button></form>
<h2>${monthOf(month)} in brief</h2>
<ul><li>${dq.providers.length} providers sent files.</li><li>${rejected.length} have no submission that counts (every file rejected)${rejected.length ? h`: ${rejected.map((p) => p.provider).join(', ')}` : ''}.</li><li>${odd.size} are outliers for rejected rows${odd.size ? h`: ${[...odd].join(', ')}` : ''}.</li></ul>
<h2>Providers</h2>
<p>An outlier's share of rejected rows is above the upper quartile plus three times the interquartile range of all providers' shares, and above 5 %.</p>
${table(
      `${monthOf(month)}: every provider that submitted`,
      ['Provider', 'Files', 'Counting submission', 'Outcome', 'Rows received', 'Rows rejected', 'Rejected', 'Outlier'],
      dq.providers.map((p) => [p.provider, String(p.submissions), p.counting === null ? 'none' : String(p.counting), p.outcome ?? '—', formatNumber(p.rowsReceived), formatNumber(p.rowsRejected), p.rowsReceived ? `${formatNumber(Math.round((1000 * p.rowsRejected) / p.rowsReceived) / 10)} %` : '—', odd.has(p.provider) ? h`<strong>Yes</strong>` : 'No']),
      [1, 2, 4, 5, 6],
    )}`;
    return reply.type('text/html; charset=utf-8').send(page({ title: 'National data quality', session, current: '/national-data-quality' }, body));
  });
}
