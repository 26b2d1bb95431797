import { chmodSync, existsSync, unlinkSync, writeFileSync } from 'node:fs';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { JournalKey } from '../journal/journalKey.js';
import { classifySqliteError, openKeyedSqlite, type KeyedDatabase, type OpenFailureKind } from '../sqlite/openKeyedSqlite.js';

export type AuthErrorCode =
  | 'USERS_FILE_NOT_FOUND' | 'USERS_FILE_KEY_REQUIRED' | 'USERS_FILE_KEY_INVALID' | 'USERS_FILE_CORRUPT'
  | 'USERS_FILE_UNAVAILABLE' | 'USERS_FILE_IO' | 'USERS_FILE_INVALID'
  | 'USER_NAME_INVALID' | 'USER_EXISTS' | 'USER_NOT_FOUND' | 'PASSWORD_POLICY';

/** An expected failure of the users file: a stable code and one sentence (never a secret). */
export interface AuthError {
  readonly code: AuthErrorCode;
  readonly message: string;
}

export interface OpenUsersFileOptions {
  readonly path: string;
  /** The journal's key: the users file is encrypted exactly like the journal. */
  readonly key?: JournalKey;
  /** Create the file (mode 0600) when it does not exist (default false: a missing file is USERS_FILE_NOT_FOUND). */
  readonly create?: boolean;
  /** Accept working without a key, on a plaintext file (default false: no key is refused). */
  readonly allowPlaintext?: boolean;
}

const NOUN = 'users file';
const SCHEMA_VERSION = 1;

// STRICT: a text in an integer column is an error, not a silently stored string.
const SCHEMA = `CREATE TABLE users (
  name TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),
  password_hash TEXT NOT NULL,
  totp_secret TEXT NOT NULL,
  totp_set_at INTEGER NOT NULL,
  totp_last_step INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  lockouts INTEGER NOT NULL,
  locked_until INTEGER NOT NULL,
  created_at INTEGER NOT NULL
) STRICT`;

const CODES: Readonly<Record<OpenFailureKind, AuthErrorCode>> = {
  NOT_FOUND: 'USERS_FILE_NOT_FOUND', IO: 'USERS_FILE_IO', KEY_REQUIRED: 'USERS_FILE_KEY_REQUIRED', KEY_INVALID: 'USERS_FILE_KEY_INVALID',
  CORRUPT: 'USERS_FILE_CORRUPT', UNAVAILABLE: 'USERS_FILE_UNAVAILABLE', READONLY: 'USERS_FILE_IO', FULL: 'USERS_FILE_IO',
};

/** A storage error during `action` on the users file, as one sentence with a stable code. */
export function usersStorageError(err: unknown, path: string, action: string): AuthError {
  const f = classifySqliteError(err, NOUN, path, action);
  return { code: CODES[f.kind], message: f.message };
}

/**
 * Opens (or creates) the users database: keyed like the journal, its schema checked or created.
 * A new file is made empty with mode 0600 before SQLite writes a byte to it, so it is never readable
 * by others, and removed again when opening it fails.
 */
export function openUsersDatabase(o: OpenUsersFileOptions): Either<AuthError, { db: KeyedDatabase; isEncrypted: boolean }> {
  if (o.key === undefined && o.allowPlaintext !== true) {
    return left({ code: 'USERS_FILE_KEY_REQUIRED', message: `the users file ${o.path} must be encrypted like the journal: give the journal's key, or allow a plaintext users file` });
  }
  const isNew = o.create === true && !existsSync(o.path);
  if (isNew) {
    try {
      writeFileSync(o.path, '', { mode: 0o600, flag: 'wx' });
      chmodSync(o.path, 0o600); // the mode above passes through the umask; make it exact
    } catch (e) {
      return left({ code: 'USERS_FILE_IO', message: `cannot create ${NOUN} ${o.path} (${(e as NodeJS.ErrnoException).code ?? 'an I/O error'})` });
    }
  }
  const discard = (): void => { if (isNew && existsSync(o.path)) unlinkSync(o.path); };
  const opened = openKeyedSqlite({ path: o.path, key: o.key, create: o.create === true }, NOUN);
  if (isLeft(opened)) {
    discard();
    return left({ code: CODES[opened.left.kind], message: opened.left.message });
  }
  const { db } = opened.right;
  const fail = (e: AuthError): Either<AuthError, never> => { db.close(); discard(); return left(e); };
  try {
    db.pragma('busy_timeout = 5000'); // the CLI may write while the dashboard holds the file open
    db.pragma('secure_delete = ON'); // a removed user's hash and secret are overwritten, not left in free pages
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[];
    if (tables.length === 0 && o.create === true) {
      db.transaction(() => { db.exec(SCHEMA); db.pragma(`user_version = ${SCHEMA_VERSION}`); }).immediate();
    } else if (!tables.includes('users') || db.pragma('user_version', { simple: true }) !== SCHEMA_VERSION) {
      return fail({ code: 'USERS_FILE_INVALID', message: `${o.path} is not an ashare users file (or one of another version)` });
    }
  } catch (e) {
    return fail(usersStorageError(e, o.path, 'open'));
  }
  return opened;
}
