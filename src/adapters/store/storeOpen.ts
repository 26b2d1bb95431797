import { closeSync, existsSync, openSync, readSync, statSync, unlinkSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { applyJournalKey, type JournalKey } from '../journal/journalKey.js';
import { isCorruption, sqliteCode } from '../journal/sqliteOpen.js';
import { storeError, type StoreError, type StoreErrorCode } from './storeError.js';

export type StoreDatabase = Database.Database;

export interface OpenStoreFileOptions {
  readonly path: string;
  /** Same key scheme as the journal (SQLCipher 4, passphrase or raw key file); undefined = plain file. */
  readonly key?: JournalKey;
  /** Create the file when it does not exist (default false: a missing file is STORE_NOT_FOUND). */
  readonly create?: boolean;
  readonly readonly?: boolean;
}

const PLAIN_HEADER = Buffer.from('SQLite format 3\u0000', 'latin1');

/** Maps a SQLite error to one sentence with a stable code; never a stack trace. */
export function storeIoError(err: unknown, path: string, action: string): StoreError {
  const code = sqliteCode(err);
  const detail = code ?? (err instanceof Error ? err.message.split('\n')[0] : String(err));
  let sc: StoreErrorCode = 'STORE_IO';
  if (isCorruption(err)) sc = 'STORE_CORRUPT';
  else if (code?.startsWith('SQLITE_BUSY') === true || code?.startsWith('SQLITE_LOCKED') === true) sc = 'STORE_UNAVAILABLE';
  else if (code?.startsWith('SQLITE_READONLY') === true) sc = 'STORE_READONLY';
  return storeError(sc, `cannot ${action} market store ${path}: ${detail}`);
}

function readHeader(path: string): Buffer | undefined {
  if (statSync(path).size === 0) return undefined;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    return buf.subarray(0, readSync(fd, buf, 0, 16, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens and keys a market-store file, then proves the key by reading the schema. Mirrors the
 * journal's `openJournalDatabase` (same classification: a plain SQLite header means unencrypted,
 * any other non-empty file is taken to be encrypted) but speaks of a market store in its sentences.
 */
export function openStoreFile(o: OpenStoreFileOptions): Either<StoreError, StoreDatabase> {
  const existed = existsSync(o.path);
  if (!existed && (o.readonly === true || o.create !== true)) {
    return left(storeError('STORE_NOT_FOUND', `market store ${o.path} does not exist`));
  }
  let header: Buffer | undefined;
  try {
    header = existed ? readHeader(o.path) : undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'an I/O error';
    return left(storeError('STORE_IO', `cannot read market store ${o.path} (${code})`));
  }
  const isPlain = header !== undefined && header.equals(PLAIN_HEADER);
  if (header !== undefined && !isPlain && o.key === undefined) {
    return left(storeError('STORE_KEY_REQUIRED', `cannot open market store ${o.path}: it is encrypted; pass its key (--key-file, ASHARE_JOURNAL_PASSPHRASE or ASHARE_JOURNAL_KEY_FILE)`));
  }
  if (isPlain && o.key !== undefined) {
    return left(storeError('STORE_KEY_INVALID', `cannot open market store ${o.path}: the file is not encrypted; open it without a key`));
  }
  let db: StoreDatabase;
  try {
    db = new Database(o.path, { readonly: o.readonly === true, fileMustExist: o.create !== true || o.readonly === true });
  } catch (e) {
    return left(storeIoError(e, o.path, existed ? 'open' : 'create'));
  }
  const fail = (err: StoreError): Either<StoreError, StoreDatabase> => {
    db.close();
    // Do not leave behind an empty file that this failed attempt created.
    if (!existed) for (const f of [o.path, `${o.path}-wal`, `${o.path}-shm`]) if (existsSync(f)) unlinkSync(f);
    return left(err);
  };
  try {
    if (o.key !== undefined) {
      const keyed = applyJournalKey(db, o.key);
      if (isLeft(keyed)) return fail(storeError('STORE_KEY_INVALID', keyed.left.message));
    }
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    if (isCorruption(e)) {
      return fail(o.key !== undefined
        ? storeError('STORE_KEY_INVALID', `cannot open market store ${o.path}: the key is wrong or the file is not an ashare market store`)
        : storeError('STORE_CORRUPT', `cannot open market store ${o.path}: the file is damaged or not an ashare market store`));
    }
    return fail(storeIoError(e, o.path, 'open'));
  }
  return right(db);
}
