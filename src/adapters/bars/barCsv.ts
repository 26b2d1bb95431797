import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { DayBars } from '../../domain/bars.js';
import { tryBoardOf } from '../../domain/market/board.js';
import { admitCode, dayProblem, dayStatus, unassignedCodeProblem, type BarRules } from '../../domain/rules/barAdmission.js';
import type { SecuritySymbol } from '../../domain/symbol.js';
import type { TradingDay } from '../../domain/tradingDay.js';
import { BAR_CSV_COLUMNS, BarRowParser, type RowAdmission } from './barCsvParser.js';
import { formatUnits } from './decimalField.js';
import { isGzipPath, probeFile, readByteBlocks } from './textLines.js';

export { BAR_CSV_COLUMNS };

// The canonical bar CSV: `symbol,date,open,high,low,close,volume,amount,pre_close,is_st`. Date
// YYYY-MM-DD; prices CNY (written with 2 decimals for stocks, 3 for funds; read with any decimals,
// rounded half-up to 0.001 CNY exactly); volume shares; amount CNY (2 decimals); `pre_close` (empty when
// unknown) and `is_st` (0/1) optional on read. A name ending in `.gz` is read and written gzip-compressed.
// No field ever needs quoting, so the reader does not implement CSV quoting: a quoted field is rejected.

