/** Process exit codes of the CLI. */
export const EXIT = { ok: 0, checkFailed: 1, usage: 2, badInput: 3, journal: 4, internal: 70 } as const;

/** An expected failure of an application use case: a stable code, one sentence, an exit code. */
export class AppError extends Error {
  constructor(readonly code: string, message: string, readonly exitCode: number = EXIT.badInput) {
    super(message);
  }
}
