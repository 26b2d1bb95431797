import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { ensureFolder } from '../../adapters/fs/index.js';
import { openSqliteJournal, type Durability, type JournalKey, type SqliteJournal } from '../../adapters/journal/index.js';
import { withThreadedAppends } from '../../adapters/journal/threadedAppends.js';
import { acquireLock } from '../../adapters/lock/lockFile.js';
import { AppError, EXIT, journalAppError, storageAppError } from '../errors.js';

export interface BacktestJournal {
  readonly journal: SqliteJournal;
  readonly path: string;
  /** Closes the journal and releases its lock. */
  close(): Promise<void>;
}

interface Where {
  /** The journal the user named (`--journal`); else a fresh `<base>[-N].sqlite` in `dir`. */
  readonly path?: string;
  readonly dir: string;
  readonly base: string;
  readonly durability: Durability;
  readonly key?: JournalKey;
  /** Commit on a worker thread while the engine computes the next day (see withThreadedAppends). */
  readonly appendThread?: boolean;
}

/** The journal at `path` under its lock, or null when the path is taken (only for fresh names, which then move on). */
function openAt(path: string, w: Where, named: boolean): BacktestJournal | null {
  // One writer per journal, as for ashare run (the same lock file): a second process on this path is told so.
  const lock = acquireLock(`${path}.lock`, new Date().toISOString()); // allow-nondeterminism: wall time for the lock file only
  if (isLeft(lock)) {
    if (lock.left.code === 'LOCK_HELD' && !named) return null;
    throw new AppError(lock.left.code === 'LOCK_HELD' ? 'JOURNAL_LOCKED' : 'STORAGE_LOCK', lock.left.message, EXIT.journal);
  }
  const opened = openSqliteJournal({ path, durability: w.durability, key: w.key, create: true, exclusive: true });
  if (isLeft(opened)) {
    lock.right.release();
    if (opened.left.code === 'JOURNAL_EXISTS' && !named) return null;
    if (opened.left.code === 'JOURNAL_EXISTS') {
      throw new AppError('JOURNAL_EXISTS', `${opened.left.message}: a backtest writes a new journal; give --journal a path that does not exist (or remove the old file)`, EXIT.journal);
    }
    throw journalAppError(opened.left, path);
  }
  const journal = w.appendThread === true ? withThreadedAppends(opened.right, { durability: w.durability, key: w.key }) : opened.right;
  return { journal, path, close: async () => { try { await journal.close(); } finally { lock.right.release(); } } };
}

/**
 * A backtest's new journal: created atomically and exclusively (an existing path is refused — a
 * backtest never appends to another run's journal) under the journal's lock. Without a path, the
 * first free `<base>.sqlite`, `<base>-2.sqlite`, … in `dir` (made 0700), so two runs started in
 * the same second each get their own.
 */
export function openBacktestJournal(w: Where): BacktestJournal {
  if (w.path !== undefined) return openAt(w.path, w, true)!;
  const made = ensureFolder(w.dir);
  if (isLeft(made)) throw storageAppError(made.left);
  for (let i = 1; i <= 1000; i++) {
    const j = openAt(join(w.dir, `${w.base}${i === 1 ? '' : `-${i}`}.sqlite`), w, false);
    if (j) return j;
  }
  throw new AppError('JOURNAL_EXISTS', `no free journal name ${w.base}-N.sqlite in ${w.dir}`, EXIT.journal);
}
