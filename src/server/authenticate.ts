// Who is calling: `Authorization: Bearer <token>`, either an API token made by `iapt users add` (iapt_…: its hash is
// looked up in the catalog) or an OpenID Connect JWT verified against the configured issuer's key set (jose), whose
// claims name the role and the organisation. No credentials: null (a public route may still be called). Bad
// credentials: 401, whatever the route.
import type { FastifyRequest } from 'fastify';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { IaptError } from '../core/errors.js';
import { principalOfToken, ROLES, type Principal, type Role } from '../store/access.js';
import { withCatalog, type OidcConfig, type ServerContext } from './context.js';

const API_TOKEN_PREFIX = 'iapt_';

const keySets = new WeakMap<OidcConfig, JWTVerifyGetKey>();
function keySetOf(oidc: OidcConfig): JWTVerifyGetKey {
  let keys = keySets.get(oidc);
  if (!keys) {
    keys = oidc.jwks instanceof URL ? createRemoteJWKSet(oidc.jwks) : createLocalJWKSet(oidc.jwks as Parameters<typeof createLocalJWKSet>[0]);
    keySets.set(oidc, keys);
  }
  return keys;
}

async function principalOfJwt(token: string, oidc: OidcConfig): Promise<Principal> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, keySetOf(oidc), { issuer: oidc.issuer, audience: oidc.audience }));
  } catch (error) {
    throw new IaptError('unauthenticated', `the bearer token is not valid (${(error as Error).message})`);
  }
  const role = payload[oidc.roleClaim ?? 'iapt_role'];
  const org = payload[oidc.orgClaim ?? 'iapt_org'];
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) throw new IaptError('unauthenticated', `the bearer token names no iapt role (claim ${oidc.roleClaim ?? 'iapt_role'})`);
  const name = typeof payload.sub === 'string' ? payload.sub : 'oidc';
  return { userId: null, name, role: role as Role, org: typeof org === 'string' && org !== '' ? org.toUpperCase() : null, via: 'oidc' };
}

export async function authenticate(request: FastifyRequest, ctx: ServerContext): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header === undefined) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) throw new IaptError('unauthenticated', 'the Authorization header must be "Bearer <token>"');
  const token = m[1]!;
  if (token.startsWith(API_TOKEN_PREFIX)) {
    const who = await withCatalog(ctx, (catalog) => principalOfToken(catalog, token));
    if (!who) throw new IaptError('unauthenticated', 'the API token is not known, or was revoked');
    return who;
  }
  if (!ctx.oidc) throw new IaptError('unauthenticated', 'the bearer token is not an API token, and no OpenID Connect issuer is configured');
  return principalOfJwt(token, ctx.oidc);
}
