import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { JournalError } from '../../domain/ports/journal.js';
import { errorCodeOf } from '../fs/fsFailure.js';
import { journalError } from './journalError.js';
import type { JournalKey } from './journalKey.js';
import { openJournalDatabase, storageError } from './sqliteOpen.js';
import { ensureJournalSchema } from './sqliteSchema.js';

/** The side files SQLite may make beside a database (rollback journal, WAL, shared memory). */
const SIDE_FILES = ['', '-journal', '-wal', '-shm'] as const;
/** Where a hard link cannot be made (some FUSE, SMB or FAT file systems), the rename is used instead. */
const NO_LINK = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK', 'ENOSYS']);

/** Removes a database file and its side files, as far as they exist. */
export function removeJournalFiles(path: string): void {
  for (const s of SIDE_FILES) {
    try { unlinkSync(path + s); } catch { /* never made, or already gone */ }
  }
}
const removeTemp = removeJournalFiles;

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errorCodeOf(e) === 'EPERM';
  }
};

/** Temporary files in the folder of creations whose process died (killed during start-up) are removed. */
function sweepAbandoned(path: string): void {
  const re = /^\..+\.(\d+)-[0-9a-f]{8}\.creating(-journal|-wal|-shm)?$/;
  let names: string[];
  try { names = readdirSync(dirname(path)); } catch { return; }
  for (const n of names) {
    const m = re.exec(n);
    if (!m || Number(m[1]) === process.pid || isAlive(Number(m[1]))) continue;
    try { unlinkSync(join(dirname(path), n)); } catch { /* another process swept it */ }
  }
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

function syncFolder(dir: string): void {
  try { fsyncPath(dir); } catch { /* not every file system syncs a folder */ }
}

/** JOURNAL_EXISTS for `path`, noting an empty file (what an interrupted start of an older version left). */
export const journalExists = (path: string): JournalError => {
  let empty = false;
  try { empty = statSync(path).size === 0; } catch { /* gone meanwhile */ }
  return journalError('JOURNAL_EXISTS', `journal ${path} already exists${empty ? ' (an empty file, left by an interrupted start: remove it)' : ''}`);
};

/**
 * Creates a new journal file atomically, so no reader (and no kill -9) ever sees a half-made one at
 * `path`: an empty 0600 file under a temporary name beside it (`.<name>.<pid>-<hex>.creating`) is
 * keyed, given the schema and switched to WAL, closed (which checkpoints and removes the -wal/-shm
 * of the temporary name: it is refused if a -wal is left, as that WAL holds pages the published
 * file would never see), fsynced, then published under `path` by a hard link (which, unlike a
 * rename, never replaces a file someone made meanwhile) and the folder fsynced. Right('existed')
 * when `path` exists (or another process made it first) and `exclusive` is off; JOURNAL_EXISTS when
 * it is on. A failure removes the temporary files; those of a killed creator are swept by the next
 * creation in the folder.
 */
export function createJournalFile(path: string, key: JournalKey | undefined, exclusive: boolean): Either<JournalError, 'created' | 'existed'> {
  if (existsSync(path)) return exclusive ? left(journalExists(path)) : right('existed');
  sweepAbandoned(path);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.creating`);
  try {
    closeSync(openSync(tmp, 'wx', 0o600));
  } catch (e) {
    return left(storageError(e, path, 'create'));
  }
  const named = (e: JournalError): JournalError => ({ ...e, message: e.message.split(tmp).join(path) });
  const opened = openJournalDatabase({ path: tmp, key, create: true });
  if (isLeft(opened)) {
    removeTemp(tmp);
    return left(named(opened.left));
  }
  const { db } = opened.right;
  try {
    db.pragma('synchronous = FULL');
    const schema = ensureJournalSchema(db, path, true);
    // WAL is switched on here, not at the first open: that switch rewrites the header through a
    // rollback journal, and a kill inside it would leave a hot journal that read-only opens
    // (verify) cannot roll back. Closing checkpoints and removes this name's -wal/-shm.
    if (!isLeft(schema)) db.pragma('journal_mode = WAL');
    db.close();
    if (isLeft(schema)) {
      removeTemp(tmp);
      return left(named(schema.left));
    }
    if (existsSync(`${tmp}-wal`)) {
      // Not checkpointed into the file: publishing it would lose the schema (the -wal keeps this name).
      removeTemp(tmp);
      return left(journalError('JOURNAL_IO', `cannot create journal ${path}: its write-ahead log could not be checkpointed`));
    }
    fsyncPath(tmp);
  } catch (e) {
    if (db.open) db.close();
    removeTemp(tmp);
    return left(storageError(e, path, 'create'));
  }
  return publish(tmp, path, exclusive);
}

function publish(tmp: string, path: string, exclusive: boolean): Either<JournalError, 'created' | 'existed'> {
  const taken = (): Either<JournalError, 'existed'> => {
    removeTemp(tmp);
    return exclusive ? left(journalExists(path)) : right('existed');
  };
  try {
    linkSync(tmp, path);
  } catch (e) {
    const code = errorCodeOf(e);
    if (code === 'EEXIST') return taken();
    if (code === undefined || !NO_LINK.has(code)) {
      removeTemp(tmp);
      return left(storageError(e, path, 'create'));
    }
    if (existsSync(path)) return taken();
    try {
      renameSync(tmp, path);
    } catch (e2) {
      removeTemp(tmp);
      return left(storageError(e2, path, 'create'));
    }
  }
  removeTemp(tmp);
  syncFolder(dirname(path));
  return right('created');
}
