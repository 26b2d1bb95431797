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

/** Where a row came from: its file and 1-based line (0 when the format gives none, e.g. TDX records). */
export interface RowOrigin {
  readonly file: string;
  readonly line: number;
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
  /** Rows of other securities left out because the `symbol` option asked for one. */
  readonly otherSymbolRows: number;
  readonly files: number;
  readonly problems: ImportProblem[];
  readonly skippedFiles: SkippedFile[];
  readonly notes: string[];
  /** Where `rows[i]` came from, so a finding about a row can name its file and line. */
  readonly originOf: (row: number) => RowOrigin | undefined;
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
  /**
   * Only this security (any vendor form: `600000.SH`, `600000.XSHG`, `sh.600000`): rows and files of
   * other codes are left out (counted in `otherSymbolRows`). For a CSV without a code column it is
   * the security of every row.
   */
  readonly symbol?: string;
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
  otherSymbolRows = 0;
  files = 0;
  /** Rows from `spans[k].from` on came from `spans[k].file`; `lines` parallel to `rows` (0: unknown). */
  private readonly spans: { readonly from: number; readonly file: string }[] = [];
  private readonly lines: number[] = [];
  constructor(private readonly strict: boolean) {}

  /** One file's rows, with their 1-based lines when the format has lines. */
  addRows(file: string, rows: readonly Bar[], lines?: readonly number[]): void {
    if (rows.length === 0) return;
    this.spans.push({ from: this.rows.length, file });
    for (let i = 0; i < rows.length; i++) { this.rows.push(rows[i]!); this.lines.push(lines?.[i] ?? 0); }
  }

  private readonly originOf = (row: number): RowOrigin | undefined => {
    if (!(row >= 0 && row < this.rows.length)) return undefined;
    let lo = 0, hi = this.spans.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >>> 1; if (this.spans[mid]!.from <= row) lo = mid; else hi = mid - 1; }
    const s = this.spans[lo];
    return s === undefined ? undefined : { file: s.file, line: this.lines[row] ?? 0 };
  };

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
      rows: this.rows, suspendedRows: this.suspendedRows, otherSymbolRows: this.otherSymbolRows, files: this.files, problems: this.problems,
      skippedFiles: this.skippedFiles, notes: this.notes, originOf: this.originOf,
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
