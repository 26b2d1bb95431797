import { readFileSync } from 'node:fs';
import { left, right, type Either } from 'fp-ts/lib/Either.js';

/** An expected failure reading a sentiment input (labelled CSV, lexicon directory, model file). */
export interface SentimentFileError {
  readonly code: 'SENTIMENT_FILE_NOT_FOUND' | 'SENTIMENT_FILE_INVALID' | 'SENTIMENT_FILE_WRITE_FAILED';
  readonly path: string;
  /** 1-based line of the problem, when it is about one line. */
  readonly line: number | null;
  /** One sentence for the user, naming the file (and line). */
  readonly message: string;
}

export const fileError = (code: SentimentFileError['code'], path: string, line: number | null, what: string): SentimentFileError =>
  ({ code, path, line, message: `${path}${line === null ? '' : `:${line}`}: ${what}` });

/** A file's bytes, or NOT_FOUND / INVALID (a directory, no permission) as a typed error. */
export function readBytes(path: string): Either<SentimentFileError, Buffer> {
  try {
    return right(readFileSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return left(code === 'ENOENT'
      ? fileError('SENTIMENT_FILE_NOT_FOUND', path, null, 'no such file')
      : fileError('SENTIMENT_FILE_INVALID', path, null, `cannot be read (${code ?? (e as Error).message})`));
  }
}
