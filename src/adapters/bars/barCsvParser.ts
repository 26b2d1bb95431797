import type { DayBars } from '../../domain/bars.js';
import type { PriceField } from '../../domain/rules/barAdmission.js';
import { parseSymbol, symbolKey } from '../../domain/symbol.js';
import { isTradingDayString } from '../../domain/tradingDay.js';
import { dayOf, dupProblem, newBuilder, type DayBuilder, type Dup } from './barCsvDays.js';
import { dateKey, dateKeyAt, FieldCursor, show, symbolKeyAt, unreadable } from './barCsvFields.js';
import { parseDecimalRange, parseWholeRange } from './decimalField.js';

/** Columns of the canonical bar CSV; the last two are optional on read. */
export const BAR_CSV_COLUMNS = ['symbol', 'date', 'open', 'high', 'low', 'close', 'volume', 'amount', 'pre_close', 'is_st'] as const;
const REQUIRED = BAR_CSV_COLUMNS.slice(0, 8);
const PRICE_NAMES = ['', '', 'open', 'high', 'low', 'close', '', '', 'pre_close', ''];

class RowError extends Error {}

/**
 * Checks of a row's symbol and day beyond their format (the market rules: boards, calendar, ticks),
 * asked once per distinct symbol and day. Each returns a clause (no file or line) or its answer.
 */
export interface RowAdmission {
  /** The symbol's price tick in 0.001 CNY (0: prices not tick-checked), or why the code is refused. */
  symbol(symbol: string): { readonly tickMilli: number } | { readonly problem: string };
  /** Why the day is refused, or undefined. */
  day(day: string): string | undefined;
}

/**
 * Parses bar rows given as positions in a block of text (no string per line or per numeric field: the
 * reader meets ~6M rows), validating as it goes, and groups them by day. Methods return an error
 * sentence (without file and line) or undefined. One parser per file.
 */
export class BarRowParser {
  /** Bounds of the current row's fields by canonical column: field k is text.slice(starts[k], ends[k]). */
  private readonly starts = new Int32Array(BAR_CSV_COLUMNS.length);
  private readonly ends = new Int32Array(BAR_CSV_COLUMNS.length);
  /** File column → canonical column (−1: none); canonical column → file column (−1: absent). */
  private slot: number[] = [];
  private col: number[] = [];
  /** The header lists the columns in canonical order (8, 9 or 10 of them): the byte fast path applies. */
  private canonical = false;
  private readonly cursor = new FieldCursor();
  /** By `dateKey` (yyyymmdd) and by `symbolKey`. */
  private readonly days = new Map<number, DayBuilder>();
  private readonly symbols = new Map<number, string>();
  /** By `symbolKey`: the symbol's tick (0.001 CNY), 0 when prices are not tick-checked. */
  private readonly ticks = new Map<number, number>();
  rows = 0;
  /** Flush mode: the latest day seen, and whether the rows came in date order (else days could not be flushed as they ended). */
  private maxDk = -1;
  ordered = true;
  flushProblem: { readonly line: number; readonly problem: string } | undefined;

  /**
   * With `flush`, a file in date order is handed over a day at a time, as soon as a later date
   * starts (and the rest at `finish`), instead of being held whole; `ordered` turns false if a row
   * goes back to an earlier date (the caller then reads the file the holding way).
   */
  constructor(
    private readonly admission?: RowAdmission,
    private readonly flush?: (day: DayBars) => void,
    /**
     * False for a scan that wants only the checks and the list of days: a row keeps only what the
     * duplicate check needs (symbol, line), so the days handed to `flush` carry `day` and `symbols`
     * and empty price and volume columns.
     */
    private readonly columns = true,
  ) {}

  header(line: string): string | undefined {
    const h = line.split(',').map((c) => c.trim());
    const unknown = h.find((c) => !(BAR_CSV_COLUMNS as readonly string[]).includes(c));
    if (unknown !== undefined) return `unknown header column ${show(unknown)} (expected ${BAR_CSV_COLUMNS.join(',')})`;
    const missing = REQUIRED.filter((c) => !h.includes(c));
    if (missing.length) return `header is missing column ${missing.map((c) => `"${c}"`).join(', ')}`;
    const dup = h.find((c, i) => h.indexOf(c) !== i);
    if (dup !== undefined) return `header lists column "${dup}" twice`;
    this.col = BAR_CSV_COLUMNS.map((c) => h.indexOf(c));
    this.slot = h.map((c) => (BAR_CSV_COLUMNS as readonly string[]).indexOf(c));
    this.canonical = this.slot.every((c, k) => c === k);
    return undefined;
  }

