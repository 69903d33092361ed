// Authorisation, in one place: every route declares who may call it (its `access` in the route config) and where
// the organisation of what it touches comes from; this module alone decides. Handlers never check roles.
// - public routes: anyone;
// - otherwise a caller (API token or OpenID Connect JWT, src/server/authenticate.ts) with one of the route's roles;
// - organisation-scoped roles (provider, commissioner) reach only their own organisation: an organisation named in
//   the request must be theirs (403), an organisation left out is taken to be theirs, and an object found by
//   lookup (a submission by id) that is another organisation's is answered as not found (404), so that its
//   existence is not disclosed;
// - researchers reach only the agreements that name them (likewise 404 otherwise).
import type { FastifyRequest } from 'fastify';
import { IaptError } from '../core/errors.js';
import type { Principal, Role } from '../store/access.js';
import type { ServerContext } from './context.js';

export const ORG_SCOPED: ReadonlySet<Role> = new Set(['provider', 'commissioner']);

export type OrgOf =
  /** The organisation is named in the request (query string or path). */
  | { named: 'query' | 'params'; field: string }
  /** The organisation is that of an object the request names, found by lookup; null: no such object. */
  | { lookup: (request: FastifyRequest, ctx: ServerContext) => Promise<string | null> };

export type RouteAccess =
  | { public: true }
  | {
      roles: readonly Role[];
      org?: OrgOf;
      /** For researchers: the researchers of the agreement the request concerns (null: no such agreement). */
      researchers?: (request: FastifyRequest, ctx: ServerContext) => Promise<readonly string[] | null>;
    };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export async function authorise(request: FastifyRequest, access: RouteAccess | undefined, ctx: ServerContext): Promise<void> {
  if (!access) throw new IaptError('internal', `route ${request.routeOptions.url} declares no access`);
  if ('public' in access) return;
  const who = request.principal;
  if (!who) throw new IaptError('unauthenticated', 'this needs an API token or an OpenID Connect bearer token (Authorization: Bearer …)');
  if (!access.roles.includes(who.role)) throw new IaptError('forbidden', `the ${who.role} role may not do this`);
  if (who.role === 'researcher' && access.researchers) {
    // A researcher reaches only the agreements that name them; others are not shown to exist.
    const named = await access.researchers(request, ctx);
    if (!named || !named.includes(who.name)) throw new IaptError('notFound', 'no such object');
    return;
  }
  if (!access.org || !ORG_SCOPED.has(who.role)) return;
  if (!who.org) throw new IaptError('forbidden', `this ${who.role} has no organisation on record`);
  if ('named' in access.org) {
    const fields = (access.org.named === 'query' ? request.query : request.params) as Record<string, unknown>;
    const named = fields[access.org.field];
    if (named === undefined || named === '') fields[access.org.field] = who.org;
    else if (String(named).trim().toUpperCase() !== who.org) throw new IaptError('forbidden', `a ${who.role} reaches only its own organisation (${who.org})`);
    return;
  }
  const owner = await access.org.lookup(request, ctx);
  if (owner === null || owner.toUpperCase() !== who.org) throw new IaptError('notFound', 'no such object');
}
