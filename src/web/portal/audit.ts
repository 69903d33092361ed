// The audit trail, for auditors: its latest entries a page at a time (newest first), and the verification of its
// hash chain on request (it reads every row). From GET /api/v1/audit and GET /api/v1/audit/verify, with the
// auditor's own token, so the page shows exactly what the API gives the role.
import type { FastifyInstance } from 'fastify';
import { IaptError } from '../../core/errors.js';
import type { AuditRow, AuditVerdict } from '../../store/access.js';
import { signedIn, type Portal } from './context.js';
import { formatNumber, h } from './html.js';
import { page, PORTAL, table } from './layout.js';

/** Entries per page. */
const PAGE = 100;

export function auditRoutes(app: FastifyInstance, portal: Portal): void {
  app.get<{ Querystring: { from?: string } }>('/audit', async (request, reply) => {
    const session = signedIn(portal, request);
    const from = request.query.from;
    if (from !== undefined && !/^\d{1,15}$/.test(from)) throw new IaptError('usage', `from must be a whole number (not "${from}")`);
    const { entries } = await portal.api.json<{ entries: AuditRow[] }>(session, `/api/v1/audit?limit=${PAGE}${from === undefined ? '' : `&afterSeq=${from}`}`);
    const first = entries[0]?.seq;
    const last = entries[entries.length - 1]?.seq;
    const earlier = first !== undefined && first > 1 ? h`<a href="${PORTAL}/audit?from=${String(Math.max(0, first - 1 - PAGE))}">Earlier entries</a>` : '';
    const later = from !== undefined && last !== undefined ? h`<a href="${PORTAL}/audit?from=${String(last)}">Later entries</a> · <a href="${PORTAL}/audit">Latest</a>` : '';
    const body = h`<p>Every request that read or changed data, hash-chained: each entry's hash covers the previous entry's hash and its own content, so an edited, inserted or deleted entry breaks the chain from there on.</p>
<form method="get" action="${PORTAL}/audit/verify"><button type="submit">Verify the whole chain</button></form>
<h2>${first === undefined ? 'No entries' : `Entries ${formatNumber(first)} to ${formatNumber(last!)}`}</h2>
${table(
      'Audit trail entries, newest first',
      ['Entry', 'Time (UTC)', 'Who', 'Role', 'Organisation', 'Action', 'Object', 'Outcome'],
      [...entries].reverse().map((e) => [String(e.seq), e.at, e.actor, e.role, e.org ?? '—', e.action, e.object, e.outcome]),
      [0],
    )}
<p>${earlier}${earlier && later ? h` · ` : ''}${later}</p>`;
    return reply.type('text/html; charset=utf-8').send(page({ title: 'Audit trail', session, current: '/audit' }, body));
  });

  app.get('/audit/verify', async (request, reply) => {
    const session = signedIn(portal, request);
    const verdict = await portal.api.json<AuditVerdict>(session, '/api/v1/audit/verify');
    const body = verdict.ok
      ? h`<p role="status"><strong>Intact.</strong> All ${formatNumber(verdict.rows)} entries chain from the first to the head; the head hash is <code>${verdict.head}</code>.</p>`
      : h`<div class="error-summary" role="alert"><p><strong>Broken at entry ${formatNumber(verdict.firstBad)}.</strong> ${verdict.problem}. The ${formatNumber(verdict.rows)} entries before it chain correctly.</p></div>`;
    return reply.type('text/html; charset=utf-8').send(page({ title: 'Audit trail verification', session, current: '/audit' }, h`${body}<p><a href="${PORTAL}/audit">Back to the audit trail</a></p>`));
  });
}
