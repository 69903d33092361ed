// Published figures against England's and peers': a provider's benchmarking page and a commissioner's dashboard, read
// from the public monthly files of GET /api/v1/published (GROUP_TYPE, ORG_CODE1/2, MEASURE_ID,
// MEASURE_VALUE_SUPPRESSED). They are the published, disclosure-controlled values: a suppressed cell ("*") is shown
// as suppressed, never as zero, and a peer's suppressed cell is left out of the peers' median. Beside them, a
// provider sees its own figures exactly (unrounded, unsuppressed: GET /api/v1/figures/provider, its own data only).
import type { FastifyInstance } from 'fastify';
import { IaptError } from '../../core/errors.js';
import { isPeriod } from '../../dataset/index.js';
import { parseCsv } from '../../intake/csvText.js';
import { HEADLINE_MEASURES } from '../../measures/publish/summary.js';
import type { Bearer, PublishedFile } from './api.js';
import { signedIn, type Portal } from './context.js';
import { h, type Markup } from './html.js';
import { page, PORTAL, table } from './layout.js';
import { monthOf } from './submissions.js';

export const SUPPRESSED = '*';

export interface PublishedRow {
  groupType: string;
  org1: string;
  org2: string;
  name2: string;
  name1: string;
  measure: string;
  value: string;
}

export function publishedRows(text: string): PublishedRow[] {
  const [head, ...rows] = parseCsv(text);
  const at = (name: string) => {
    const i = head?.indexOf(name) ?? -1;
    if (i < 0) throw new IaptError('input', `the published file has no ${name} column`);
    return i;
  };
  const [g, o1, n1, o2, n2, m, v] = ['GROUP_TYPE', 'ORG_CODE1', 'ORG_NAME1', 'ORG_CODE2', 'ORG_NAME2', 'MEASURE_ID', 'MEASURE_VALUE_SUPPRESSED'].map(at) as [number, number, number, number, number, number, number];
  return rows.filter((r) => r.length > v).map((r) => ({ groupType: r[g]!, org1: r[o1]!, name1: r[n1]!, org2: r[o2]!, name2: r[n2]!, measure: r[m]!, value: r[v]! }));
}

const MONTHLY = /^iapt-monthly-(\d{4}-\d{2})\.csv$/;

/** The months with a published monthly file, latest first, and the file of the month asked for (default the latest). */
async function monthlyFile(portal: Portal, as: Bearer, asked: string | undefined): Promise<{ months: string[]; month: string | null; rows: PublishedRow[] }> {
  const { files } = await portal.api.json<{ files: PublishedFile[] }>(as, '/api/v1/published');
  const monthly = files.filter((f) => MONTHLY.test(f.file)).sort((a, b) => b.period.localeCompare(a.period));
  const months = monthly.map((f) => MONTHLY.exec(f.file)![1]!);
  if (asked !== undefined && !(isPeriod(asked) && months.includes(asked))) throw new IaptError('notFound', `no published month ${asked}`);
  const file = asked ? monthly[months.indexOf(asked)] : monthly[0];
  if (!file) return { months, month: null, rows: [] };
  const r = await portal.api.ok(as, file.url);
  return { months, month: MONTHLY.exec(file.file)![1]!, rows: publishedRows(r.body) };
}