  private field(t: string, k: number): string {
    return t.slice(this.starts[k]!, this.ends[k]!);
  }
  private price(t: string, k: number): number {
    const v = parseDecimalRange(t, this.starts[k]!, this.ends[k]!, 3, 'halfUp');
    if (Number.isNaN(v)) throw new RowError(unreadable(PRICE_NAMES[k]!, this.field(t, k)));
    if (v <= 0) throw new RowError(`${PRICE_NAMES[k]} must be positive, got ${show(this.field(t, k))}`);
    return v;
  }
  /**
   * Whether price field k is a whole number of ticks as written: exact on the text, so 4-decimal
   * vendor prices that would round half-up onto the tick (10.0001) are off it too.
   */
  private onTick(t: string, k: number, v: number, tick: number): boolean {
    if (v % tick !== 0) return false;
    const s = this.starts[k]!, e = this.ends[k]!;
    let dot = e - 1;
    while (dot >= s && t.charCodeAt(dot) !== 46) dot--;
    if (dot < s || e - dot - 1 <= 3) return true; // no digit beyond 0.001: v is exact
    return !Number.isNaN(parseDecimalRange(t, s, e, 3, 'reject'));
  }

  /** The row at t[from, to) (line `lineNo`); blank rows are skipped. */
  row(t: string, from: number, to: number, lineNo: number): string | undefined {
    if (from === to) return undefined;
    const { starts, ends, slot } = this;
    let start = from, k = 0;
    for (;;) {
      let comma = t.indexOf(',', start);
      if (comma >= to) comma = -1;
      const c = k < slot.length ? slot[k]! : -1;
      if (c >= 0) { starts[c] = start; ends[c] = comma < 0 ? to : comma; }
      k++;
      if (comma < 0) break;
      start = comma + 1;
    }
    if (k !== slot.length) return `expected ${slot.length} fields, found ${k}`;
    try {
      return this.validRow(t, lineNo);
    } catch (e) {
      if (e instanceof RowError) return e.message;
      throw e;
    }
  }

  /**
   * The row at b[from, to) of a block of bytes (line `lineNo`). A plainly well-formed row — ASCII,
   * columns in canonical order, a symbol and day already admitted, unsigned prices with at most 3
   * decimals on their tick, and so on — is parsed in place without a string. Any other row, and so
   * every row with a problem, is decoded and goes through `row`: what is accepted, and every message,
   * is the text path's.
   */
  rowBytes(b: Uint8Array, from: number, to: number, lineNo: number): string | undefined {
    if (from === to) return undefined;
    if (this.canonical && this.fastRow(b, from, to, lineNo)) return undefined;
    const line = Buffer.from(b.buffer, b.byteOffset + from, to - from).toString('utf8');
    return this.row(line, 0, line.length, lineNo);
  }

  /** Stores the row and answers true, or answers false having changed nothing (the text path decides). */
  private fastRow(b: Uint8Array, from: number, to: number, lineNo: number): boolean {
    if (to - from < 24 || b[from + 9] !== 44 || b[from + 20] !== 44) return false;
    const sk = symbolKeyAt(b, from);
    const sym = sk < 0 ? undefined : this.symbols.get(sk);
    if (sym === undefined) return false;
    const dk = dateKeyAt(b, from + 10);
    const day = dk < 0 ? undefined : this.days.get(dk);
    if (day === undefined) return false;
    const f = this.cursor;
    f.at = from + 21;
    const open = f.units(b, to, 3), high = f.units(b, to, 3), low = f.units(b, to, 3), close = f.units(b, to, 3);
    if (open <= 0 || high <= 0 || low <= 0 || close <= 0) return false;
    if (low > open || low > close || high < open || high < close) return false;
    const tick = this.ticks.get(sk)!;
    if (tick > 0 && (open % tick !== 0 || high % tick !== 0 || low % tick !== 0 || close % tick !== 0)) return false;
    const volume = f.units(b, to, 0), amount = f.units(b, to, 2);
    if (volume < 0 || amount < 0) return false;
    const n = this.slot.length;
    let preClose: number | null = null;
    let isSt: 0 | 1 = 0;
    if (n >= 9) {
      if (f.at < to && b[f.at] === 44) f.at++; // empty: unknown
      else if (f.at < to || n > 9) {
        const v = f.units(b, to, 3);
        if (v <= 0) return false;
        preClose = v;
      }
      if (n === 10) {
        if (f.at !== to - 1) return false;
        const c = b[f.at];
        if (c === 49) isSt = 1;
        else if (c !== 48) return false;
        f.at = to + 1;
      }
    }
    if (f.at !== to + 1) return false; // the last field ended the line: no more fields, none missing
    this.store(day, sym, lineNo, open, high, low, close, volume, amount, preClose, isSt);
    return true;
  }

  /** One checked row into its day (with `columns` false, only what the duplicate check needs). */
  private store(
    b: DayBuilder, sym: string, lineNo: number, open: number, high: number, low: number, close: number,
    volume: number, amount: number, preClose: number | null, isSt: 0 | 1,
  ): void {
    b.symbols.push(sym); b.lines.push(lineNo);
    if (this.columns) {
      b.open.push(open); b.high.push(high); b.low.push(low); b.close.push(close);
      b.volume.push(volume); b.amountFen.push(amount); b.preClose.push(preClose); b.isSt.push(isSt);
    }
    this.rows++;
  }

