// Signing in through OpenID Connect (production): the authorisation code flow with PKCE (openid-client). The
// browser is sent to the issuer with a code challenge, state and nonce kept here against a short-lived cookie; the
// issuer sends it back with a code, exchanged (with the verifier) for tokens. The token the API accepts — the access
// token if it is one of the issuer's JWTs for the API's audience, else the ID token — is kept server-side in a new
// session, exactly as a pasted API token is, and authenticates the pages' API calls by the API's own OIDC path.
import type { FastifyInstance } from 'fastify';
import * as client from 'openid-client';
import { IaptError } from '../../core/errors.js';
import { ApiRefusal } from './api.js';
import { cookieOptions, redirect, type OidcClientOptions, type Portal } from './context.js';
import { PORTAL } from './layout.js';
import { randomToken, SESSION_COOKIE, type Caller } from './sessions.js';

const PENDING_COOKIE = 'iapt_portal_oidc';
const PENDING_MINUTES = 10;

interface Pending {
  verifier: string;
  state: string;
  nonce: string;
  expires: number;
}

/** Plain http is allowed only for an issuer on this machine (tests, development). */
const local = (url: URL) => url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

export async function oidcRoutes(app: FastifyInstance, portal: Portal, oidc: OidcClientOptions): Promise<void> {
  if (!portal.options.publicUrl) throw new IaptError('usage', 'signing in through OpenID Connect needs the address browsers use (--public-url)');
  const publicUrl = portal.options.publicUrl.replace(/\/+$/, '');
  const redirectUri = `${publicUrl}${PORTAL}/oidc/callback`;
  const issuer = new URL(oidc.issuer);
  const now = portal.options.now ?? Date.now;
  const pending = new Map<string, Pending>();
  // Discovered on first use (and again after a failure), so that serve starts while the issuer is unreachable.
  let discovered: Promise<client.Configuration> | null = null;
  const configuration = () =>
    (discovered ??= client
      .discovery(issuer, oidc.clientId, oidc.clientSecret ? { client_secret: oidc.clientSecret } : undefined, oidc.clientSecret ? client.ClientSecretPost(oidc.clientSecret) : client.None(), local(issuer) ? { execute: [client.allowInsecureRequests] } : {})
      .catch((error: unknown) => {
        discovered = null;
        throw new IaptError('busy', `the sign-in service cannot be reached (${(error as Error).message})`);
      }));

  app.get('/oidc/start', async (request, reply) => {
    const config = await configuration();
    for (const [k, p] of pending) if (p.expires <= now()) pending.delete(k);
    const p: Pending = { verifier: client.randomPKCECodeVerifier(), state: client.randomState(), nonce: client.randomNonce(), expires: now() + PENDING_MINUTES * 60_000 };
    const key = randomToken();
    pending.set(key, p);
    const url = client.buildAuthorizationUrl(config, { redirect_uri: redirectUri, scope: 'openid profile', code_challenge: await client.calculatePKCECodeChallenge(p.verifier), code_challenge_method: 'S256', state: p.state, nonce: p.nonce });
    void reply.setCookie(PENDING_COOKIE, key, cookieOptions(portal, request, PENDING_MINUTES * 60));
    return redirect(reply, url.href);
  });

  app.get('/oidc/callback', async (request, reply) => {
    const key = request.cookies[PENDING_COOKIE];
    const p = key ? pending.get(key) : undefined;
    if (key) pending.delete(key);
    void reply.clearCookie(PENDING_COOKIE, cookieOptions(portal, request));
    if (!p || p.expires <= now()) throw new IaptError('unauthenticated', 'the sign-in had expired or was not started here: sign in again');
    const config = await configuration();
    let tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers;
    try {
      tokens = await client.authorizationCodeGrant(config, new URL(`${publicUrl}${request.url}`), { pkceCodeVerifier: p.verifier, expectedState: p.state, expectedNonce: p.nonce });
    } catch (error) {
      throw new IaptError('unauthenticated', `the sign-in was not completed (${(error as Error).message})`);
    }
    const candidates = [tokens.access_token, tokens.id_token].filter((t): t is string => typeof t === 'string' && t.split('.').length === 3);
    for (const bearer of candidates) {
      let caller: Caller;
      try {
        caller = await portal.api.json<Caller>({ bearer, ip: request.ip }, '/api/v1/me');
      } catch (error) {
        if (error instanceof ApiRefusal && error.status === 401) continue;
        throw error;
      }
      const expiresIn = tokens.expiresIn();
      const session = portal.sessions.open(bearer, { name: caller.name, role: caller.role, org: caller.org }, expiresIn !== undefined ? now() + expiresIn * 1000 : undefined);
      void reply.setCookie(SESSION_COOKIE, session.id, cookieOptions(portal, request));
      return redirect(reply, `${PORTAL}/`);
    }
    throw new IaptError('unauthenticated', 'the sign-in service gave no token that this service accepts (its role claim, issuer or audience)');
  });
}
