import { writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import type { CashDividend } from '../../domain/bars.js';
import { parseSymbol, type SecuritySymbol } from '../../domain/symbol.js';
import { isTradingDayString, type TradingDay } from '../../domain/tradingDay.js';
import { formatUnits, parseDecimalUnits } from './decimalField.js';
import { isGzipPath, probeFile, readLineBatches } from './textLines.js';

/**
 * Cash dividends as CSV: `symbol,ex_date,cash_per_share` (CNY per share, up to 6 decimals, since the
 * domain counts 0.000001 CNY). Sorted by ex-date then symbol on write; `.gz` names are compressed.
 */
export const DIVIDEND_CSV_COLUMNS = ['symbol', 'ex_date', 'cash_per_share'] as const;

/** An expected failure reading a dividend file; `line` 1-based (header = 1), 0 = the whole file. */
export interface DividendFileError {
  readonly code: 'DIVIDENDS_INVALID' | 'DIVIDENDS_NOT_FOUND';
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

const byExDayThenSymbol = (a: CashDividend, b: CashDividend): number =>
  a.exDay < b.exDay ? -1 : a.exDay > b.exDay ? 1 : a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;

export async function writeDividendCsv(path: string, dividends: readonly CashDividend[]): Promise<void> {
  const rows = [...dividends].sort(byExDayThenSymbol).map((d) => {
    if (!Number.isSafeInteger(d.cashPerShareMicro) || d.cashPerShareMicro <= 0) {
      throw new RangeError(`writeDividendCsv: cash of ${d.symbol} on ${d.exDay} must be a positive integer of 0.000001 CNY`);
    }
    return `${d.symbol},${d.exDay},${formatUnits(d.cashPerShareMicro, 6)}\n`;
  });
  const text = DIVIDEND_CSV_COLUMNS.join(',') + '\n' + rows.join('');
  await writeFile(path, isGzipPath(path) ? gzipSync(text) : text);
}

/** Reads a dividend CSV (any row order, columns in any order), sorted by ex-date then symbol. */
export async function readDividendCsv(path: string): Promise<Either<DividendFileError, CashDividend[]>> {
  const probe = await probeFile(path);
  if (probe !== 'ok') {
    return left({ code: 'DIVIDENDS_NOT_FOUND', file: path, line: 0, message: `${path}: ${probe === 'missing' ? 'no such file' : 'not a regular file'}.` });
  }
  const err = (line: number, what: string): Either<DividendFileError, never> =>
    left({ code: 'DIVIDENDS_INVALID', file: path, line, message: `${path} line ${line}: ${what}.` });
  const out: CashDividend[] = [];
  const seen = new Map<string, number>();
  let col: number[] = [];
  let lineNo = 0;
  try {
    for await (const batch of readLineBatches(path)) {
      for (const line of batch) {
        lineNo++;
        if (lineNo === 1) {
          const h = line.split(',').map((c) => c.trim());
          const unknown = h.find((c) => !(DIVIDEND_CSV_COLUMNS as readonly string[]).includes(c));
          if (unknown !== undefined) return err(1, `unknown header column ${JSON.stringify(unknown)} (expected ${DIVIDEND_CSV_COLUMNS.join(',')})`);
          const missing = DIVIDEND_CSV_COLUMNS.filter((c) => !h.includes(c));
          if (missing.length) return err(1, `header is missing column ${missing.map((c) => `"${c}"`).join(', ')}`);
          if (h.length !== DIVIDEND_CSV_COLUMNS.length) return err(1, 'header lists a column twice');
          col = DIVIDEND_CSV_COLUMNS.map((c) => h.indexOf(c));
          continue;
        }
        if (line.length === 0) continue;
        const f = line.split(',');
        if (f.length !== DIVIDEND_CSV_COLUMNS.length) return err(lineNo, `expected ${DIVIDEND_CSV_COLUMNS.length} fields, found ${f.length}`);
        const sym = f[col[0]!]!, day = f[col[1]!]!, cash = f[col[2]!]!;
        if (parseSymbol(sym) === undefined) return err(lineNo, `bad symbol ${JSON.stringify(sym)} (expected a suffixed code like 600519.SH)`);
        if (!isTradingDayString(day)) return err(lineNo, `bad ex_date ${JSON.stringify(day)} (expected YYYY-MM-DD)`);
        const micro = parseDecimalUnits(cash, 6, 'reject');
        if (Number.isNaN(micro)) return err(lineNo, `cash_per_share is not a CNY amount with at most 6 decimals: ${JSON.stringify(cash)}`);
        if (micro <= 0) return err(lineNo, `cash_per_share must be positive, got ${cash}`);
        const key = `${sym} ${day}`;
        const first = seen.get(key);
        if (first !== undefined) return err(lineNo, `duplicate dividend for ${sym} on ${day} (first at line ${first})`);
        seen.set(key, lineNo);
        out.push({ symbol: sym as SecuritySymbol, exDay: day as TradingDay, cashPerShareMicro: micro });
      }
    }
  } catch (e) {
    const msg = String((e as NodeJS.ErrnoException).code).startsWith('Z_') ? 'is not a valid gzip file' : `cannot be read (${(e as Error).message})`;
    return left({ code: 'DIVIDENDS_INVALID', file: path, line: 0, message: `${path}: ${msg}.` });
  }
  if (lineNo === 0) return err(1, 'the file is empty; expected the header line');
  return right(out.sort(byExDayThenSymbol));
}
