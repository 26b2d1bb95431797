import { createHash } from 'node:crypto';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { sqliteCode } from '../sqlite/openKeyedSqlite.js';
import { isLocked, recordFailure, type LockStarted, type LockState } from './lockout.js';
import { dummyPasswordHash, hashPassword, passwordProblem, verifyPassword } from './password.js';
import { matchTotp, newTotpSecret, otpauthUri } from './totp.js';
import { openUsersDatabase, usersStorageError, type AuthError, type OpenUsersFileOptions } from './usersFileOpen.js';

export type { AuthError, AuthErrorCode, OpenUsersFileOptions } from './usersFileOpen.js';

const NAME_RE = /^[A-Za-z0-9._-]{1,64}$/;

/** 1–64 characters of A–Z, a–z, 0–9, '.', '_', '-': safe in a URI label, a log line and a file. */
export const isValidUserName = (name: string): boolean => NAME_RE.test(name);

/** What a person needs to set up their authenticator; shown once, never stored anywhere else. */
export interface Enrolment {
  readonly name: string;
  /** Base32, for typing in by hand. */
  readonly totpSecret: string;
  readonly otpauthUri: string;
}

/** For the security log only: a client is shown one generic message whatever the reason. */
export type LoginFailureReason = 'UNKNOWN_USER' | 'BAD_CREDENTIALS' | 'TOTP_REPLAYED' | 'ACCOUNT_LOCKED';

export type LoginResult =
  | {
    readonly ok: true;
    readonly user: string;
    /** The user's enrolment stamp as it was when this login was decided (see `enrolmentStamp`). */
    readonly stamp: string;
  }
  | {
    readonly ok: false;
    readonly reason: LoginFailureReason;
    /** With ACCOUNT_LOCKED: when the lock ends (epoch ms). */
    readonly lockedUntil?: number;
    /** A lock that this very failure started (log it once). */
    readonly locked?: LockStarted;
  };

export interface UsersStore {
  readonly path: string;
  readonly isEncrypted: boolean;
  /** Enrols a user with a fresh TOTP secret; refuses an existing name and a password outside the policy. */
  add(name: string, password: string, nowMs: number): Either<AuthError, Enrolment>;
  remove(name: string): Either<AuthError, void>;
  /** A new TOTP secret (the old one stops working at once); also lifts a lock, as an operator's act at the console. */
  resetTotp(name: string, nowMs: number): Either<AuthError, Enrolment>;
  list(): Either<AuthError, readonly string[]>;
  /** Whether the user still exists (a session of a removed user ends). Throws only when the file cannot be read. */
  exists(name: string): boolean;
  /**
   * A fingerprint of the user's enrolment (password hash and TOTP secret), or null when there is
   * no such user: it changes when the TOTP is reset or the user removed and added again, so a
   * session signed in under the old one can be ended. Throws only when the file cannot be read.
   */
  enrolmentStamp(name: string): string | null;
  /**
   * Password and TOTP code. Costs one argon2id verify and three TOTP codes whichever way it goes
   * (unknown user, wrong password, wrong or reused code, locked), so its time tells nothing. A
   * success consumes the code's time step. Throws only when the users file cannot be read or written.
   */
  verifyLogin(name: string, password: string, totp: string, nowMs: number): Promise<LoginResult>;
  /** A fresh TOTP code alone, for an operator action by a logged-in user; consumes the step, failures count toward the lock. */
  verifyStepUp(name: string, totp: string, nowMs: number): LoginResult;
  close(): void;
}

interface UserRow {
  readonly name: string;
  readonly password_hash: string;
  readonly totp_secret: string;
  readonly totp_last_step: number;
  readonly failures: number;
  readonly lockouts: number;
  readonly locked_until: number;
}

/** The password factor of a login: the hash it was checked against and the outcome. */
interface PasswordCheck {
  readonly phc: string;
  readonly ok: boolean;
}

// An unknown user's code is checked against this secret, so that check costs what a real one does.
const DUMMY_SECRET = newTotpSecret();
const NO_STEP = -1;

/**
 * The enrolment stamp: a hash, so the secret itself is never held beside a session. The password
 * hash carries a fresh salt and the TOTP secret is drawn anew at every add or reset, so any
 * re-enrolment changes it.
 */
const stampOf = (r: Pick<UserRow, 'password_hash' | 'totp_secret'>): string =>
  createHash('sha256').update(`ashare enrolment v1\n${r.password_hash}\n${r.totp_secret}`).digest('base64url');

const nameError = (): AuthError => ({ code: 'USER_NAME_INVALID', message: `a user name must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-'` });
const enrolment = (name: string, totpSecret: string): Enrolment => ({ name, totpSecret, otpauthUri: otpauthUri(name, totpSecret) });

/**
 * The dashboard's users: an SQLite file encrypted with the journal's key (a plaintext one only
 * when `allowPlaintext`), mode 0600. It holds argon2id hashes and TOTP secrets, the last time step
 * accepted per user (each code works once) and the lockout state.
 */
