import { isLeft } from 'fp-ts/lib/Either.js';
import { readCsvFile } from '../../adapters/sentiment/index.js';
import { isTradingDayString } from '../../domain/index.js';
import { AppError, EXIT } from '../errors.js';
import type { SentimentItem } from './scoreItems.js';

const SYMBOL_RE = /^\d{6}\.(SH|SZ|BJ)$/;

/**
 * The texts of a CSV to score: columns `id,date,symbol,text` (any of id, date, symbol may be
 * missing; `text` is required; other columns are ignored). A bad date or symbol, or an empty text, is
 * an error naming file and line: nothing is scored from a file that is partly wrong.
 */
export function readSentimentItems(path: string): SentimentItem[] {
  const f = readCsvFile(path);
  if (isLeft(f)) throw new AppError(f.left.code, f.left.message, f.left.code === 'SENTIMENT_FILE_NOT_FOUND' ? EXIT.badInput : EXIT.badInput);
  const col = (name: string): number => f.right.header.findIndex((h) => h.toLowerCase() === name);
  const ti = col('text'), ii = col('id'), di = col('date'), si = col('symbol');
  if (ti < 0) throw new AppError('SENTIMENT_FILE_INVALID', `${path}: no text column (the header must name text; id, date and symbol are optional)`, EXIT.badInput);
  return f.right.records.map((r) => {
    const text = r.fields[ti]!.trim();
    if (text === '') throw new AppError('SENTIMENT_FILE_INVALID', `${path}:${r.line}: the text is empty`, EXIT.badInput);
    const date = di >= 0 ? r.fields[di]!.trim() : '';
    if (date !== '' && !isTradingDayString(date)) throw new AppError('SENTIMENT_FILE_INVALID', `${path}:${r.line}: date ${JSON.stringify(date)} is not YYYY-MM-DD`, EXIT.badInput);
    const symbol = si >= 0 ? r.fields[si]!.trim().toUpperCase() : '';
    if (symbol !== '' && !SYMBOL_RE.test(symbol)) throw new AppError('SENTIMENT_FILE_INVALID', `${path}:${r.line}: symbol ${JSON.stringify(symbol)} is not a code like 600519.SH`, EXIT.badInput);
    const id = ii >= 0 ? r.fields[ii]!.trim() : '';
    return { id: id || null, day: date || null, symbol: symbol || null, text };
  });
}
