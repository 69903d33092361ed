// Portal sessions: a random session id in an HttpOnly cookie, mapped here — in this process's memory — to the bearer
// token that the pages present to the API, the caller it names, a CSRF token for every POST form, and an expiry.
// In memory: a restart signs everyone out, and several serve processes behind one proxy would need sticky sessions
// (docs/portal.md). The token never leaves the server: not in a cookie, a page or a URL.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../store/access.js';

export interface Caller {
  name: string;
  role: Role;
  org: string | null;
}

export interface Session {
  id: string;
  bearer: string;
  caller: Caller;
  csrf: string;
  /** Epoch milliseconds after which the session is over. */
  expires: number;
}

export const SESSION_COOKIE = 'iapt_portal_session';
/** Before sign-in: the double-submitted token of the sign-in form (login CSRF). */
export const SIGN_IN_COOKIE = 'iapt_portal_sign_in';
export const SESSION_HOURS = 8;

export const randomToken = (): string => randomBytes(32).toString('base64url');

/** Equal strings, compared in constant time. */
export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  constructor(private readonly now: () => number = Date.now) {}

  /** A new session; `until` shortens it (an OpenID Connect token that expires sooner). */
  open(bearer: string, caller: Caller, until?: number): Session {
    this.sweep();
    const expires = Math.min(this.now() + SESSION_HOURS * 3_600_000, until ?? Infinity);
    const session: Session = { id: randomToken(), bearer, caller, csrf: randomToken(), expires };
    this.sessions.set(session.id, session);
    return session;
  }

  get(id: string | undefined): Session | null {
    if (!id) return null;
    const session = this.sessions.get(id);
    if (!session) return null;
    if (session.expires <= this.now()) {
      this.sessions.delete(id);
      return null;
    }
    return session;
  }

  close(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, s] of this.sessions) if (s.expires <= now) this.sessions.delete(id);
  }
}
