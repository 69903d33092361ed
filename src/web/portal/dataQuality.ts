// Data quality over months, for a provider: from each month's counting submission (or the latest received, where
// none counts) and its validation report — rows received and rejected, when each file came and in which window, and
// valid / default / invalid / missing per table and item. All of it through the API, as the provider may see it.
import type { FastifyInstance } from 'fastify';
import type { ReportJson, SubmissionView } from './api.js';
import { signedIn, type Portal } from './context.js';
import { formatNumber, h } from './html.js';
import { page, PORTAL, table } from './layout.js';
import { monthOf, submissionsOf } from './submissions.js';

const percent = (n: number, of: number): string => (of === 0 ? '—' : `${formatNumber(Math.round((1000 * n) / of) / 10)} %`);

/** Items shown: those not wholly valid in some month, worst first; at most this many. */
const ITEM_LIMIT = 40;

export function dataQualityRoutes(app: FastifyInstance, portal: Portal): void {
  app.get('/data-quality', async (request, reply) => {
    const session = signedIn(portal, request);
    const all = await submissionsOf(portal, session);
    const months = [...new Set(all.map((s) => s.period))].sort();
    const chosen = months.map((m) => {
      const own = all.filter((s) => s.period === m).sort((a, b) => a.id - b.id);
      return { month: m, files: own, shown: own.find((s) => s.counts) ?? own.at(-1)! };
    });
    const reports = new Map<number, ReportJson>();
    for (const c of chosen) reports.set(c.shown.id, await portal.api.json<ReportJson>(session, `/api/v1/submissions/${c.shown.id}/report?format=json`));

    const rows = table(
      'Rows received and rejected by month (the counting submission)',
      ['Month', 'Submission', 'Outcome', 'Rows received', 'Rows rejected', 'Rejected'],
      chosen.map(({ month, shown: s }) => [monthOf(month), h`<a href="${PORTAL}/submissions/${s.id}">${s.id}</a>${s.counts ? '' : ' (does not count)'}`, s.outcome, formatNumber(s.rowsReceived), formatNumber(s.rowsRejected), percent(s.rowsRejected, s.rowsReceived)]),
      [3, 4, 5],
    );
    const timeliness = table(
      'Files received by month and window',
      ['Month', 'Files', 'First received', 'Counting file', 'Late files'],
      chosen.map(({ month, files, shown }) => [monthOf(month), String(files.length), files[0]!.received.replace('T', ' '), `${shown.fileType}, received ${shown.received.replace('T', ' ')}`, String(files.filter((f: SubmissionView) => f.late).length)]),
      [1, 4],
    );

    // Item by item: the share valid in each month, for the items not wholly valid in some month.
    type Dq = ReportJson['dataQuality'][number];
    const byItem = new Map<string, Map<string, Dq>>();
    for (const c of chosen)
      for (const d of reports.get(c.shown.id)!.dataQuality) {
        const key = `${d.table}.${d.field}`;
        if (!byItem.has(key)) byItem.set(key, new Map());
        byItem.get(key)!.set(c.month, d);
      }
    const validShare = (d: Dq | undefined) => (d && d.denominator > 0 ? d.valid / d.denominator : 1);
    const worst = [...byItem.entries()]
      .filter(([, m]) => [...m.values()].some((d) => d.valid < d.denominator))
      .sort((a, b) => Math.min(...[...a[1].values()].map(validShare)) - Math.min(...[...b[1].values()].map(validShare)) || a[0].localeCompare(b[0]));
    const latest = chosen.at(-1);
    const items = latest
      ? table(
          `Items not wholly valid, ${monthOf(latest.month)} (worst first${worst.length > ITEM_LIMIT ? `, the first ${ITEM_LIMIT} of ${worst.length}` : ''})`,
          ['Table and item', 'Records', 'Valid', 'Default', 'Invalid', 'Missing', ...chosen.map((c) => `Valid, ${monthOf(c.month)}`)],
          worst.slice(0, ITEM_LIMIT).map(([key, m]) => {
            const d = m.get(latest.month);
            return [key, d ? formatNumber(d.denominator) : '—', d ? percent(d.valid, d.denominator) : '—', d ? percent(d.default, d.denominator) : '—', d ? percent(d.invalid, d.denominator) : '—', d ? percent(d.missing, d.denominator) : '—', ...chosen.map((c) => {
              const x = m.get(c.month);
              return x ? percent(x.valid, x.denominator) : '—';
            })];
          }),
          [1, 2, 3, 4, 5, ...chosen.map((_, i) => 6 + i)],
        )
      : h``;
    const body = months.length === 0
      ? h`<p>No submissions yet. <a href="${PORTAL}/upload">Upload one</a>.</p>`
      : h`<p>For each month, the submission that counts (the latest valid one), read from its validation report. Valid: the value is one the data set allows; default: a default code (such as "not known"); invalid: a value the data set does not allow; missing: no value.</p>
<h2>Rows by month</h2><div class="wide">${rows}</div>
<h2>Timeliness</h2><p>When the files for each month arrived, and in which window (Primary, then Refresh). A late file came after its month's windows had closed.</p><div class="wide">${timeliness}</div>
<h2>Items</h2><div class="wide">${items}</div>
<h2>Continuity of open referrals</h2><p>Continuity across months (referrals open last month that are missing this month) is worked out when a month is processed nationally; the service's API does not give it to providers yet.</p>`;
    return reply.type('text/html; charset=utf-8').send(page({ title: 'Data quality over months', session, current: '/data-quality' }, body));
  });
}
