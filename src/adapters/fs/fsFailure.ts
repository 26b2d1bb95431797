import { accessSync, constants, existsSync, statfsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Why a file or folder could not be written, in the user's terms. A full disk, read-only media and
 * missing permissions are the machine's state, not a bug: the CLI reports them as storage problems
 * (exit 4) with these words, never as an internal error.
 */
export type FsFailureKind = 'DISK_FULL' | 'READ_ONLY' | 'PERMISSION' | 'NOT_A_FOLDER' | 'MISSING_FOLDER' | 'IO';

export interface FsFailure {
  readonly kind: FsFailureKind;
  /** One sentence naming the path, for the user. */
  readonly message: string;
}

/** The errno (`ENOSPC`) or SQLite code (`SQLITE_FULL`) of a thrown error, if it has one. */
export const errorCodeOf = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

const REASONS: Readonly<Record<Exclude<FsFailureKind, 'NOT_A_FOLDER' | 'MISSING_FOLDER' | 'IO'>, string>> = {
  DISK_FULL: 'the disk is full',
  READ_ONLY: 'the file system is read-only',
  PERMISSION: 'permission denied',
};

/** The deepest existing path at or above `path`. */
function existingAncestor(path: string): string {
  let p = resolve(path);
  for (;;) {
    try {
      statSync(p);
      return p;
    } catch {
      const up = dirname(p);
      if (up === p) return p;
      p = up;
    }
  }
}

/**
 * What stops writing in `folder` (which may not exist yet), asked of the nearest folder that exists:
 * `access(W_OK)` answers EROFS on read-only media even to root, where Node's recursive mkdir says
 * ENOENT and SQLite says CANTOPEN. Null when nothing there stops a write.
 */
export function probeWritable(folder: string): { kind: FsFailureKind; at: string } | null {
  const at = existingAncestor(folder);
  try {
    if (!statSync(at).isDirectory()) return { kind: 'NOT_A_FOLDER', at };
    accessSync(at, constants.W_OK);
  } catch (e) {
    const k = kindOfCode(errorCodeOf(e));
    return k ? { kind: k, at } : null;
  }
  return null;
}

/** Below this much free space, an unexplained I/O error (SQLite's IOERR when it grows the -shm file) is taken to be the full disk. */
const NEARLY_FULL_BYTES = 256 * 1024;

/** Whether the file system holding `path` (or its nearest existing folder) has next to no room left. */
function isNearlyFull(path: string): boolean {
  try {
    const s = statfsSync(existingAncestor(path));
    return s.bavail * s.bsize < NEARLY_FULL_BYTES;
  } catch {
    return false;
  }
}

function kindOfCode(code: string | undefined): FsFailureKind | null {
  if (code === undefined) return null;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code.startsWith('SQLITE_FULL')) return 'DISK_FULL';
  if (code === 'EROFS' || code.startsWith('SQLITE_READONLY')) return 'READ_ONLY';
  if (code === 'EACCES' || code === 'EPERM' || code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_AUTH')) return 'PERMISSION';
  if (code === 'ENOTDIR') return 'NOT_A_FOLDER';
  return null;
}

/** Whether an error is one of the machine's storage states (full, read-only, permissions), not a bug. */
export const isStorageError = (err: unknown): boolean => {
  const code = errorCodeOf(err);
  return kindOfCode(code) !== null || code === 'ENOENT' || code === 'EIO' || code === 'EEXIST' || code === 'EISDIR' || code?.startsWith('SQLITE_CANTOPEN') === true;
};

/**
 * One sentence for a failure to `action` (`write`, `create the folder`) `path`: "the disk is full",
 * "the file system is read-only", "permission denied", a folder that is a file or does not exist.
 * Codes that do not say (ENOENT, CANTOPEN, EEXIST) are diagnosed by probing the folder `path` is in
 * (`path` itself when `isFolder`).
 */
export function describeWriteFailure(err: unknown, action: string, path: string, isFolder = false): FsFailure {
  const code = errorCodeOf(err);
  let kind = kindOfCode(code);
  let at = path;
  if (kind === null || kind === 'NOT_A_FOLDER') {
    const folder = isFolder ? path : dirname(resolve(path));
    const probed = probeWritable(folder);
    if (probed) ({ kind, at } = probed);
    else if ((code === 'EIO' || code?.startsWith('SQLITE_IOERR') === true) && isNearlyFull(folder)) kind = 'DISK_FULL';
    else if (code === 'EEXIST' || code === 'ENOTDIR') kind = 'NOT_A_FOLDER';
    else if (!isFolder && (code === 'ENOENT' || code?.startsWith('SQLITE_CANTOPEN') === true) && !existsSync(folder)) kind = 'MISSING_FOLDER';
  }
  const head = `cannot ${action} ${path}`;
  switch (kind) {
    case 'DISK_FULL': case 'READ_ONLY': case 'PERMISSION':
      return { kind, message: `${head}: ${REASONS[kind]}${at !== path ? ` (${at})` : ''}` };
    case 'NOT_A_FOLDER':
      return { kind, message: `${head}: ${at} is a file, not a folder` };
    case 'MISSING_FOLDER':
      return { kind, message: `${head}: the folder ${dirname(resolve(path))} does not exist` };
    default: {
      const detail = code ?? (err instanceof Error ? err.message.split('\n')[0] : String(err));
      return { kind: 'IO', message: `${head}: ${detail}` };
    }
  }
}
