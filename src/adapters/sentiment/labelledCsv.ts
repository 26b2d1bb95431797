import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { SentimentLabel } from '../../domain/sentiment/index.js';
import { fileError, readBytes, type SentimentFileError } from './fileError.js';

/*
 * Labelled texts for training and evaluation, in the layout of the StockSentCN comments
 * (`id,text,label`, labels 0 negative, 1 positive, 2 neutral; `id` optional), read with an RFC 4180
 * parser: quoted fields may hold commas, doubled quotes and line breaks.
 */

export interface CsvRecord {
  /** 1-based line on which the record starts. */
  readonly line: number;
  readonly fields: string[];
}

/**
 * Parses RFC 4180 CSV (LF or CRLF line ends; a final line end optional; blank lines skipped). A quote
 * inside an unquoted field, anything but a comma or line end after a closing quote, and an unclosed
 * quote are errors with their line.
 */
export function parseCsv(text: string): Either<{ line: number; what: string }, CsvRecord[]> {
  const out: CsvRecord[] = [];
  let line = 1, i = 0;
  const n = text.length;
  while (i < n) {
    const start = line;
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n')) { i += text[i] === '\r' ? 2 : 1; line++; continue; }
    const fields: string[] = [];
    for (;;) {
      let v = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) return left({ line: start, what: 'a quoted field is never closed' });
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') { v += '"'; i += 2; continue; }
            i++;
            break;
          }
          if (c === '\n') line++;
          v += c;
          i++;
        }
        if (i < n && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          return left({ line, what: 'unexpected text after a closing quote' });
        }
      } else {
        let j = i;
        while (j < n && text[j] !== ',' && text[j] !== '\n' && !(text[j] === '\r' && text[j + 1] === '\n')) {
          if (text[j] === '"') return left({ line, what: 'a quote inside an unquoted field (quote the field and double the quote)' });
          j++;
        }
        v = text.slice(i, j);
        i = j;
      }
      fields.push(v);
      if (i < n && text[i] === ',') { i++; continue; }
      break;
    }
    if (i < n) { i += text[i] === '\r' ? 2 : 1; line++; }
    out.push({ line: start, fields });
  }
  return right(out);
}

/** A file's text: gunzipped when the name ends in `.gz`, strict UTF-8, BOM dropped; plus the sha256 of its bytes as stored. */
export function readCsvText(path: string): Either<SentimentFileError, { text: string; sha256: string }> {
  const b = readBytes(path);
  if (isLeft(b)) return b;
  let raw: Buffer = b.right;
  if (path.toLowerCase().endsWith('.gz')) {
    try { raw = gunzipSync(raw); } catch (e) { return left(fileError('SENTIMENT_FILE_INVALID', path, null, `not a valid gzip file (${(e as Error).message})`)); }
  }
  let text: string;
  try { text = new TextDecoder('utf-8', { fatal: true }).decode(raw); } catch { return left(fileError('SENTIMENT_FILE_INVALID', path, null, 'not UTF-8 text')); }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return right({ text, sha256: createHash('sha256').update(b.right).digest('hex') });
}

/** The records of a CSV file with a header row: the header's column names and the data records, each as long as the header. */
export function readCsvFile(path: string): Either<SentimentFileError, { header: string[]; records: CsvRecord[]; sha256: string }> {
  const t = readCsvText(path);
  if (isLeft(t)) return t;
  const p = parseCsv(t.right.text);
  if (isLeft(p)) return left(fileError('SENTIMENT_FILE_INVALID', path, p.left.line, p.left.what));
  const [head, ...records] = p.right;
  if (!head) return left(fileError('SENTIMENT_FILE_INVALID', path, null, 'the file is empty (a header row is required)'));
  const header = head.fields.map((h) => h.trim());
  for (const r of records) {
    if (r.fields.length !== header.length) {
      return left(fileError('SENTIMENT_FILE_INVALID', path, r.line, `${r.fields.length} fields where the header has ${header.length}`));
    }
  }
  return right({ header, records, sha256: t.right.sha256 });
}

/** The StockSentCN codes: 0 negative, 1 positive, 2 neutral. */
export const LABEL_CODES: Readonly<Record<string, SentimentLabel>> = { 0: 'negative', 1: 'positive', 2: 'neutral' };
const CODE_OF: Readonly<Record<SentimentLabel, string>> = { negative: '0', positive: '1', neutral: '2' };

export interface LabelledRow {
  readonly id: string | null;
  readonly text: string;
  readonly label: SentimentLabel;
  readonly line: number;
}

export interface LabelledFile {
  readonly path: string;
  readonly rows: LabelledRow[];
  /** sha256 of the file's bytes. */
  readonly sha256: string;
}

/** Reads `text,label` (and optional `id`) rows; a label is 0/1/2 or a label name. Any bad row fails the file, naming its line. */
export function readLabelledCsv(path: string): Either<SentimentFileError, LabelledFile> {
  const f = readCsvFile(path);
  if (isLeft(f)) return f;
  const { header, records, sha256 } = f.right;
  const ti = header.indexOf('text'), li = header.indexOf('label'), ii = header.indexOf('id');
  if (ti < 0 || li < 0) return left(fileError('SENTIMENT_FILE_INVALID', path, 1, `the header needs columns text and label (has ${header.join(',')})`));
  const rows: LabelledRow[] = [];
  for (const r of records) {
    const text = r.fields[ti]!, code = r.fields[li]!.trim();
    const label = LABEL_CODES[code] ?? (code === 'negative' || code === 'neutral' || code === 'positive' ? code : undefined);
    if (label === undefined) return left(fileError('SENTIMENT_FILE_INVALID', path, r.line, `label ${JSON.stringify(code)} is not 0 (negative), 1 (positive), 2 (neutral) or a label name`));
    if (text.trim() === '') return left(fileError('SENTIMENT_FILE_INVALID', path, r.line, 'empty text'));
    rows.push({ id: ii < 0 ? null : r.fields[ii]!, text, label, line: r.line });
  }
  if (rows.length === 0) return left(fileError('SENTIMENT_FILE_INVALID', path, null, 'no data rows'));
  return right({ path, rows, sha256 });
}

/** One column of a CSV file with a header (e.g. the headlines' `Text`), in file order. */
export function readTextColumn(path: string, column: string): Either<SentimentFileError, string[]> {
  const f = readCsvFile(path);
  if (isLeft(f)) return f;
  const k = f.right.header.indexOf(column);
  if (k < 0) return left(fileError('SENTIMENT_FILE_INVALID', path, 1, `no column ${JSON.stringify(column)} in the header`));
  return right(f.right.records.map((r) => r.fields[k]!));
}

const quote = (v: string): string => (/[",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The CSV text of labelled rows in the input layout (`id,text,label` with 0/1/2 codes; no `id` column when no row has one). */
export function labelledCsvText(rows: readonly Pick<LabelledRow, 'id' | 'text' | 'label'>[]): string {
  const withId = rows.some((r) => r.id !== null);
  const lines = [withId ? 'id,text,label' : 'text,label'];
  for (const r of rows) lines.push([...(withId ? [quote(r.id ?? '')] : []), quote(r.text), CODE_OF[r.label]].join(','));
  return lines.join('\n') + '\n';
}

export function writeLabelledCsv(path: string, rows: readonly Pick<LabelledRow, 'id' | 'text' | 'label'>[]): Either<SentimentFileError, void> {
  try {
    writeFileSync(path, labelledCsvText(rows));
    return right(undefined);
  } catch (e) {
    return left(fileError('SENTIMENT_FILE_WRITE_FAILED', path, null, `cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`));
  }
}