/** A published value: a number, "suppressed" (never zero), or no figure at all. */
export function valueCell(value: string | undefined): Markup | string {
  if (value === undefined || value === '') return h`<span class="suppressed">no figure</span>`;
  if (value === SUPPRESSED) return h`<span class="suppressed">suppressed</span>`;
  return value;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const DISCLOSURE = h`<p>Published figures are disclosure-controlled: a small count is shown as <span class="suppressed">suppressed</span> rather than as a number (and never as zero), and counts are rounded to the nearest 5; a rate over too few people is suppressed too.</p>`;

function monthPicker(path: string, months: readonly string[], month: string): Markup {
  return h`<form method="get" action="${PORTAL}${path}"><label for="period">Month</label><select id="period" name="period">${months.map((m) => h`<option value="${m}"${m === month ? h` selected` : ''}>${monthOf(m)}</option>`)}</select> <button type="submit">Show</button></form>`;
}

const valueOf = (rows: readonly PublishedRow[], measure: string, match: (r: PublishedRow) => boolean) => rows.find((r) => r.measure === measure && match(r))?.value;

export function figureRoutes(app: FastifyInstance, portal: Portal): void {
  app.get<{ Querystring: { period?: string } }>('/benchmark', async (request, reply) => {
    const session = signedIn(portal, request);
    const own = session.caller.org ?? '';
    const { months, month, rows } = await monthlyFile(portal, session, request.query.period);
    if (!month) return reply.type('text/html; charset=utf-8').send(page({ title: 'Benchmarking', session, current: '/benchmark' }, h`<p>Nothing has been published yet: benchmarking compares published figures.</p>`));
    const providers = rows.filter((r) => r.groupType === 'Provider');
    const peers = [...new Set(providers.map((r) => r.org2))].filter((c) => c !== own).sort();
    const england = (m: string) => valueOf(rows, m, (r) => r.groupType === 'England');
    const ours = (m: string) => valueOf(providers, m, (r) => r.org2 === own);
    const peerValues = (m: string) => peers.map((p) => valueOf(providers, m, (r) => r.org2 === p));
    // The month may be published but no longer processed here (or not yet): then there are no exact figures.
    const exact = await portal.api
      .json<{ figures: { id: string; statistic: string; value: number | null }[] }>(session, `/api/v1/figures/provider?period=${encodeURIComponent(month)}`)
      .then((r) => r.figures)
      .catch(() => null);
    const exactCell = (id: string) => {
      const f = exact?.find((x) => x.id === id);
      if (!f || f.value === null) return valueCell(undefined);
      return f.statistic === 'percentage' ? f.value.toFixed(1) : String(Math.round(f.value));
    };
    const summary = table(
      `${monthOf(month)}: your figures against England's and your peers'`,
      ['Measure', `Yours, exact (${own})`, `Yours, published`, 'England', 'Peers’ median', 'Peers with a figure'],
      HEADLINE_MEASURES.map(([id, label]) => {
        const values = peerValues(id);
        const numbers = values.filter((v) => v !== undefined && v !== '' && v !== SUPPRESSED).map(Number);
        const mid = median(numbers);
        return [h`${label} <span class="hint">${id}</span>`, exactCell(id), valueCell(ours(id)), valueCell(england(id)), mid === null ? valueCell(undefined) : String(Math.round(mid * 10) / 10), `${numbers.length} of ${values.length}`];
      }),
      [1, 2, 3, 4, 5],
    );
    const perPeer = table(
      `${monthOf(month)}: every provider`,
      ['Provider', ...HEADLINE_MEASURES.map(([id]) => id)],
      [own, ...peers].map((p) => [p === own ? h`<strong>${p} (you)</strong>` : h`${p} <span class="hint">${providers.find((r) => r.org2 === p)?.name2 ?? ''}</span>`, ...HEADLINE_MEASURES.map(([id]) => valueCell(valueOf(providers, id, (r) => r.org2 === p)))]),
      HEADLINE_MEASURES.map((_, i) => i + 1),
    );
    const body = h`<p>Your organisation's figures for a month beside England's and those of the other providers, from the public monthly file (<a href="/api/v1/published/${month}/iapt-monthly-${month}.csv">download the CSV</a>). Your exact figures are computed from your own processed data by the same measure definitions, unrounded and unsuppressed: only you see them.</p>
${monthPicker('/benchmark', months, month)}
${DISCLOSURE}
<h2>Headline measures</h2>
${summary}
<h2>Every provider</h2>
<p>${HEADLINE_MEASURES.map(([id, label], i) => h`${i ? '; ' : ''}${id}: ${label}`)}.</p>
${perPeer}`;
    return reply.type('text/html; charset=utf-8').send(page({ title: 'Benchmarking', session, current: '/benchmark' }, body));
  });

  app.get<{ Querystring: { period?: string } }>('/commissioner', async (request, reply) => {
    const session = signedIn(portal, request);
    const code = session.caller.org ?? '';
    const { months, month, rows } = await monthlyFile(portal, session, request.query.period);
    if (!month) return reply.type('text/html; charset=utf-8').send(page({ title: `Dashboard for ${code}`, session, current: '/commissioner' }, h`<p>Nothing has been published yet.</p>`));
    const mine = (m: string) => valueOf(rows, m, (r) => r.groupType === 'SubICB' && r.org1 === code);
    const england = (m: string) => valueOf(rows, m, (r) => r.groupType === 'England');
    const byProvider = rows.filter((r) => r.groupType === 'SubICB/Provider' && r.org1 === code);
    const providers = [...new Set(byProvider.map((r) => r.org2))].sort();
    const body = h`<p>The published figures of your commissioner code for a month, beside England's, and of each provider serving it (<a href="/api/v1/published/${month}/iapt-monthly-${month}.csv">download the CSV</a>).</p>
${monthPicker('/commissioner', months, month)}
${DISCLOSURE}
<h2>Headline measures</h2>
${table(`${monthOf(month)}: ${code} against England`, ['Measure', code, 'England'], HEADLINE_MEASURES.map(([id, label]) => [h`${label} <span class="hint">${id}</span>`, valueCell(mine(id)), valueCell(england(id))]), [1, 2])}
<h2>By provider</h2>
${table(
      `${monthOf(month)}: providers serving ${code}`,
      ['Provider', ...HEADLINE_MEASURES.map(([id]) => id)],
      providers.map((p) => [h`${p} <span class="hint">${byProvider.find((r) => r.org2 === p)?.name2 ?? ''}</span>`, ...HEADLINE_MEASURES.map(([id]) => valueCell(valueOf(byProvider, id, (r) => r.org2 === p)))]),
      HEADLINE_MEASURES.map((_, i) => i + 1),
    )}
<p><a href="${PORTAL}/commissioner/extracts">Your extracts</a></p>`;
    return reply.type('text/html; charset=utf-8').send(page({ title: `Dashboard for ${code}`, session, current: '/commissioner' }, body));
  });
}
