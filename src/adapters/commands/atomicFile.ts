import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

/**
 * Writes `text` to `path` whole or not at all: a temporary file beside it (`tmp`), fsynced, then
 * renamed over it, so a reader never sees half a file. `exclusive`: the temporary file must not
 * exist (a unique name), else it is replaced.
 */
export function writeFileAtomic(path: string, tmp: string, text: string, mode: number, exclusive = false): void {
  const fd = openSync(tmp, exclusive ? 'wx' : 'w', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
