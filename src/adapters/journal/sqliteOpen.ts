import { closeSync, existsSync, openSync, readSync, statSync, unlinkSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { JournalError, JournalErrorCode } from '../../domain/ports/journal.js';
import { journalError } from './appendRules.js';
import { applyJournalKey, type JournalKey } from './journalKey.js';

export type SqliteDatabase = Database.Database;

export interface OpenDatabaseOptions {
  readonly path: string;
  readonly key?: JournalKey;
  /** Create the file when it does not exist (default false: a missing file is JOURNAL_NOT_FOUND). */
  readonly create?: boolean;
  /** Open read-only (verify, inspect): nothing is written to the database file. */
  readonly readonly?: boolean;
}

export interface OpenedDatabase {
  readonly db: SqliteDatabase;
  readonly isEncrypted: boolean;
}

const PLAIN_HEADER = Buffer.from('SQLite format 3\u0000', 'latin1');

/** The SQLite result code of a thrown error (`SQLITE_NOTADB`, `SQLITE_CORRUPT_…`), if it is one. */
export function sqliteCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

const isCode = (err: unknown, base: string): boolean => {
  const c = sqliteCode(err);
  return c === base || (c?.startsWith(base + '_') ?? false);
};

export const isCorruption = (err: unknown): boolean => isCode(err, 'SQLITE_CORRUPT') || isCode(err, 'SQLITE_NOTADB');

/** Maps a storage error to one sentence with a stable code; never a stack trace. */
export function storageError(err: unknown, path: string, action: string): JournalError {
  const code = sqliteCode(err);
  const detail = code ?? (err instanceof Error ? err.message.split('\n')[0] : String(err));
  let jc: JournalErrorCode = 'JOURNAL_IO';
  if (isCorruption(err)) jc = 'JOURNAL_CORRUPT';
  else if (isCode(err, 'SQLITE_BUSY') || isCode(err, 'SQLITE_LOCKED')) jc = 'JOURNAL_UNAVAILABLE';
  return journalError(jc, `cannot ${action} journal ${path}: ${detail}`);
}

const keyInvalid = (path: string): JournalError => journalError(
  'JOURNAL_KEY_INVALID', `cannot open journal ${path}: the key is wrong or the file is not an ashare journal`,
);

const keyRequired = (path: string): JournalError => journalError(
  'JOURNAL_KEY_REQUIRED',
  `cannot open journal ${path}: it is encrypted; pass --key-file or set ASHARE_JOURNAL_PASSPHRASE / ASHARE_JOURNAL_KEY_FILE`,
);

/** First 16 bytes of the file, or undefined when it is empty. */
function readHeader(path: string): Buffer | undefined {
  if (statSync(path).size === 0) return undefined;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens and (when a key is given) keys a journal database file, then proves the key by reading the
 * schema. Classifies failures before SQLite's generic "file is not a database": a file with
 * SQLite's plain header is unencrypted, anything else non-empty is taken to be encrypted (SQLCipher
 * files start with their random salt). Does not check the journal schema (see `sqliteSchema`).
 */
export function openJournalDatabase(o: OpenDatabaseOptions): Either<JournalError, OpenedDatabase> {
  const existed = existsSync(o.path);
  if (!existed && (o.readonly === true || o.create !== true)) {
    return left(journalError('JOURNAL_NOT_FOUND', `journal ${o.path} does not exist`));
  }
  let header: Buffer | undefined;
  try {
    header = existed ? readHeader(o.path) : undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'an I/O error';
    return left(journalError('JOURNAL_IO', `cannot read journal ${o.path} (${code})`));
  }
  const isPlainFile = header !== undefined && header.equals(PLAIN_HEADER);
  if (header !== undefined && !isPlainFile && o.key === undefined) return left(keyRequired(o.path));
  if (isPlainFile && o.key !== undefined) {
    return left(journalError('JOURNAL_KEY_INVALID', `cannot open journal ${o.path}: the file is not encrypted; open it without a key`));
  }

  let db: SqliteDatabase;
  try {
    db = new Database(o.path, { readonly: o.readonly === true, fileMustExist: o.create !== true || o.readonly === true });
  } catch (e) {
    return left(storageError(e, o.path, existed ? 'open' : 'create'));
  }
  const fail = (err: JournalError): Either<JournalError, OpenedDatabase> => {
    db.close();
    // Do not leave behind an empty file that this failed attempt created.
    if (!existed) for (const f of [o.path, `${o.path}-wal`, `${o.path}-shm`]) if (existsSync(f)) unlinkSync(f);
    return left(err);
  };
  try {
    if (o.key !== undefined) {
      const keyed = applyJournalKey(db, o.key);
      if (isLeft(keyed)) return fail(keyed.left);
    }
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    if (isCorruption(e)) {
      return fail(o.key !== undefined
        ? keyInvalid(o.path)
        : journalError('JOURNAL_CORRUPT', `cannot open journal ${o.path}: the file is damaged or not an ashare journal`));
    }
    return fail(storageError(e, o.path, 'open'));
  }
  return right({ db, isEncrypted: o.key !== undefined });
}