export function openUsersFile(o: OpenUsersFileOptions): Either<AuthError, UsersStore> {
  const opened = openUsersDatabase(o);
  if (isLeft(opened)) return opened;
  const { db, isEncrypted } = opened.right;
  dummyPasswordHash(); // now, so that no login pays for computing it
  const q = {
    row: db.prepare('SELECT name, password_hash, totp_secret, totp_last_step, failures, lockouts, locked_until FROM users WHERE name = ?'),
    hashOf: db.prepare('SELECT password_hash FROM users WHERE name = ?').pluck(),
    names: db.prepare('SELECT name FROM users ORDER BY name').pluck(),
    insert: db.prepare(`INSERT INTO users (name, password_hash, totp_secret, totp_set_at, totp_last_step, failures, lockouts, locked_until, created_at)
      VALUES (?, ?, ?, ?, ${NO_STEP}, 0, 0, 0, ?)`),
    remove: db.prepare('DELETE FROM users WHERE name = ?'),
    resetTotp: db.prepare(`UPDATE users SET totp_secret = ?, totp_set_at = ?, totp_last_step = ${NO_STEP}, failures = 0, lockouts = 0, locked_until = 0 WHERE name = ?`),
    succeed: db.prepare('UPDATE users SET totp_last_step = ?, failures = 0, lockouts = 0, locked_until = 0 WHERE name = ?'),
    setLock: db.prepare('UPDATE users SET failures = ?, lockouts = ?, locked_until = ? WHERE name = ?'),
  };
  const storage = (e: unknown, action: string): AuthError => usersStorageError(e, o.path, action);

  /*
   * Enrolment stamps are asked for on every dashboard request: they are kept until the file
   * changes — by this store (add, remove, reset) or by another process (SQLite's data_version
   * moves when another connection commits, e.g. `ashare user remove`).
   */
  const stamps = new Map<string, string | null>();
  let stampsVersion = -1;
  const forgetStamps = () => stamps.clear();

  /*
   * The decision, in one IMMEDIATE transaction after the slow password check: the row is read
   * again, so two logins racing with the same code (or a login racing a remove or reset) cannot
   * both win — one commits the step, the other then sees it as used.
   */
  const settle = db.transaction((name: string, pw: PasswordCheck | null, totp: string, nowMs: number): LoginResult => {
    const r = isValidUserName(name) ? q.row.get(name) as UserRow | undefined : undefined;
    const m = matchTotp(r?.totp_secret ?? DUMMY_SECRET, totp, nowMs, r?.totp_last_step ?? NO_STEP);
    if (r === undefined) return { ok: false, reason: 'UNKNOWN_USER' };
    const lock: LockState = { failures: r.failures, lockouts: r.lockouts, lockedUntil: r.locked_until };
    if (isLocked(lock, nowMs)) return { ok: false, reason: 'ACCOUNT_LOCKED', lockedUntil: r.locked_until };
    // The hash that was verified must still be this user's: a remove and re-add meanwhile is no match.
    const passwordOk = pw === null || (pw.ok && pw.phc === r.password_hash);
    if (passwordOk && m.acceptedStep !== null) {
      q.succeed.run(m.acceptedStep, r.name);
      return { ok: true, user: r.name, stamp: stampOf(r) };
    }
    const f = recordFailure(lock, nowMs);
    q.setLock.run(f.next.failures, f.next.lockouts, f.next.lockedUntil, r.name);
    const reason = passwordOk && m.replayed ? 'TOTP_REPLAYED' : 'BAD_CREDENTIALS';
    return f.locked ? { ok: false, reason, locked: f.locked } : { ok: false, reason };
  });

  return right({
    path: o.path,
    isEncrypted,
    add(name, password, nowMs) {
      if (!isValidUserName(name)) return left(nameError());
      const problem = passwordProblem(password);
      if (problem !== null) return left({ code: 'PASSWORD_POLICY', message: problem });
      const taken = (): AuthError => ({ code: 'USER_EXISTS', message: `user ${name} already exists in ${o.path}` });
      try {
        if (q.hashOf.get(name) !== undefined) return left(taken());
      } catch (e) {
        return left(storage(e, 'read'));
      }
      const secret = newTotpSecret();
      try {
        q.insert.run(name, hashPassword(password), secret, nowMs, nowMs);
        forgetStamps();
      } catch (e) {
        return left(sqliteCode(e) === 'SQLITE_CONSTRAINT_PRIMARYKEY' ? taken() : storage(e, 'write'));
      }
      return right(enrolment(name, secret));
    },
    remove(name) {
      if (!isValidUserName(name)) return left(nameError());
      try {
        forgetStamps();
        if (q.remove.run(name).changes === 0) return left({ code: 'USER_NOT_FOUND', message: `there is no user ${name} in ${o.path}` });
      } catch (e) {
        return left(storage(e, 'write'));
      }
      return right(undefined);
    },
    resetTotp(name, nowMs) {
      if (!isValidUserName(name)) return left(nameError());
      const secret = newTotpSecret();
      try {
        forgetStamps();
        if (q.resetTotp.run(secret, nowMs, name).changes === 0) return left({ code: 'USER_NOT_FOUND', message: `there is no user ${name} in ${o.path}` });
      } catch (e) {
        return left(storage(e, 'write'));
      }
      return right(enrolment(name, secret));
    },
    list() {
      try {
        return right(q.names.all() as string[]);
      } catch (e) {
        return left(storage(e, 'read'));
      }
    },
    exists: (name) => isValidUserName(name) && q.hashOf.get(name) !== undefined,
    enrolmentStamp(name) {
      const version = db.pragma('data_version', { simple: true }) as number;
      if (version !== stampsVersion) {
        forgetStamps();
        stampsVersion = version;
      }
      let stamp = stamps.get(name);
      if (stamp === undefined) {
        const r = isValidUserName(name) ? q.row.get(name) as UserRow | undefined : undefined;
        stamp = r === undefined ? null : stampOf(r);
        stamps.set(name, stamp);
      }
      return stamp;
    },
    async verifyLogin(name, password, totp, nowMs) {
      const stored = isValidUserName(name) ? q.hashOf.get(name) as string | undefined : undefined;
      const phc = stored ?? dummyPasswordHash();
      const ok = await verifyPassword(phc, password);
      return settle.immediate(name, { phc, ok: ok && stored !== undefined }, totp, nowMs);
    },
    verifyStepUp: (name, totp, nowMs) => settle.immediate(name, null, totp, nowMs),
    close: () => db.close(),
  });
}
