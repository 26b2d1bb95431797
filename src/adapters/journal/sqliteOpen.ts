import { isLeft, left, type Either } from 'fp-ts/lib/Either.js';
import type { JournalError, JournalErrorCode } from '../../domain/ports/journal.js';
import { classifySqliteError, openKeyedSqlite, type KeyedDatabase, type OpenFailure, type OpenFailureKind } from '../sqlite/openKeyedSqlite.js';
import { journalError } from './journalError.js';
import type { JournalKey } from './journalKey.js';

export { isCorruption, sqliteCode } from '../sqlite/openKeyedSqlite.js';

export type SqliteDatabase = KeyedDatabase;

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

const JOURNAL_CODES: Readonly<Record<OpenFailureKind, JournalErrorCode>> = {
  NOT_FOUND: 'JOURNAL_NOT_FOUND', IO: 'JOURNAL_IO', KEY_REQUIRED: 'JOURNAL_KEY_REQUIRED', KEY_INVALID: 'JOURNAL_KEY_INVALID',
  CORRUPT: 'JOURNAL_CORRUPT', UNAVAILABLE: 'JOURNAL_UNAVAILABLE', READONLY: 'JOURNAL_READ_ONLY', FULL: 'JOURNAL_DISK_FULL',
};

/** Maps a storage error to one sentence with a stable code; never a stack trace. */
export function storageError(err: unknown, path: string, action: string): JournalError {
  const f = classifySqliteError(err, 'journal', path, action);
  return journalError(JOURNAL_CODES[f.kind], f.message);
}

/** A file that would not open, in the journal's codes. */
export const journalOpenError = (f: OpenFailure): JournalError => journalError(JOURNAL_CODES[f.kind], f.message);

/**
 * Opens and (when a key is given) keys a journal database file, then proves the key by reading the
 * schema (see `openKeyedSqlite`; the market store opens its files the same way). Does not check the
 * journal schema (see `sqliteSchema`).
 */
export function openJournalDatabase(o: OpenDatabaseOptions): Either<JournalError, OpenedDatabase> {
  const r = openKeyedSqlite(o, 'journal');
  return isLeft(r) ? left(journalOpenError(r.left)) : r;
}
