// The provider portal (`iapt serve`, under /portal/): server-rendered pages for the people who submit and use the
// data, built on the service's API. The pages hold no rules of their own about who may see what: each gets its data
// by calling the API in-process with the signed-in caller's bearer token (src/web/portal/api.ts), so a page shows
// exactly what the API would give that caller, and the API's refusal is the page's.
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyError, FastifyInstance } from 'fastify';
import { asIaptError } from '../../core/errors.js';
import type { ServerContext } from '../../server/context.js';
import { HTTP_STATUS } from '../../server/problems.js';
import { analystRoutes } from './analyst.js';
import { auditRoutes } from './audit.js';
import { releaseRoutes } from './releases.js';
import { Api, ApiRefusal } from './api.js';
import { PORTAL_CSS, PORTAL_JS } from './assets.js';
import { cookieOptions, redirect, sessionOf, SignInNeeded, type Portal, type PortalOptions } from './context.js';
import { dataQualityRoutes } from './dataQuality.js';
import { extractRoutes } from './extracts.js';
import { figureRoutes } from './figures.js';
import { homeRoutes } from './home.js';
import { h } from './html.js';
import { page, PORTAL } from './layout.js';
import { oidcRoutes } from './oidc.js';
import { SESSION_COOKIE, SessionStore } from './sessions.js';
import { signInRoutes } from './signIn.js';
import { submissionRoutes } from './submissions.js';

export type { PortalOptions } from './context.js';

const TITLE_OF_STATUS: Record<number, string> = {
  400: 'There is a problem with the request',
  401: 'You are not signed in',
  403: 'You cannot see this page',
  404: 'Page not found',
  409: 'This cannot be done now',
  413: 'The file is too large',
  422: 'This cannot be used',
  429: 'Too many requests',
  503: 'The service is busy',
};

function statusOf(error: unknown): number {
  if (error instanceof ApiRefusal) return error.status;
  const known = asIaptError(error);
  if (known) return HTTP_STATUS[known.kind];
  const code = (error as FastifyError).statusCode;
  return typeof code === 'number' && code >= 400 && code < 500 ? code : 500;
}

export async function registerPortal(app: FastifyInstance, ctx: Pick<ServerContext, 'uploadLimit'>, options: PortalOptions = {}): Promise<void> {
  const portal: Portal = { api: new Api(app), sessions: new SessionStore(options.now), ctx, options };
  await app.register(
    async (scope) => {
      // Every portal route is reachable without a bearer token (the pages check the session themselves, and every
      // datum comes from the API under the caller's token) and is left out of the API's OpenAPI document.
      scope.addHook('onRoute', (route) => {
        route.config = { ...(route.config ?? {}), access: { public: true } };
        route.schema = { ...(route.schema ?? {}), hide: true };
      });
      await scope.register(cookie);
      await scope.register(formbody, { bodyLimit: 64 * 1024 });
      scope.setErrorHandler(async (error, request, reply) => {
        if (error instanceof SignInNeeded || (error instanceof ApiRefusal && error.status === 401)) {
          portal.sessions.close(request.cookies[SESSION_COOKIE]);
          void reply.clearCookie(SESSION_COOKIE, cookieOptions(portal, request));
          return redirect(reply, `${PORTAL}/sign-in`);
        }
        const status = statusOf(error);
        if (status >= 500) request.log.error({ requestId: request.id, err: (error as Error).message }, 'portal page failed');
        const detail = status >= 500 ? `Something went wrong on our side. The request id ${request.id} identifies it in the server log.` : (error as Error).message;
        const session = sessionOf(portal, request);
        return reply
          .code(status)
          .type('text/html; charset=utf-8')
          .send(page({ title: TITLE_OF_STATUS[status] ?? 'Something went wrong', session }, h`<p>${detail}</p><p><a href="${PORTAL}/">Go to the portal's home page</a></p>`));
      });
      scope.setNotFoundHandler(async (request, reply) =>
        reply.code(404).type('text/html; charset=utf-8').send(page({ title: 'Page not found', session: sessionOf(portal, request) }, h`<p>There is no page at this address.</p><p><a href="${PORTAL}/">Go to the portal's home page</a></p>`)),
      );
      scope.get('/assets/portal.css', async (_request, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(PORTAL_CSS));
      scope.get('/assets/portal.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(PORTAL_JS));
      homeRoutes(scope, portal);
      signInRoutes(scope, portal);
      if (options.oidc) await oidcRoutes(scope, portal, options.oidc);
      submissionRoutes(scope, portal);
      dataQualityRoutes(scope, portal);
      extractRoutes(scope, portal);
      figureRoutes(scope, portal);
      analystRoutes(scope, portal);
      auditRoutes(scope, portal);
      releaseRoutes(scope, portal);
    },
    { prefix: PORTAL },
  );
}
