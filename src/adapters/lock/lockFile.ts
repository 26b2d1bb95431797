import { closeSync, fsyncSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { describeWriteFailure } from '../fs/fsFailure.js';

/** Who holds a journal: written into `<journal>.lock`. */
export interface LockInfo {
  readonly pid: number;
  /** When the holder started, ISO 8601 (wall time). */
  readonly startedAt: string;
  /** The holder's process start time from /proc (clock ticks since boot), to tell a reused pid; null where unknown. */
  readonly procStart: string | null;
  readonly host: string;
}

export interface LockError {
  readonly code: 'LOCK_HELD' | 'LOCK_IO';
  readonly message: string;
  readonly holder?: LockInfo;
}

/** A lock taken over: who held it, as far as the file said (`pid` null when it could not be read). */
export interface StaleHolder {
  readonly pid: number | null;
  readonly startedAt: string;
  readonly host: string;
}

export interface HeldLock {
  readonly path: string;
  /** The lock of a process that no longer ran, taken over (to be journaled), or null. */
  readonly tookOver: StaleHolder | null;
  release(): void;
}

/** Field 22 of /proc/<pid>/stat: the process's start time, in clock ticks since boot (Linux); null elsewhere. */
export function processStartOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether the process a lock names still runs (same host, pid alive, and the same process when /proc tells). */
export function isHolderAlive(info: LockInfo): boolean {
  if (info.host !== hostname()) return true; // another machine's process: cannot tell, so never take it over
  try {
    process.kill(info.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = processStartOf(info.pid);
  return info.procStart === null || now === null || now === info.procStart;
}

/** The lock's holder; a lock without a host is this machine's (written by hand or by an older build). */
export function readLock(path: string): LockInfo | null {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockInfo>;
    if (typeof v.pid !== 'number' || !Number.isSafeInteger(v.pid) || v.pid <= 0 || typeof v.startedAt !== 'string') return null;
    return { pid: v.pid, startedAt: v.startedAt, procStart: typeof v.procStart === 'string' ? v.procStart : null, host: typeof v.host === 'string' ? v.host : hostname() };
  } catch {
    return null;
  }
}

function create(path: string, info: LockInfo): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, JSON.stringify(info) + '\n');
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(path); // an empty lock (a full disk) would read as a dead holder's: leave none
    throw e;
  }
  closeSync(fd);
  return true;
}

/**
 * One writer per journal: creates `path` exclusively with this process's pid and start time. A lock
 * whose holder still runs refuses with LOCK_HELD naming it; a lock left by a process that died is
 * taken over (and reported, for the journal). The journal's optimistic concurrency is the second
 * line of defence should two processes ever race through here.
 */
export function acquireLock(path: string, startedAt: string): Either<LockError, HeldLock> {
  const me: LockInfo = { pid: process.pid, startedAt, procStart: processStartOf(process.pid), host: hostname() };
  let tookOver: StaleHolder | null = null;
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (create(path, me)) {
        return right({ path, tookOver, release: () => { if (readLock(path)?.pid === me.pid) unlinkSync(path); } });
      }
      const holder = readLock(path);
      if (holder && isHolderAlive(holder)) {
        return left({ code: 'LOCK_HELD', holder, message: `another process is writing this journal (ashare, pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}); stop it first, or check ${path}` });
      }
      // A dead holder's (or an unreadable) lock: take it over if it is still the one we read.
      const again = readFileSync(path, 'utf8');
      if (holder === null || JSON.stringify(readLock(path)) === JSON.stringify(holder)) {
        tookOver = holder ?? { pid: null, startedAt: `unreadable lock file: ${JSON.stringify(again.slice(0, 60))}`, host: hostname() };
        unlinkSync(path);
      }
    }
  } catch (e) {
    return left({ code: 'LOCK_IO', message: describeWriteFailure(e, 'create the lock file', path).message });
  }
  return left({ code: 'LOCK_HELD', message: `another process took the lock ${path} at the same time; try again` });
}
