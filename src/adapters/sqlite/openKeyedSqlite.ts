import { closeSync, existsSync, openSync, readSync, statSync, unlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { describeWriteFailure, probeWritable, type FsFailureKind } from '../fs/fsFailure.js';
import { applyJournalKey, type JournalKey } from '../journal/journalKey.js';

export type KeyedDatabase = Database.Database;

/** Why a file could not be opened, before each adapter turns it into its own stable error code. */
export type OpenFailureKind = 'NOT_FOUND' | 'IO' | 'KEY_REQUIRED' | 'KEY_INVALID' | 'CORRUPT' | 'UNAVAILABLE' | 'READONLY' | 'FULL';

export interface OpenFailure {
  readonly kind: OpenFailureKind;
  /** One sentence naming the file, for the user. */
  readonly message: string;
  /**
   * Set on an encrypted file that did not open with the key given: SQLCipher cannot tell a wrong key
   * from a damaged first page (its MAC fails either way), so the message says both; a caller holding
   * other evidence of the key (a journal's head anchor, see `keyOrDamage`) can tell which.
   */
  readonly keyOrDamage?: true;
}

export interface OpenKeyedOptions {
  readonly path: string;
  readonly key?: JournalKey;
  /** Create the file when it does not exist (default false: a missing file is NOT_FOUND). */
  readonly create?: boolean;
  readonly readonly?: boolean;
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

const FS_KINDS: Partial<Record<FsFailureKind, OpenFailureKind>> = { DISK_FULL: 'FULL', READ_ONLY: 'READONLY' };

/**
 * Classifies a SQLite (or file system) error during `action` on the `noun` at `path` — one sentence,
 * never a stack trace. A full disk, read-only media and permissions are said in those words (SQLite's
 * CANTOPEN is diagnosed by probing the folder); a read-only file on writable media is said so too.
 */
export function classifySqliteError(err: unknown, noun: string, path: string, action: string): OpenFailure {
  const code = sqliteCode(err);
  if (isCorruption(err)) return { kind: 'CORRUPT', message: `cannot ${action} ${noun} ${path}: ${code}` };
  if (isCode(err, 'SQLITE_BUSY') || isCode(err, 'SQLITE_LOCKED')) return { kind: 'UNAVAILABLE', message: `cannot ${action} ${noun} ${path}: ${code}` };
  if (code === 'SQLITE_READONLY_ROLLBACK' || code === 'SQLITE_READONLY_RECOVERY' || code === 'SQLITE_READONLY_CANTINIT') {
    // A read-only open met what an interrupted writer left (a hot rollback journal, an unrecovered WAL index).
    return { kind: 'READONLY', message: `cannot ${action} ${noun} ${path} read-only: a writer was interrupted and its file must be recovered by a writing open first (${code})` };
  }
  if (isCode(err, 'SQLITE_READONLY') && probeWritable(dirname(resolve(path))) === null) {
    return { kind: 'READONLY', message: `cannot ${action} ${noun} ${path}: the file is read-only` };
  }
  const f = describeWriteFailure(err, `${action} ${noun}`, path);
  return { kind: FS_KINDS[f.kind] ?? (isCode(err, 'SQLITE_READONLY') ? 'READONLY' : 'IO'), message: f.message };
}

/** First 16 bytes of the file and its size, or undefined when it is empty. */
function readHeader(path: string): { bytes: Buffer; size: number } | undefined {
  const size = statSync(path).size;
  if (size === 0) return undefined;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    return { bytes: buf.subarray(0, readSync(fd, buf, 0, 16, 0)), size };
  } finally {
    closeSync(fd);
  }
}

/** The smallest SQLite page; every SQLite or SQLCipher database file is a whole number of pages. */
const MIN_PAGE = 512;

/**
 * A non-empty file without SQLite's plain header that cannot be an encrypted database either: its
 * size is not a whole number of pages, or it starts with text (a CSV, a YAML file) where an
 * encrypted file starts with 16 random salt bytes.
 */
function cannotBeEncrypted(h: { bytes: Buffer; size: number }): boolean {
  const text = h.bytes.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b <= 0x7e));
  return h.size % MIN_PAGE !== 0 || text;
}

