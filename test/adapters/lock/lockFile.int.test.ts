import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft, type Either } from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { HeldLock, LockError, LockInfo } from '../../../src/adapters/lock/lockFile.js';
import { acquireLock, isHolderAlive, processStartOf, readLock } from '../../../src/adapters/lock/lockFile.js';

const dirs: string[] = [];
const held: HeldLock[] = [];
afterEach(() => {
  for (const l of held.splice(0)) l.release();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function lockPath(): string {
  const d = mkdtempSync(join(tmpdir(), 'lock-file-'));
  dirs.push(d);
  return join(d, 'journal.db.lock');
}
function ok(e: Either<LockError, HeldLock>): HeldLock {
  if (isLeft(e)) throw new Error(`expected the lock, got ${JSON.stringify(e.left)}`);
  held.push(e.right);
  return e.right;
}
function refused(e: Either<LockError, HeldLock>): LockError {
  if (!isLeft(e)) {
    held.push(e.right);
    throw new Error('expected the lock to be refused');
  }
  return e.left;
}

/** The pid of a process that has exited (spawnSync returns after it is gone). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  expect(r.status).toBe(0);
  return r.pid!;
}
const STARTED = '2024-03-01T08:00:00.000Z';

describe('acquireLock', () => {
  it('creates the lock file 0600 naming this process, its start and host', () => {
    const path = lockPath();
    const lock = ok(acquireLock(path, STARTED));
    expect(lock.path).toBe(path);
    expect(lock.tookOver).toBeNull();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ pid: process.pid, startedAt: STARTED, procStart: processStartOf(process.pid), host: hostname() });
    expect(readLock(path)).toMatchObject({ pid: process.pid, startedAt: STARTED, host: hostname() });
  });

  it('refuses a second acquire while the holder (this live process) runs, naming its pid', () => {
    const path = lockPath();
    ok(acquireLock(path, STARTED));
    const e = refused(acquireLock(path, '2024-03-01T09:00:00.000Z'));
    expect(e.code).toBe('LOCK_HELD');
    expect(e.message).toContain(`pid ${process.pid}`);
    expect(e.message).toContain(path);
    expect(e.holder).toMatchObject({ pid: process.pid, startedAt: STARTED });
    expect(readLock(path)?.startedAt).toBe(STARTED); // the holder's lock is untouched
  });

  it('release removes the file; the lock can then be taken again', () => {
    const path = lockPath();
    const lock = ok(acquireLock(path, STARTED));
    lock.release();
    held.splice(held.indexOf(lock), 1);
    expect(existsSync(path)).toBe(false);
    expect(ok(acquireLock(path, STARTED)).tookOver).toBeNull();
  });

  it('release leaves a lock that another process has since written', () => {
    const path = lockPath();
    const lock = ok(acquireLock(path, STARTED));
    const other: LockInfo = { pid: deadPid(), startedAt: STARTED, procStart: null, host: hostname() };
    writeFileSync(path, JSON.stringify(other));
    lock.release();
    held.splice(held.indexOf(lock), 1);
    expect(readLock(path)).toEqual(other);
  });

  it('takes over a lock whose process has exited, and reports it', () => {
    const path = lockPath();
    const stale: LockInfo = { pid: deadPid(), startedAt: '2024-02-29T08:00:00.000Z', procStart: null, host: hostname() };
    writeFileSync(path, JSON.stringify(stale), { mode: 0o600 });
    expect(isHolderAlive(stale)).toBe(false);
    const lock = ok(acquireLock(path, STARTED));
    expect(lock.tookOver).toEqual(stale);
    expect(readLock(path)).toMatchObject({ pid: process.pid, startedAt: STARTED });
  });

  it('takes over a lock naming a live pid whose process start differs (the pid was reused)', () => {
    const path = lockPath();
    const mine = processStartOf(process.pid);
    const reused: LockInfo = { pid: process.pid, startedAt: '2024-02-29T08:00:00.000Z', procStart: mine === '1' ? '2' : '1', host: hostname() };
    writeFileSync(path, JSON.stringify(reused));
    if (mine === null) {
      // No /proc here: a live pid cannot be told from a reused one, so the lock is held.
      expect(refused(acquireLock(path, STARTED)).code).toBe('LOCK_HELD');
      return;
    }
    const lock = ok(acquireLock(path, STARTED));
    expect(lock.tookOver).toEqual(reused);
    expect(readLock(path)).toMatchObject({ pid: process.pid, procStart: mine, startedAt: STARTED });
  });

  it('takes over an unreadable lock file, reporting what it held', () => {
    const path = lockPath();
    writeFileSync(path, 'garbage, not JSON');
    expect(readLock(path)).toBeNull();
    const lock = ok(acquireLock(path, STARTED));
    expect(lock.tookOver).toMatchObject({ host: hostname(), pid: null }); // no made-up pid for the journal
    expect(lock.tookOver!.startedAt).toContain('garbage, not JSON');
    expect(readLock(path)).toMatchObject({ pid: process.pid });
  });

  it('reads a lock without a host as this machine\'s, so a dead holder\'s hand-written lock is taken over', () => {
    const path = lockPath();
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(path, JSON.stringify({ pid: dead, startedAt: 'x' }));
    expect(readLock(path)).toMatchObject({ pid: dead, host: hostname() });
    expect(ok(acquireLock(path, STARTED)).tookOver).toMatchObject({ pid: dead });
  });

  it('takes over a JSON lock without a pid', () => {
    const path = lockPath();
    writeFileSync(path, JSON.stringify({ startedAt: STARTED }));
    expect(ok(acquireLock(path, STARTED)).tookOver).not.toBeNull();
  });

  it('never takes over a lock from another host: it cannot tell whether that process runs', () => {
    const path = lockPath();
    const remote: LockInfo = { pid: deadPid(), startedAt: STARTED, procStart: null, host: `not-${hostname()}` };
    writeFileSync(path, JSON.stringify(remote));
    const e = refused(acquireLock(path, STARTED));
    expect(e.code).toBe('LOCK_HELD');
    expect(e.message).toContain(`not-${hostname()}`);
    expect(readLock(path)).toEqual(remote);
  });

  it('a lock file that cannot be created is LOCK_IO naming it', () => {
    const path = join(lockPath(), 'no-such-dir', 'journal.db.lock');
    const e = refused(acquireLock(path, STARTED));
    expect(e.code).toBe('LOCK_IO');
    expect(e.message).toContain(path);
  });
});

describe('processStartOf', () => {
  it.skipIf(process.platform !== 'linux')('is a digit string for a live process on Linux, the same each time', () => {
    const start = processStartOf(process.pid);
    expect(start).toMatch(/^\d+$/);
    expect(processStartOf(process.pid)).toBe(start);
  });

  it('is null for a process that has exited', () => {
    expect(processStartOf(deadPid())).toBeNull();
  });
});