  private validRow(t: string, lineNo: number): string | undefined {
    const { starts, ends } = this;
    // Symbols and dates are looked up by an integer read in place (no slice, no string hash per row);
    // only a first sighting makes a string and runs the full check.
    const sk = symbolKey(t, starts[0]!, ends[0]!);
    let sym = sk < 0 ? undefined : this.symbols.get(sk);
    if (sym === undefined) {
      const raw = this.field(t, 0);
      if (sk < 0 || parseSymbol(raw) === undefined) return `bad symbol ${show(raw)} (expected a suffixed code like 600519.SH)`;
      const a = this.admission?.symbol(raw) ?? { tickMilli: 0 };
      if ('problem' in a) return a.problem;
      this.ticks.set(sk, a.tickMilli);
      this.symbols.set(sk, (sym = raw));
    }
    const dk = dateKey(t, starts[1]!, ends[1]!);
    let b = dk < 0 ? undefined : this.days.get(dk);
    if (b === undefined) {
      const raw = this.field(t, 1);
      if (dk < 0 || !isTradingDayString(raw)) return `bad date ${show(raw)} (expected YYYY-MM-DD)`;
      const problem = this.admission?.day(raw);
      if (problem !== undefined) return `${sym} ${raw}: ${problem}`;
      if (this.flush) {
        if (dk > this.maxDk) {
          const bad = this.flushAll();
          if (bad) return bad;
          this.maxDk = dk;
        } else this.ordered = false;
      }
      this.days.set(dk, (b = newBuilder(raw)));
    }
    const open = this.price(t, 2), high = this.price(t, 3), low = this.price(t, 4), close = this.price(t, 5);
    if (low > open || low > close || high < open || high < close) {
      return `OHLC is inconsistent: need low ≤ open, close ≤ high, got open ${this.field(t, 2)}, high ${this.field(t, 3)}, low ${this.field(t, 4)}, close ${this.field(t, 5)}`;
    }
    const tick = this.ticks.get(sk)!;
    if (tick > 0) {
      const off: PriceField[] = [];
      if (!this.onTick(t, 2, open, tick)) off.push('open');
      if (!this.onTick(t, 3, high, tick)) off.push('high');
      if (!this.onTick(t, 4, low, tick)) off.push('low');
      if (!this.onTick(t, 5, close, tick)) off.push('close');
      if (off.length > 0) {
        const what = off.map((f) => `${f} ${this.field(t, PRICE_NAMES.indexOf(f))}`).join(', ');
        return `${sym} ${b.day}: ${what} ${off.length > 1 ? 'are' : 'is'} off the ${tick / 1000} CNY price tick (adjusted prices? orders need raw exchange prices)`;
      }
    }
    const volume = parseWholeRange(t, starts[6]!, ends[6]!);
    if (Number.isNaN(volume)) return `volume is not a whole number of shares: ${show(this.field(t, 6))}`;
    if (volume < 0) return `volume must not be negative, got ${this.field(t, 6)}`;
    const amount = parseDecimalRange(t, starts[7]!, ends[7]!, 2, 'halfUp');
    if (Number.isNaN(amount)) return unreadable('amount', this.field(t, 7));
    if (amount < 0) return `amount must not be negative, got ${this.field(t, 7)}`;
    const preClose = this.col[8]! < 0 || starts[8] === ends[8] ? null : this.price(t, 8);
    let isSt: 0 | 1 = 0;
    if (this.col[9]! >= 0) {
      const c = ends[9]! - starts[9]! === 1 ? t.charCodeAt(starts[9]!) : -1;
      if (c === 49) isSt = 1;
      else if (c !== 48) return `is_st must be 0 or 1, got ${show(this.field(t, 9))}`;
    }
    this.store(b, sym, lineNo, open, high, low, close, volume, amount, preClose, isSt);
    return undefined;
  }

  get symbolCount(): number {
    return this.symbols.size;
  }

  /**
   * Days ascending with symbols ascending (rows may arrive by symbol or by date), or the earliest
   * duplicate (symbol, date) with its line.
   */
  finish(): { readonly days: DayBars[] } | { readonly line: number; readonly problem: string } {
    if (this.flushProblem) return this.flushProblem;
    const out: DayBars[] = [];
    let dup: Dup | undefined;
    for (const key of [...this.days.keys()].sort((a, b) => a - b)) {
      const r = dayOf(this.days.get(key)!);
      if (r.dup && (dup === undefined || r.dup.line < dup.line)) dup = r.dup;
      out.push(r.day);
    }
    if (dup) return dupProblem(dup);
    if (this.flush) {
      for (const d of out) this.flush(d);
      this.days.clear();
      return { days: [] };
    }
    return { days: out };
  }

  /** Flush mode: every day held so far goes out (the file has moved on to a later date); a duplicate stops the read. */
  private flushAll(): string | undefined {
    for (const key of [...this.days.keys()].sort((a, b) => a - b)) {
      const r = dayOf(this.days.get(key)!);
      if (r.dup) {
        this.flushProblem = dupProblem(r.dup);
        return this.flushProblem.problem;
      }
      this.flush!(r.day);
    }
    this.days.clear();
    return undefined;
  }
}
