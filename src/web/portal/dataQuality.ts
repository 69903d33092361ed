// Data quality over months, for a provider: from each month's counting submission (or the latest received, where
// none counts) and its validation report — rows received and rejected, when each file came and in which window, and
// valid / default / invalid / missing per table and item — and the continuity of open referrals of each processed
// month. All of it through the API, as the provider may see it.
import type { FastifyInstance } from 'fastify';
import { findTable } from '../../dataset/index.js';
import type { ReportJson, SubmissionView } from './api.js';
import { signedIn, type Portal } from './context.js';
import { formatNumber, h } from './html.js';
import { page, PORTAL, table } from './layout.js';
import { monthOf, submissionsOf } from './submissions.js';

interface ContinuityRow {
  period: string;
  openPreviousPeriod: number;
  missingThisPeriod: number;
  personIdChanged: number;
  commissionerChanged: number;
}

// A non-breaking space before the sign keeps a percentage on one line.
const percent = (n: number, of: number): string => (of === 0 ? '—' : `${formatNumber(Math.round((1000 * n) / of) / 10)}\u00a0%`);
const MANDATION: Record<string, string> = { M: 'Mandatory', R: 'Required' };
/** "2024-09" as "Sep 2024". */
const shortMonth = (period: string): string => monthOf(period).replace(/^(\w{3})\w*/, '$1');

/** Items shown: the mandatory and required ones not wholly valid in some month, worst first; at most this many. */
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
    const { continuity } = await portal.api.json<{ continuity: ContinuityRow[] }>(session, '/api/v1/continuity');
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
    // Mandatory and required items only: an optional item left blank is not a defect.
    const mandation = (key: string) => {
      const [tableName, field] = key.split('.') as [string, string];
      return findTable(tableName)?.items.find((i) => i.name === field)?.mandation ?? 'O';
    };
    const validShare = (d: Dq | undefined) => (d && d.denominator > 0 ? d.valid / d.denominator : 1);
    const latestMonth = chosen.at(-1)?.month ?? '';
    // Worst in the latest month first, then worst in any month.
    const order = (m: Map<string, Dq>) => validShare(m.get(latestMonth)) * 2 + Math.min(...[...m.values()].map(validShare));
    const worst = [...byItem.entries()]
      .filter(([key, m]) => mandation(key) !== 'O' && [...m.values()].some((d) => d.valid < d.denominator))
      .sort((a, b) => order(a[1]) - order(b[1]) || a[0].localeCompare(b[0]))
      .slice(0, ITEM_LIMIT);
    const latest = chosen.at(-1);
    const cells = (d: Dq | undefined) => (d ? [formatNumber(d.denominator), percent(d.valid, d.denominator), percent(d.default, d.denominator), percent(d.invalid, d.denominator), percent(d.missing, d.denominator)] : ['—', '—', '—', '—', '—']);
    const items = latest
      ? h`${table(`${monthOf(latest.month)}: mandatory and required items not wholly valid this month or before, worst first`, ['Table and item', 'Mandation', 'Records', 'Valid', 'Default', 'Invalid', 'Missing'], worst.map(([key, m]) => [key, MANDATION[mandation(key)] ?? '', ...cells(m.get(latest.month))]), [2, 3, 4, 5, 6])}
${table('The same items: the share valid, month by month', ['Table and item', ...chosen.map((c) => shortMonth(c.month))], worst.map(([key, m]) => [key, ...chosen.map((c) => {
          const x = m.get(c.month);
          return x ? percent(x.valid, x.denominator) : '—';
        })]), chosen.map((_, i) => i + 1))}`
      : h``;
    const body = months.length === 0
      ? h`<p>No submissions yet. <a href="${PORTAL}/upload">Upload one</a>.</p>`
      : h`<p>For each month, the submission that counts (the latest valid one), read from its validation report. Valid: the value is one the data set allows; default: a default code (such as "not known"); invalid: a value the data set does not allow; missing: no value.</p>
<h2>Rows by month</h2>${rows}
<h2>Timeliness</h2><p>When the files for each month arrived, and in which window (Primary, then Refresh). A late file came after its month's windows had closed.</p>${timeliness}
<h2>Items</h2>${items}
<h2>Continuity of open referrals</h2><p>Worked out when a month is processed nationally: referrals open (not discharged) at the end of the month before that are missing from the month's submission, and referrals whose person identifier or commissioner changed between the two months.</p>
${table(
      'Continuity by processed month',
      ['Month', 'Open at the end of the month before', 'Missing this month', 'Missing', 'Person identifier changed', 'Commissioner changed'],
      continuity.map((c) => [monthOf(c.period), formatNumber(c.openPreviousPeriod), formatNumber(c.missingThisPeriod), percent(c.missingThisPeriod, c.openPreviousPeriod), formatNumber(c.personIdChanged), formatNumber(c.commissionerChanged)]),
      [1, 2, 3, 4, 5],
    )}`;
    return reply.type('text/html; charset=utf-8').send(page({ title: 'Data quality over months', session, current: '/data-quality' }, body));
  });
}
