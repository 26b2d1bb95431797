import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { describeWriteFailure, errorCodeOf, type FsFailure } from './fsFailure.js';

/**
 * Makes `dir` (and its parents, 0700) unless it is there; right(true) when this call made it. A
 * full disk, read-only media or a file in the way is a failure in those words, never ENOENT.
 */
export function ensureFolder(dir: string): Either<FsFailure, boolean> {
  try {
    if (statSync(dir).isDirectory()) return right(false);
    return left({ kind: 'NOT_A_FOLDER', message: `cannot create the folder ${dir}: ${dir} is a file, not a folder` });
  } catch (e) {
    if (errorCodeOf(e) !== 'ENOENT') return left(describeWriteFailure(e, 'create the folder', dir, true));
  }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return right(true);
  } catch (e) {
    return left(describeWriteFailure(e, 'create the folder', dir, true));
  }
}

function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try { fsyncSync(fd); } finally { closeSync(fd); }
  } catch { /* not every file system syncs a folder; the files themselves are synced */ }
}

/**
 * Writes `text` to `path` whole or not at all: a temporary file beside it (`tmp`), fsynced unless
 * `durable` is false, then renamed over it, so a reader never sees half a file; the temporary file
 * is removed when the write or the rename fails. `exclusive`: the temporary file must not exist (a
 * unique name), else it is replaced.
 */
export function writeFileAtomic(
  path: string, tmp: string, text: string, mode: number, o: { readonly exclusive?: boolean; readonly durable?: boolean } = {},
): void {
  const fd = openSync(tmp, o.exclusive === true ? 'wx' : 'w', mode);
  try {
    try {
      writeFileSync(fd, text);
      if (o.durable !== false) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* gone already */ }
    throw e;
  }
}

export interface FileToWrite {
  readonly name: string;
  readonly text: string;
}

/**
 * Writes a set of files into `dir` whole or not at all: each is written to a temporary name beside
 * it (0600) and fsynced, and only when all are written are they renamed into place. A full disk or
 * a kill leaves the files that were there before (or none), never a truncated one; the temporary
 * files are removed on failure, and so is the folder when this call made it.
 */
export function writeFilesAtomically(dir: string, files: readonly FileToWrite[]): Either<FsFailure, void> {
  const made = ensureFolder(dir);
  if (made._tag === 'Left') return made;
  const temps: string[] = [];
  let current = dir;
  try {
    for (const f of files) {
      current = join(dir, f.name);
      const tmp = join(dir, `.${f.name}.${process.pid}.tmp`);
      temps.push(tmp);
      const fd = openSync(tmp, 'w', 0o600);
      try {
        writeFileSync(fd, f.text); // loops over short writes; a full disk throws ENOSPC
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    files.forEach((f, i) => { current = join(dir, f.name); renameSync(temps[i]!, current); });
  } catch (e) {
    for (const t of temps) {
      try { unlinkSync(t); } catch { /* already renamed or never made */ }
    }
    if (made.right) {
      try { rmdirSync(dir); } catch { /* not empty: leave it */ }
    }
    return left(describeWriteFailure(e, 'write', current));
  }
  syncFolder(dir);
  return right(undefined);
}
