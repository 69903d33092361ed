// Signing in with an API token (embedded mode, and any deployment without OpenID Connect): the token is pasted into
// a form, checked by asking the API who it names (GET /api/v1/me), and kept server-side in a new session. The form
// carries a double-submitted token (a cookie and a hidden field), so another site cannot sign a browser in.
// Signing out ends the session wherever it was.
import type { FastifyInstance } from 'fastify';
import { ApiRefusal } from './api.js';
import { cookieOptions, redirect, sessionOf, signedIn, checkCsrf, type Portal } from './context.js';
import { h, type Markup } from './html.js';
import { page, PORTAL } from './layout.js';
import { randomToken, sameToken, SESSION_COOKIE, SIGN_IN_COOKIE, type Caller } from './sessions.js';

function tokenForm(csrf: string, error?: string): Markup {
  return h`${error ? h`<div class="error-summary" role="alert"><h2>You are not signed in</h2><p>${error}</p></div>` : ''}
<p>Paste the API token you were given (it begins <code>iapt_</code>). It is kept on the server for this session only and never shown again.</p>
<form method="post" action="${PORTAL}/sign-in">
<input type="hidden" name="csrf" value="${csrf}">
<label for="token">API token</label>
<p class="hint" id="token-hint">An administrator makes one with <code>iapt users add</code>.</p>
<input type="password" id="token" name="token" aria-describedby="token-hint" autocomplete="off" spellcheck="false" required>
<p><button type="submit">Sign in</button></p>
</form>`;
}

const oidcLink = h`<p>Sign in with your organisation's account.</p><p><a href="${PORTAL}/oidc/start">Sign in</a></p>`;

export function signInRoutes(app: FastifyInstance, portal: Portal): void {
  app.get('/sign-in', async (request, reply) => {
    if (sessionOf(portal, request)) return redirect(reply, `${PORTAL}/`);
    if (portal.options.oidc) return reply.type('text/html; charset=utf-8').send(page({ title: 'Sign in', session: null }, oidcLink));
    const csrf = randomToken();
    void reply.setCookie(SIGN_IN_COOKIE, csrf, cookieOptions(portal, request, 3600));
    return reply.type('text/html; charset=utf-8').send(page({ title: 'Sign in', session: null }, tokenForm(csrf)));
  });

  app.post('/sign-in', async (request, reply) => {
    const body = (request.body ?? {}) as { token?: string; csrf?: string };
    const refuse = (status: number, why: string) => {
      const csrf = randomToken();
      void reply.setCookie(SIGN_IN_COOKIE, csrf, cookieOptions(portal, request, 3600));
      return reply.code(status).type('text/html; charset=utf-8').send(page({ title: 'Sign in', session: null }, tokenForm(csrf, why)));
    };
    if (portal.options.oidc) return refuse(400, 'This service signs in through your organisation’s account, not with a token.');
    if (!sameToken(request.cookies[SIGN_IN_COOKIE], body.csrf)) return refuse(403, 'The sign-in form had expired or did not come from this site. Try again.');
    const token = (body.token ?? '').trim();
    if (!token) return refuse(400, 'Enter your API token.');
    let caller: Caller;
    try {
      caller = await portal.api.json<Caller>({ bearer: token, ip: request.ip }, '/api/v1/me');
    } catch (error) {
      if (error instanceof ApiRefusal && error.status === 401) return refuse(401, 'That token is not known, or was revoked.');
      throw error;
    }
    const session = portal.sessions.open(token, { name: caller.name, role: caller.role, org: caller.org });
    void reply.clearCookie(SIGN_IN_COOKIE, cookieOptions(portal, request));
    void reply.setCookie(SESSION_COOKIE, session.id, cookieOptions(portal, request));
    return redirect(reply, `${PORTAL}/`);
  });

  app.post('/sign-out', async (request, reply) => {
    const session = signedIn(portal, request);
    checkCsrf(session, (request.body as { csrf?: string } | undefined)?.csrf);
    portal.sessions.close(session.id);
    void reply.clearCookie(SESSION_COOKIE, cookieOptions(portal, request));
    return reply.type('text/html; charset=utf-8').send(page({ title: 'You have signed out', session: null }, h`<p>Your session has ended.</p><p><a href="${PORTAL}/sign-in">Sign in again</a></p>`));
  });
}
