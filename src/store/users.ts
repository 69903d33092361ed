// Users of the service and their API tokens (issue 17). A user has a role and, for the organisation-scoped roles,
// an organisation; `iapt users add` makes one with a random token shown once. Only the token's SHA-256 is stored.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { IaptError } from '../core/errors.js';
import { ACCESS_SQL, accessTablesExist, containsNhsNumber, dbInteger, dbTimestampOfIso, ensureAccessSchema, isoOfDbTimestamp, serialised, withRetry, type AccessCatalog } from './accessSql.js';

export const ROLES = ['provider', 'commissioner', 'analyst', 'researcher', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that act for one organisation, which every such user must name. */
export const ORG_ROLES: readonly Role[] = ['provider', 'commissioner'];
/** National roles, which have no organisation. (A researcher may name an institution, or none.) */
export const NATIONAL_ROLES: readonly Role[] = ['analyst', 'auditor', 'admin'];

/** Who is calling: from an API token or (later) an OpenID Connect JWT. org: ODS code (provider / commissioner), null for national roles. */
export interface Principal {
  userId: number | null;
  name: string;
  role: Role;
  org: string | null;
  via: 'token' | 'oidc';
}

export interface UserRow {
  id: number;
  name: string;
  role: Role;
  org: string | null;
  createdAt: string;
  revokedAt: string | null;
}

export const TOKEN_PREFIX = 'iapt_';
/** `iapt_` and 32 random bytes in base64url (43 characters). */
const TOKEN_PATTERN = /^iapt_[A-Za-z0-9_-]{43}$/;
const ORG_PATTERN = /^[A-Za-z0-9]{3,5}$/;

const newUser = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'a user needs a name (--name)')
      .max(200, 'a user name is at most 200 characters')
      // eslint-disable-next-line no-control-regex
      .refine((n) => !/[\u0000-\u001f\u007f]/.test(n), 'a user name may not hold control characters')
      .refine((n) => !containsNhsNumber(n), 'a user name may not hold an NHS number: it is written to the audit trail'),
    role: z.enum(ROLES, { error: (issue) => `role "${String(issue.input)}" is not one of ${ROLES.join(', ')}` }),
    org: z
      .string()
      .trim()
      .regex(ORG_PATTERN, 'an organisation is its ODS code: 3 to 5 letters or digits (--org)')
      .transform((o) => o.toUpperCase())
      .nullable(),
  })
  .superRefine((user, ctx) => {
    if (ORG_ROLES.includes(user.role) && user.org === null) ctx.addIssue({ code: 'custom', path: ['org'], message: `the ${user.role} role acts for one organisation: give its ODS code (--org CODE)` });
    if (NATIONAL_ROLES.includes(user.role) && user.org !== null) ctx.addIssue({ code: 'custom', path: ['org'], message: `the ${user.role} role is national and has no organisation: leave out --org` });
  });

const userRow = z.object({
  id: dbInteger,
  name: z.string(),
  role: z.enum(ROLES),
  org: z.string().nullable(),
  created_at: z.string(),
  revoked_at: z.string().nullable(),
});
const tokenRow = z.object({ id: dbInteger, name: z.string(), role: z.enum(ROLES), org: z.string().nullable(), token_sha256: z.string() });
const idRow = z.object({ id: dbInteger });
const revokedRow = z.object({ id: dbInteger, revoked_at: z.string().nullable() });

/**
 * SHA-256 of a token, hex. A token carries 256 random bits, so a fast hash is enough: there is nothing to guess
 * that a slow hash (bcrypt, scrypt, argon2) would protect, unlike a password chosen by a person.
 */
export const tokenHash = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** Adds a user and returns its id and its token; the token exists only in this return value (it is neither stored nor logged). */
export async function addUser(catalog: AccessCatalog, user: { name: string; role: Role; org: string | null }): Promise<{ id: number; token: string }> {
  const parsed = newUser.safeParse({ name: user.name, role: user.role, org: user.org ?? null });
  if (!parsed.success) throw new IaptError('usage', parsed.error.issues.map((i) => i.message).join('; '));
  const { name, role, org } = parsed.data;
  await ensureAccessSchema(catalog);
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const hash = tokenHash(token).toString('hex');
  const createdAt = dbTimestampOfIso(new Date().toISOString());
  const id = await serialised(catalog, () =>
    withRetry('adding a user', () =>
      catalog.transaction(async () => {
        const [next] = await catalog.rows(idRow, ACCESS_SQL.nextUserId);
        await catalog.exec(ACCESS_SQL.insertUser, [next!.id, name, role, org, hash, createdAt]);
        return next!.id;
      }),
    ),
  );
  return { id, token };
}

/** Every user, revoked ones included, oldest first; never a token or its hash. */
export async function listUsers(catalog: AccessCatalog): Promise<UserRow[]> {
  if (!(await accessTablesExist(catalog))) return [];
  return (await catalog.rows(userRow, ACCESS_SQL.listUsers)).map((r) => ({
    id: r.id,
    name: r.name,
    role: r.role,
    org: r.org,
    createdAt: isoOfDbTimestamp(r.created_at),
    revokedAt: r.revoked_at === null ? null : isoOfDbTimestamp(r.revoked_at),
  }));
}

/** Revokes a user's token from now on. Revoking a revoked user changes nothing; an unknown id is an input error. */
export async function revokeUser(catalog: AccessCatalog, id: number): Promise<void> {
  if (!Number.isSafeInteger(id) || id < 1) throw new IaptError('usage', `a user id is a whole number from 1 ("${id}" is not)`);
  await ensureAccessSchema(catalog);
  const revokedAt = dbTimestampOfIso(new Date().toISOString());
  await serialised(catalog, () =>
    withRetry('revoking a user', () =>
      catalog.transaction(async () => {
        const [row] = await catalog.rows(revokedRow, ACCESS_SQL.userById, [id]);
        if (!row) throw new IaptError('input', `there is no user ${id} (iapt users list shows them)`);
        if (row.revoked_at === null) await catalog.exec(ACCESS_SQL.revokeUser, [id, revokedAt]);
      }),
    ),
  );
}

/**
 * The user a token belongs to, or null for a malformed, unknown or revoked token. The database is not asked to
 * find the hash (an index lookup's timing depends on the stored values): every active token's hash is read and
 * compared with timingSafeEqual, all of them, whatever matched. There are tens to hundreds of machine clients.
 */
export async function principalOfToken(catalog: AccessCatalog, token: string): Promise<Principal | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  if (!(await accessTablesExist(catalog))) return null;
  const presented = tokenHash(token);
  const [row] = await catalog.rows(tokenRow, ACCESS_SQL.activeToken, [presented.toString('hex')]);
  const found = row && timingSafeEqual(Buffer.from(row.token_sha256, 'hex'), presented) ? row : null;
  return found && { userId: found.id, name: found.name, role: found.role, org: found.org, via: 'token' };
}
