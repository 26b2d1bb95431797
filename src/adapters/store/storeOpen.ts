import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { JournalKey } from '../journal/journalKey.js';
import { classifySqliteError, openKeyedSqlite, type KeyedDatabase, type OpenFailureKind } from '../sqlite/openKeyedSqlite.js';
import { storeError, type StoreError, type StoreErrorCode } from './storeError.js';

export type StoreDatabase = KeyedDatabase;

export interface OpenStoreFileOptions {
  readonly path: string;
  /** Same key scheme as the journal (SQLCipher 4, passphrase or raw key file); undefined = plain file. */
  readonly key?: JournalKey;
  /** Create the file when it does not exist (default false: a missing file is STORE_NOT_FOUND). */
  readonly create?: boolean;
  readonly readonly?: boolean;
}

const STORE_CODES: Readonly<Record<OpenFailureKind, StoreErrorCode>> = {
  NOT_FOUND: 'STORE_NOT_FOUND', IO: 'STORE_IO', KEY_REQUIRED: 'STORE_KEY_REQUIRED', KEY_INVALID: 'STORE_KEY_INVALID',
  CORRUPT: 'STORE_CORRUPT', UNAVAILABLE: 'STORE_UNAVAILABLE', READONLY: 'STORE_READONLY', FULL: 'STORE_IO',
};

/** Maps a SQLite error to one sentence with a stable code; never a stack trace. */
export function storeIoError(err: unknown, path: string, action: string): StoreError {
  const f = classifySqliteError(err, 'market store', path, action);
  return storeError(STORE_CODES[f.kind], f.message);
}

/** Opens and keys a market-store file exactly as journals are opened (`openKeyedSqlite`), in the store's words and codes. */
export function openStoreFile(o: OpenStoreFileOptions): Either<StoreError, StoreDatabase> {
  const r = openKeyedSqlite(o, 'market store');
  return isLeft(r) ? left(storeError(STORE_CODES[r.left.kind], r.left.message)) : right(r.right.db);
}
