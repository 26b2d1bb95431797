/** Process exit codes of the CLI; `storage` (a full disk, read-only media, a second writer) shares 4 with the journal. */
export const EXIT = { ok: 0, checkFailed: 1, usage: 2, badInput: 3, journal: 4, storage: 4, internal: 70 } as const;

/** An expected failure of an application use case: a stable code, one sentence, an exit code. */
export class AppError extends Error {
  constructor(readonly code: string, message: string, readonly exitCode: number = EXIT.badInput) {
    super(message);
  }
}

/** A file or folder that could not be written (disk full, read-only, permissions): exit 4 with its sentence. */
export const storageAppError = (f: { readonly kind: string; readonly message: string }, prefix = ''): AppError =>
  new AppError(`STORAGE_${f.kind}`, `${prefix}${f.message}`, EXIT.storage);

/**
 * A journal's failure as the CLI says it (exit 4). Another process's append (the expected version
 * moved: JOURNAL_CONCURRENCY) or its write lock held past the busy timeout (JOURNAL_UNAVAILABLE) is
 * named as what it is: another process is writing this journal.
 */
export function journalAppError(e: { readonly code: string; readonly message: string }, path?: string): AppError {
  if (e.code === 'JOURNAL_CONCURRENCY' || e.code === 'JOURNAL_UNAVAILABLE') {
    return new AppError(e.code, `another process is writing this journal${path === undefined ? '' : ` ${path}`} (${e.message}); one journal has one writer: stop the other process or use another journal`, EXIT.journal);
  }
  return new AppError(e.code, e.message, EXIT.journal);
}
