import { open, readdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { BrokerMessageProblem, OrderReport } from '../../domain/ports/broker.js';
import { ANSWER_HEADER, parseAnswerFields, splitCsvRecord } from './fileBridgeCsv.js';

/**
 * Where reading stopped in one answer file: the byte offset just after the last complete line and
 * that line's number (so problems name the right line without re-reading the file). `refused`: its
 * header was wrong, so nothing in it is read (not even lines appended later, whose columns are
 * unknown) until its first line becomes the header, when it is read again from the start.
 */
export interface FileMark {
  offset: number;
  line: number;
  refused?: true;
}

export type Marks = Map<string, FileMark>;

export interface AnswerVisitor {
  report(r: OrderReport): void;
  problem(p: BrokerMessageProblem): void;
  /** Every complete line after the header, as text, before it is parsed (also those of a refused file). */
  line?(text: string): void;
}

const CURSOR_VERSION = 1;

/**
 * The cursor is canonical JSON (keys sorted, no spaces) so equal positions give equal strings:
 * `{"files":{"answers-1.csv":{"line":3,"offset":250}},"v":1}`; a refused file adds `"refused":true`.
 * Null means nothing read yet. Left is the reason a cursor is unreadable.
 */
export function parseCursor(cursor: string | null): Either<string, Marks> {
  const marks: Marks = new Map();
  if (cursor === null) return right(marks);
  const bad = left(`cursor ${JSON.stringify(cursor.slice(0, 200))} is not a file-bridge cursor`);
  let v: unknown;
  try { v = JSON.parse(cursor); } catch { return bad; }
  if (typeof v !== 'object' || v === null || (v as { v?: unknown }).v !== CURSOR_VERSION) return bad;
  const files = (v as { files?: unknown }).files;
  if (typeof files !== 'object' || files === null) return bad;
  for (const [name, m] of Object.entries(files)) {
    const { offset, line, refused } = (m ?? {}) as { offset?: unknown; line?: unknown; refused?: unknown };
    if (!Number.isSafeInteger(offset) || (offset as number) < 0 || !Number.isSafeInteger(line) || (line as number) < 0) return bad;
    if (refused !== undefined && refused !== true) return bad;
    marks.set(name, { offset: offset as number, line: line as number, ...(refused ? { refused: true } : {}) });
  }
  return right(marks);
}

export function formatCursor(marks: Marks): string {
  const files = [...marks.keys()].sort().map((name) => {
    const m = marks.get(name)!;
    return `${JSON.stringify(name)}:{"line":${m.line},"offset":${m.offset}${m.refused ? ',"refused":true' : ''}}`;
  });
  return `{"files":{${files.join(',')}},"v":${CURSOR_VERSION}}`;
}

/** Name order with digit runs compared as numbers, so `answers-10.csv` comes after `answers-9.csv`. */
export function compareNatural(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [], pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!, y = pb[i]!;
    if (x === y) continue;
    const nx = /^\d/.test(x) && /^\d/.test(y) ? BigInt(x) - BigInt(y) : 0n;
    if (nx !== 0n) return nx < 0n ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** The answer files of `in/`: `*.csv`, no dot-files (a terminal's temporary files), in natural name order. */
async function answerFiles(inDir: string): Promise<string[]> {
  const entries = await readdir(inDir, { withFileTypes: true });
  return entries.filter((e) => e.isFile() && !e.name.startsWith('.') && e.name.endsWith('.csv')).map((e) => e.name).sort(compareNatural);
}

const RAW_LIMIT = 500;

/** Whether the file's first line is now the answer header (a refused file the terminal has rewritten). */
async function startsWithHeader(fh: FileHandle, size: number): Promise<boolean> {
  const buf = Buffer.alloc(Math.min(size, ANSWER_HEADER.length + 8));
  const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
  const nl = buf.subarray(0, bytesRead).indexOf(0x0a);
  return nl >= 0 && buf.toString('utf8', 0, nl).replace(/^\uFEFF/, '').replace(/\r$/, '') === ANSWER_HEADER;
}

/**
 * Reads every answer file from its mark to its last complete line (`\n`-terminated; a `\r` before it
 * is dropped), advancing `marks` in place. Each good line becomes a report, each bad line a problem,
 * and reading goes on. Blank lines are skipped silently. A file shorter than its mark was replaced or
 * truncated: one problem says so and it is read again from the start. I/O errors are thrown.
 */
export async function readAnswers(inDir: string, marks: Marks, visit: AnswerVisitor): Promise<void> {
  for (const name of await answerFiles(inDir)) {
    let fh;
    try { fh = await open(join(inDir, name), 'r'); } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // removed between listing and opening
      throw e;
    }
    try {
      const source = `in/${name}`;
      const size = (await fh.stat()).size;
      let mark = marks.get(name) ?? { offset: 0, line: 0 };
      if (size < mark.offset) {
        visit.problem({ source, reason: `${source} is ${size} bytes, shorter than the ${mark.offset} already read, so it is read again from the start`, raw: '' });
        mark = { offset: 0, line: 0 };
      }
      if (mark.refused) {
        if (!(await startsWithHeader(fh, size))) { marks.set(name, { ...mark, offset: size }); continue; }
        mark = { offset: 0, line: 0 }; // rewritten with the right header: read it afresh
      }
      if (size === mark.offset) { marks.set(name, mark); continue; }
      const buf = Buffer.alloc(size - mark.offset);
      const { bytesRead } = await fh.read(buf, 0, buf.length, mark.offset);
      const end = buf.subarray(0, bytesRead).lastIndexOf(0x0a) + 1;
      if (end === 0) { marks.set(name, mark); continue; }
      // Cutting at a newline byte never splits a UTF-8 character, so each line decodes whole.
      const lines = buf.toString('utf8', 0, end).split('\n');
      lines.pop();
      let line = mark.line;
      let refused = false;
      for (const rawLine of lines) {
        line++;
        let text = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
        const where = `${source} line ${line}`;
        if (refused) { visit.line?.(text); continue; }
        if (line === 1) {
          text = text.replace(/^\uFEFF/, '');
          if (text === ANSWER_HEADER) continue;
          visit.problem({ source: where, reason: `the header of ${source} is not "${ANSWER_HEADER}", so the file is ignored until it is replaced`, raw: text.slice(0, RAW_LIMIT) });
          refused = true;
          continue;
        }
        if (text.trim() === '') continue;
        visit.line?.(text);
        const fields = splitCsvRecord(text);
        const parsed = isLeft(fields) ? fields : parseAnswerFields(fields.right);
        if (isLeft(parsed)) visit.problem({ source: where, reason: parsed.left, raw: text.slice(0, RAW_LIMIT) });
        else visit.report(parsed.right);
      }
      marks.set(name, refused ? { offset: size, line, refused: true } : { offset: mark.offset + end, line });
    } finally {
      await fh.close();
    }
  }
}
