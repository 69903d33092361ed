// What every portal route works with: the API client, the sessions, the server's context, and how to find the
// signed-in caller of a request (or send them to sign in).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IaptError } from '../../core/errors.js';
import type { ServerContext } from '../../server/context.js';
import type { Api } from './api.js';
import { sameToken, SESSION_COOKIE, type Session, type SessionStore } from './sessions.js';

export interface OidcClientOptions {
  /** The issuer (its discovery document at /.well-known/openid-configuration). */
  issuer: string;
  clientId: string;
  /** A confidential client's secret; without it the portal is a public client (PKCE alone). */
  clientSecret?: string;
}

export interface PortalOptions {
  /** Sign in through OpenID Connect (authorisation code + PKCE) instead of the API-token form. */
  oidc?: OidcClientOptions;
  /** Where browsers reach the service (https://…): the OpenID Connect redirect URI is made from it. */
  publicUrl?: string;
  /** The session clock (tests). */
  now?: () => number;
}

export interface Portal {
  api: Api;
  sessions: SessionStore;
  /** What the portal needs of the server's context: the upload limit (the API enforces it; the portal passes one byte more on). */
  ctx: Pick<ServerContext, 'uploadLimit'>;
  options: PortalOptions;
}

/** Not signed in (or the session is over): the error handler sends the browser to the sign-in page. */
export class SignInNeeded extends Error {}

export function sessionOf(portal: Portal, request: FastifyRequest): Session | null {
  return portal.sessions.get(request.cookies[SESSION_COOKIE]);
}

/** The signed-in caller of this request, with the browser's address (for the API calls made on their behalf). */
export function signedIn(portal: Portal, request: FastifyRequest): Session & { ip: string } {
  const session = sessionOf(portal, request);
  if (!session) throw new SignInNeeded();
  return { ...session, ip: request.ip };
}

/** A POST form's CSRF token must be the session's. */
export function checkCsrf(session: Session, given: unknown): void {
  if (!sameToken(session.csrf, typeof given === 'string' ? given : undefined)) throw new IaptError('forbidden', 'the form has expired or did not come from this site: go back, reload the page and try again');
}

/** The session cookie's attributes: HttpOnly, SameSite=Lax, Secure over https (directly or behind a proxy). */
export function cookieOptions(portal: Portal, request: FastifyRequest, maxAgeSeconds?: number) {
  const secure = portal.options.publicUrl ? portal.options.publicUrl.startsWith('https:') : request.protocol === 'https';
  return { path: '/portal', httpOnly: true, sameSite: 'lax' as const, secure, ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}) };
}

export const redirect = (reply: FastifyReply, to: string) => reply.code(303).header('location', to).send();
