// Research releases, for researchers: the releases of the agreements that name them, where each stands in review,
// and — once two reviewers other than its requester have approved its files — the files to download. From
// GET /api/v1/releases and /api/v1/releases/{id}/files/{name}, with the researcher's own token.
import type { FastifyInstance } from 'fastify';
import { IaptError } from '../../core/errors.js';
import { signedIn, type Portal } from './context.js';
import { h } from './html.js';
import { passOn } from './extracts.js';
import { page, PORTAL, table } from './layout.js';
import { idOf } from './submissions.js';

interface ReleaseView {
  id: number;
  agreement: string;
  requestedAt: string;
  status: string;
  approvals: string[];
  approvalsNeeded: number;
  filesChanged: boolean;
  files: { name: string }[];
}

export function releaseRoutes(app: FastifyInstance, portal: Portal): void {
  app.get('/releases', async (request, reply) => {
    const session = signedIn(portal, request);
    const { releases } = await portal.api.json<{ releases: ReleaseView[] }>(session, '/api/v1/releases');
    const state = (r: ReleaseView) =>
      r.status === 'approved' ? 'Approved' : r.status === 'in-review' ? `In review: ${r.approvals.length} of ${r.approvalsNeeded} approvals${r.filesChanged ? ' (files changed since reviewed)' : ''}` : r.status === 'producing' ? 'Being made' : 'Failed';
    const files = (r: ReleaseView) =>
      r.status === 'approved' ? h`<ul>${r.files.map((f) => h`<li><a href="${PORTAL}/releases/${String(r.id)}/files/${f.name}">${f.name}</a></li>`)}</ul>` : 'after approval';
    const body = h`<p>A release is the research extract of an agreement that names you. You can download its files once two reviewers other than the analyst who asked for it have approved them; a file changed after review needs approving again.</p>
${table(
      'Releases of your agreements',
      ['Release', 'Agreement', 'Asked for', 'State', 'Files'],
      [...releases].reverse().map((r) => [String(r.id), r.agreement, r.requestedAt, state(r), files(r)]),
      [0],
    )}`;
    return reply.type('text/html; charset=utf-8').send(page({ title: 'Your research releases', session, current: '/releases' }, body));
  });

  app.get<{ Params: { id: string; name: string } }>('/releases/:id/files/:name', async (request, reply) => {
    const session = signedIn(portal, request);
    if (!/^[\w.-]+$/.test(request.params.name)) throw new IaptError('notFound', `no file ${request.params.name}`);
    return passOn(reply, await portal.api.ok(session, `/api/v1/releases/${idOf(request.params.id)}/files/${request.params.name}`));
  });
}