/**
 * Opens and (when a key is given) keys an SQLite/SQLCipher file, then proves the key by reading the
 * schema — for journals and market stores alike (`noun` names it in the sentences). Failures are
 * classified before SQLite's generic "file is not a database": a file with SQLite's plain header is
 * unencrypted, anything else non-empty is taken to be encrypted (SQLCipher files start with their
 * random salt). A failed attempt leaves no file behind that it created. Does not check the schema.
 */
export function openKeyedSqlite(o: OpenKeyedOptions, noun: string): Either<OpenFailure, { db: KeyedDatabase; isEncrypted: boolean }> {
  const existed = existsSync(o.path);
  if (!existed && (o.readonly === true || o.create !== true)) return left({ kind: 'NOT_FOUND', message: `${noun} ${o.path} does not exist` });
  let read: { bytes: Buffer; size: number } | undefined;
  try {
    read = existed ? readHeader(o.path) : undefined;
  } catch (e) {
    return left({ kind: 'IO', message: `cannot read ${noun} ${o.path} (${(e as NodeJS.ErrnoException).code ?? 'an I/O error'})` });
  }
  const header = read?.bytes;
  const isPlainFile = header !== undefined && header.equals(PLAIN_HEADER);
  if (read !== undefined && !isPlainFile && cannotBeEncrypted(read)) {
    return left({ kind: 'CORRUPT', message: `cannot open ${noun} ${o.path}: it is not an ashare ${noun} (neither an SQLite database nor an encrypted one${read.size % MIN_PAGE !== 0 ? `: its ${read.size} bytes are not a whole number of pages` : ': it starts with text'})` });
  }
  if (header !== undefined && !isPlainFile && o.key === undefined) {
    return left({ kind: 'KEY_REQUIRED', message: `cannot open ${noun} ${o.path}: it is encrypted; pass --key-file or set ASHARE_JOURNAL_PASSPHRASE / ASHARE_JOURNAL_KEY_FILE` });
  }
  if (isPlainFile && o.key !== undefined) return left({ kind: 'KEY_INVALID', message: `cannot open ${noun} ${o.path}: the file is not encrypted; open it without a key` });
  let db: KeyedDatabase;
  try {
    db = new Database(o.path, { readonly: o.readonly === true, fileMustExist: o.create !== true || o.readonly === true });
  } catch (e) {
    return left(classifySqliteError(e, noun, o.path, existed ? 'open' : 'create'));
  }
  const fail = (f: OpenFailure): Either<OpenFailure, never> => {
    db.close();
    if (!existed) for (const f2 of [o.path, `${o.path}-wal`, `${o.path}-shm`]) if (existsSync(f2)) unlinkSync(f2);
    return left(f);
  };
  try {
    if (o.key !== undefined) {
      const keyed = applyJournalKey(db, o.key);
      if (isLeft(keyed)) return fail({ kind: keyed.left.code === 'JOURNAL_KEY_INVALID' ? 'KEY_INVALID' : 'IO', message: keyed.left.message });
    }
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    if (isCorruption(e)) {
      return fail(o.key !== undefined
        ? { kind: 'KEY_INVALID', message: `cannot open ${noun} ${o.path}: the key is wrong, or the file is damaged or not an ashare ${noun}`, keyOrDamage: true }
        : { kind: 'CORRUPT', message: `cannot open ${noun} ${o.path}: the file is damaged or not an ashare ${noun}` });
    }
    return fail(classifySqliteError(e, noun, o.path, 'open'));
  }
  return right({ db, isEncrypted: o.key !== undefined });
}