/** An expected failure reading a bar file. `line` is 1-based (the header is line 1); 0 = the file as a whole. */
export interface BarFileError {
  readonly code: 'BARS_INVALID' | 'BARS_NOT_FOUND';
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/**
 * The market rules a bar file is held to where bars come in to be traded on (backtest, simulate,
 * paper): every code on a board of config/market/boards.yaml, every day a trading day of the
 * exchange calendar, every price a whole number of the board's tick (ashare-market-rules.md §1.1,
 * §2.3, §10). Without them the reader checks the format only (e.g. for adjusted series that feed
 * indicators, never orders).
 */
export interface BarFileChecks {
  /** Calendar, boards and ticks (a MarketRules will do). */
  readonly rules: BarRules;
  /** Codes accepted although no board's range holds them: the symbols of an instruments file. */
  readonly knownSymbols?: ReadonlySet<string>;
  /** Keep rows dated on days the exchange was closed; days beyond the calendar are refused regardless. */
  readonly allowNonTradingDays?: boolean;
}

function rowAdmission(c: BarFileChecks): RowAdmission {
  return {
    symbol(symbol) {
      const a = admitCode(c.rules, symbol);
      if (a.assigned) return { tickMilli: a.tickMilli ?? 0 };
      if (c.knownSymbols?.has(symbol)) return { tickMilli: 0 };
      return { problem: `${unassignedCodeProblem(symbol)}${c.knownSymbols ? ', and the instruments file does not list it' : ''}` };
    },
    day(day) {
      const status = dayStatus(c.rules.calendar, day as TradingDay);
      if (status === 'trading' || (status === 'closed' && c.allowNonTradingDays)) return undefined;
      const why = dayProblem(c.rules.calendar, day as TradingDay, status);
      return status === 'closed' ? `${why}; --allow-non-trading-days (or market.allowNonTradingDays: true) loads it anyway` : why;
    },
  };
}

export interface BarFile {
  /** Days ascending, symbols ascending within a day. */
  readonly days: DayBars[];
  readonly rows: number;
  /** Distinct symbols in the file. */
  readonly symbols: number;
}

const fundCache = new Map<string, boolean>();
const isFund = (symbol: string): boolean => {
  let fund = fundCache.get(symbol);
  if (fund === undefined) fundCache.set(symbol, (fund = tryBoardOf(symbol as SecuritySymbol) === 'FUND'));
  return fund;
};
/** 3 decimals where a 0.001 tick exists (funds) or the price is off the 0.01 tick, so writing never loses a digit. */
const formatPrice = (fund: boolean, p: number): string => (fund || p % 10 !== 0 ? formatUnits(p, 3) : formatUnits(p / 10, 2));

function* csvChunks(days: Iterable<DayBars>): Generator<string> {
  yield BAR_CSV_COLUMNS.join(',') + '\n';
  let prevDay = '';
  for (const b of days) {
    if (b.day <= prevDay) throw new RangeError(`writeBarCsv: days must be strictly ascending (${b.day} after ${prevDay})`);
    prevDay = b.day;
    let out = '';
    for (let i = 0; i < b.symbols.length; i++) {
      const s = b.symbols[i]!;
      if (i > 0 && s <= b.symbols[i - 1]!) throw new RangeError(`writeBarCsv: symbols of ${b.day} must be strictly ascending (${s})`);
      const pc = b.preClose[i];
      const f = isFund(s);
      out += `${s},${b.day},${formatPrice(f, b.open[i]!)},${formatPrice(f, b.high[i]!)},${formatPrice(f, b.low[i]!)},`
        + `${formatPrice(f, b.close[i]!)},${b.volume[i]!},${formatUnits(b.amountFen[i]!, 2)},`
        + `${pc === null || pc === undefined ? '' : formatPrice(f, pc)},${b.isSt[i] ?? 0}\n`;
    }
    yield out;
  }
}

/**
 * Writes day batches (days ascending) as one row per bar, date then symbol; streams, so any size fits.
 * Rejects (leaving a partial file) when days or symbols are out of order: a caller bug, not bad data.
 */
export async function writeBarCsv(path: string, days: Iterable<DayBars>): Promise<void> {
  const src = Readable.from(csvChunks(days), { objectMode: false });
  if (isGzipPath(path)) await pipeline(src, createGzip(), createWriteStream(path));
  else await pipeline(src, createWriteStream(path));
}

/**
 * Reads a bar CSV (rows in any order; `.gz` allowed) into day batches, or the first problem with its
 * line. With `checks`, also refuses what the market rules do not admit (see BarFileChecks).
 */
export async function readBarCsv(path: string, checks?: BarFileChecks): Promise<Either<BarFileError, BarFile>> {
  const parser = new BarRowParser(checks ? rowAdmission(checks) : undefined);
  const read = await parseFile(path, parser);
  if (isLeft(read)) return read;
  const done = parser.finish();
  if ('problem' in done) return left(lineError(path, done.line, done.problem));
  return right({ days: done.days, rows: parser.rows, symbols: parser.symbolCount });
}

/** A bar file checked whole but not held: its days in order, and a way to read them again one at a time. */
export interface StreamedBarFile {
  readonly dayList: readonly string[];
  readonly rows: number;
  readonly symbols: number;
  /** The days in order, each read from the file when the consumer gets to it (one day in memory, not the file). */
  days(): AsyncIterable<DayBars>;
}

/**
 * Checks a bar CSV exactly as `readBarCsv` does, keeping only its list of days, and hands back a
 * reader that streams the days from the file a second time — for a full-market backtest, whose
 * bars would otherwise sit in memory for the whole run. A file not in date order (rows by symbol)
 * cannot be streamed: it is read whole, as before.
 */
export async function scanBarCsv(path: string, checks?: BarFileChecks): Promise<Either<BarFileError, StreamedBarFile>> {
  const dayList: string[] = [];
  const parser = new BarRowParser(checks ? rowAdmission(checks) : undefined, (d) => { dayList.push(d.day); }, false);
  // A file found out of date order is read whole at once by readBarCsv, which checks every line:
  // scanning the rest first would parse the whole file twice.
  const read = await parseFile(path, parser, () => !parser.ordered);
  if (isLeft(read)) return read;
  if (!parser.ordered) {
    const whole = await readBarCsv(path, checks);
    if (isLeft(whole)) return whole;
    const days = whole.right.days;
    return right({ dayList: days.map((d) => d.day), rows: whole.right.rows, symbols: whole.right.symbols, days: () => toAsync(days) });
  }
  const done = parser.finish();
  if ('problem' in done) return left(lineError(path, done.line, done.problem));
  return right({ dayList, rows: parser.rows, symbols: parser.symbolCount, days: () => streamDays(path, checks) });
}

async function* toAsync<T>(xs: Iterable<T>): AsyncGenerator<T> {
  yield* xs;
}

async function* streamDays(path: string, checks: BarFileChecks | undefined): AsyncGenerator<DayBars> {
  const ready: DayBars[] = [];
  const parser = new BarRowParser(checks ? rowAdmission(checks) : undefined, (d) => { ready.push(d); });
  const changed = (why: string) => new Error(`${path} changed while the run was reading it (${why}); run it again on a file nothing writes to`);
  const lines = { n: 0 };
  for await (const t of readByteBlocks(path)) {
    const bad = parseBlock(t, parser, lines);
    if (bad !== undefined) throw changed(`line ${bad.line}: ${bad.problem}`);
    while (ready.length > 0) yield ready.shift()!;
  }
  const done = parser.finish();
  if ('problem' in done || !parser.ordered) throw changed('its rows are no longer in date order');
  while (ready.length > 0) yield ready.shift()!;
}

const lineError = (file: string, line: number, what: string): BarFileError => ({ code: 'BARS_INVALID', file, line, message: `${file} line ${line}: ${what}.` });

/** Feeds every line of the file to the parser; the first problem (with its line), or a file that cannot be read. */
/** Reads the file through `parser`; `stopWhen` ends the read early (right) once it holds after a block. */
async function parseFile(path: string, parser: BarRowParser, stopWhen?: () => boolean): Promise<Either<BarFileError, void>> {
  const probe = await probeFile(path);
  if (probe !== 'ok') {
    return left({ code: 'BARS_NOT_FOUND', file: path, line: 0, message: `${path}: ${probe === 'missing' ? 'no such file' : 'not a regular file'}.` });
  }
  const lines = { n: 0 };
  try {
    for await (const t of readByteBlocks(path)) {
      const bad = parseBlock(t, parser, lines);
      if (bad !== undefined) return left(lineError(path, parser.flushProblem?.line ?? bad.line, bad.problem));
      if (stopWhen?.()) return right(undefined);
    }
  } catch (e) {
    const msg = String((e as NodeJS.ErrnoException).code).startsWith('Z_') ? 'is not a valid gzip file' : `cannot be read (${(e as Error).message})`;
    return left({ code: 'BARS_INVALID', file: path, line: 0, message: `${path}: ${msg}.` });
  }
  if (lines.n === 0) return left(lineError(path, 1, 'the file is empty; expected the header line'));
  return right(undefined);
}

/** Feeds a block's lines to the parser (the first line of the file is the header), walking it by position: no string per line. */
function parseBlock(b: Buffer, parser: BarRowParser, lines: { n: number }): { line: number; problem: string } | undefined {
  for (let pos = 0; pos < b.length;) {
    let nl = b.indexOf(10, pos);
    if (nl < 0) nl = b.length;
    const end = nl > pos && b[nl - 1] === 13 ? nl - 1 : nl;
    const lineNo = ++lines.n;
    const problem = lineNo === 1 ? parser.header(b.toString('utf8', pos, end)) : parser.rowBytes(b, pos, end, lineNo);
    if (problem !== undefined) return { line: lineNo, problem };
    pos = nl + 1;
  }
  return undefined;
}
