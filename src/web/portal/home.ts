// The first page after signing in: what the caller's role can do here, and, for the roles with no pages of their own
// yet, where they do it (the API at /docs, the command line).
import type { FastifyInstance } from 'fastify';
import type { Role } from '../../store/access.js';
import { redirect, sessionOf, type Portal } from './context.js';
import { h, type Markup } from './html.js';
import { page, PAGES_OF_ROLE, PORTAL } from './layout.js';

const WHAT: Readonly<Record<Role, Markup>> = {
  provider: h`<p>Send your monthly submission, see whether it was accepted and why, follow your data quality over the months, download your extracts, and compare your published figures with England's and other providers'.</p>`,
  commissioner: h`<p>See the published figures of your commissioner code against England's and by provider, and download your extract while an approved access agreement for your code is on record.</p>`,
  analyst: h`<p>See which providers submitted each month, which were rejected, and whose data quality stands out. Processing and publication are started through the API (<a href="/docs">API documentation</a>).</p>`,
  researcher: h`<p>See the releases of the agreements that name you, where each stands in review, and download the files of those approved. The same through the API (<code>GET /api/v1/releases</code> and each release's files; <a href="/docs">API documentation</a>).</p>`,
  auditor: h`<p>Read the audit trail — who read or changed what, when — a page at a time, and verify its hash chain. The same through the API (<code>GET /api/v1/audit</code>, <code>GET /api/v1/audit/verify</code>; <a href="/docs">API documentation</a>) or with <code>iapt audit</code>.</p>`,
  admin: h`<p>Administrators manage users and commissioners' access approvals through the API (<code>/api/v1/users</code>, <code>/api/v1/commissioner-approvals</code>; <a href="/docs">API documentation</a>) or with <code>iapt users</code>. There are no portal pages for this role yet.</p>`,
};

export function homeRoutes(app: FastifyInstance, portal: Portal): void {
  app.get('/', async (request, reply) => {
    const session = sessionOf(portal, request);
    if (!session) return redirect(reply, `${PORTAL}/sign-in`);
    const { role, org } = session.caller;
    const links = PAGES_OF_ROLE[role].filter(([path]) => path !== '/');
    const body = h`<h2>What you can do here</h2>${WHAT[role]}${links.length ? h`<ul>${links.map(([path, label]) => h`<li><a href="${PORTAL + path}">${label}</a></li>`)}</ul>` : ''}`;
    return reply.type('text/html; charset=utf-8').send(page({ title: `Welcome, ${session.caller.name}${org ? ` (${org})` : ''}`, session, current: '/' }, body));
  });
}
