import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import type { Bar } from '../../domain/bars.js';

/** A row or record that could not be parsed at all; it was skipped. `line` is 1-based (header = line 1; TDX: record number; 0 = the file as a whole). */
export interface ImportProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** A file left out on purpose (e.g. a TDX index when indices are not wanted). */
export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

/**
 * What an importer read, in canonical units: prices 0.001 CNY, volume shares, amount fen, suffixed codes.
 * `suspendedRows` counts vendor rows that mark a suspended day (no bar made). `notes` says which unit
 * conversions beyond the vendor's documented ones were applied (e.g. TDX index volume lots × 100).
 */
export interface ImportResult {
  readonly rows: Bar[];
  readonly suspendedRows: number;
  readonly files: number;
  readonly problems: ImportProblem[];
  readonly skippedFiles: SkippedFile[];
  readonly notes: string[];
}

export type ImportErrorCode = 'IMPORT_NOT_FOUND' | 'IMPORT_NO_FILES' | 'IMPORT_INVALID' | 'IMPORT_OPTIONS_INVALID';

/** An expected failure of a whole import; `line` as in ImportProblem. */
export interface ImportError {
  readonly code: ImportErrorCode;
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** Options every importer takes. */
export interface ImportOptions {
  /** Refuse the import at the first problem (returned as IMPORT_INVALID) instead of skipping the row. Default false. */
  readonly strict?: boolean;
  /**
   * Refuse rows whose OHLC is inconsistent (default true). The data pipeline passes false so such
   * rows reach the validator, whose policy rejects them with a journaled `DataRejected` event.
   */
  readonly checkOhlc?: boolean;
}

export const importError = (code: ImportErrorCode, file: string, line: number, message: string): ImportError =>
  ({ code, file, line, message });

/** Accumulates one import; `problem` returns false when strict mode says stop. */
export class ImportCollector {
  readonly rows: Bar[] = [];
  readonly problems: ImportProblem[] = [];
  readonly skippedFiles: SkippedFile[] = [];
  readonly notes: string[] = [];
  suspendedRows = 0;
  files = 0;
  constructor(private readonly strict: boolean) {}

  problem(file: string, line: number, message: string): boolean {
    this.problems.push({ file, line, message });
    return !this.strict;
  }

  result(): Either<ImportError, ImportResult> {
    const first = this.problems[0];
    if (this.strict && first) {
      return left(importError('IMPORT_INVALID', first.file, first.line, `${first.file}${first.line ? ` line ${first.line}` : ''}: ${first.message}`));
    }
    return right({
      rows: this.rows, suspendedRows: this.suspendedRows, files: this.files, problems: this.problems,
      skippedFiles: this.skippedFiles, notes: this.notes,
    });
  }
}

const hasExt = (name: string, exts: readonly string[]): boolean => {
  const n = name.toLowerCase();
  return exts.some((e) => n.endsWith(e) || n.endsWith(`${e}.gz`));
};

async function walk(dir: string, exts: readonly string[], out: string[]): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, exts, out);
    else if (e.isFile() && hasExt(e.name, exts)) out.push(p);
  }
}

/**
 * The files an import reads: `path` itself when it is a file (any name), else every file below the
 * folder whose name ends in one of `exts` (or that plus `.gz`), sorted by path so results are stable.
 */
export async function listImportFiles(path: string, exts: readonly string[]): Promise<Either<ImportError, string[]>> {
  let isDir: boolean;
  try {
    const s = await stat(path);
    if (s.isFile()) return right([path]);
    isDir = s.isDirectory();
  } catch {
    return left(importError('IMPORT_NOT_FOUND', path, 0, `${path}: no such file or folder.`));
  }
  if (!isDir) return left(importError('IMPORT_NOT_FOUND', path, 0, `${path}: not a file or folder.`));
  const out: string[] = [];
  await walk(path, exts, out);
  if (out.length === 0) {
    return left(importError('IMPORT_NO_FILES', path, 0, `${path}: no ${exts.map((e) => `*${e}`).join(' / ')} files (or .gz) in the folder.`));
  }
  return right(out.sort());
}
