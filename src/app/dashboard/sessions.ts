import { randomBytes, timingSafeEqual } from 'node:crypto';

/** The session cookie: `__Host-` so it is Secure, host-only and Path=/ by the browser's own rules. */
export const SESSION_COOKIE = '__Host-ashare_session';

export interface Session {
  readonly id: string;
  readonly user: string;
  readonly address: string;
  readonly csrfToken: string;
  /** The user's enrolment stamp at sign-in: a session outlives neither a removal nor a TOTP reset. */
  readonly stamp: string;
  readonly createdAt: number;
  lastSeenAt: number;
}

export type SessionLookup =
  | { readonly ok: true; readonly session: Session }
  | { readonly ok: false; readonly ended: 'IDLE' | 'ABSOLUTE' | 'USER_REMOVED' | null; readonly session: Session | null };

const token = (): string => randomBytes(32).toString('base64url');

/**
 * Server-side sessions, in memory (a restart logs everyone out, which is what a trading desk
 * wants). A session id is 256 random bits, issued anew at every login (never reused from the
 * request: no fixation), and ends on logout, after `idleMs` without a request, or `absoluteMs` after
 * login, whichever comes first. Each carries its own CSRF token. Bounded: the oldest sessions go
 * first beyond `max`.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(readonly idleMs: number, readonly absoluteMs: number, private readonly max = 1000) {}

  create(user: string, address: string, now: number, stamp: string): Session {
    const s: Session = { id: token(), user, address, csrfToken: token(), stamp, createdAt: now, lastSeenAt: now };
    this.sessions.set(s.id, s);
    while (this.sessions.size > this.max) this.sessions.delete(this.sessions.keys().next().value!);
    return s;
  }

  /** The live session `id` names (touching it), or why there is none; an ended one is removed. */
  lookup(id: string | undefined, now: number, touch = true): SessionLookup {
    if (!id) return { ok: false, ended: null, session: null };
    const s = this.sessions.get(id);
    if (!s) return { ok: false, ended: null, session: null };
    const ended = now - s.createdAt >= this.absoluteMs ? 'ABSOLUTE' : now - s.lastSeenAt >= this.idleMs ? 'IDLE' : null;
    if (ended) {
      this.sessions.delete(id);
      return { ok: false, ended, session: s };
    }
    if (touch) s.lastSeenAt = now;
    return { ok: true, session: s };
  }

  destroy(id: string): Session | null {
    const s = this.sessions.get(id) ?? null;
    this.sessions.delete(id);
    return s;
  }

  /**
   * Ends the sessions of `user` signed in under an enrolment other than `current` (its stamp now;
   * null when the user was removed: every session of theirs ends), returning the ended ones.
   */
  destroyUser(user: string, current: string | null = null): Session[] {
    const ended: Session[] = [];
    for (const [id, s] of this.sessions) {
      if (s.user !== user || s.stamp === current) continue;
      this.sessions.delete(id);
      ended.push(s);
    }
    return ended;
  }
}

/** Constant-time comparison of a presented CSRF token with the session's. */
export function csrfMatches(session: Session, presented: unknown): boolean {
  if (typeof presented !== 'string' || presented.length !== session.csrfToken.length) return false;
  return timingSafeEqual(Buffer.from(presented), Buffer.from(session.csrfToken));
}
