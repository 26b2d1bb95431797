import { parseSymbol, type SecuritySymbol } from '../../domain/symbol.js';
import { parseTradingDay, type TradingDay } from '../../domain/tradingDay.js';

/** A vendor row field that cannot be read; the provider turns it into PROVIDER_BAD_RESPONSE naming the endpoint. */
export class BadField extends Error {}

function plain(value: unknown, what: string): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new BadField(`${what}: not a finite number (${value})`);
    // JSON numbers come back as the shortest round-trip decimal, so String() recovers the vendor's digits.
    const s = String(value);
    return /e/i.test(s) ? value.toFixed(20) : s;
  }
  if (typeof value === 'string') return value.trim();
  throw new BadField(`${what}: expected a number, got ${JSON.stringify(value)}`);
}

/**
 * `value × 10^places` as an integer, computed on the decimal digits (never via a float product), rounded
 * half away from zero. Used for vendor unit changes: Tushare lots → shares (places 2), thousand CNY → fen
 * (places 5), CNY → 0.001 CNY (places 3).
 */
export function shiftDecimal(value: unknown, places: number, what: string): number {
  const s = plain(value, what);
  const m = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) throw new BadField(`${what}: not a decimal number (${JSON.stringify(value)})`);
  const frac = (m[3] ?? '').padEnd(places + 1, '0');
  let q = BigInt(m[2]! + frac.slice(0, places));
  if (Number(frac[places]) >= 5) q += 1n;
  const out = Number(m[1] === '-' ? -q : q);
  if (!Number.isSafeInteger(out)) throw new BadField(`${what}: out of range (${s})`);
  return out === 0 ? 0 : out;
}

/** Like `shiftDecimal` but null/empty stays null. */
export function shiftOrNull(value: unknown, places: number, what: string): number | null {
  return value === null || value === undefined || value === '' ? null : shiftDecimal(value, places, what);
}

export function dayField(value: unknown, what: string): TradingDay {
  const d = typeof value === 'string' ? parseTradingDay(value.trim()) : undefined;
  if (d === undefined) throw new BadField(`${what}: not a date (${JSON.stringify(value)})`);
  return d;
}

export function dayOrNull(value: unknown, what: string): TradingDay | null {
  return value === null || value === undefined || value === '' ? null : dayField(value, what);
}

export function symbolField(value: unknown, what: string): SecuritySymbol {
  const s = typeof value === 'string' ? parseSymbol(value.trim()) : undefined;
  if (s === undefined) throw new BadField(`${what}: not a suffixed A-share code (${JSON.stringify(value)})`);
  return s;
}

/** `YYYY-MM-DD` → `YYYYMMDD`, the form both vendors take in parameters. */
export const compactDay = (d: string): string => d.replace(/-/g, '');

const DAY_MS = 86_400_000;
const toMs = (d: string): number => Date.parse(`${d}T00:00:00Z`);
const fromMs = (ms: number): TradingDay => new Date(ms).toISOString().slice(0, 10) as TradingDay;

/** Calendar days from `from` to `to` inclusive (0 when `to` < `from`). */
export const calendarDaysBetween = (from: string, to: string): number => Math.max(0, Math.round((toMs(to) - toMs(from)) / DAY_MS) + 1);

export const addDays = (d: string, n: number): TradingDay => fromMs(toMs(d) + n * DAY_MS);

/** Splits [from, to] into consecutive non-overlapping ranges of at most `span` calendar days. */
export function splitRange(from: TradingDay, to: TradingDay, span: number): Array<[TradingDay, TradingDay]> {
  const out: Array<[TradingDay, TradingDay]> = [];
  const step = Math.max(1, Math.floor(span));
  for (let a: TradingDay = from; a <= to; a = addDays(a, step)) {
    const b = addDays(a, step - 1);
    out.push([a, b < to ? b : to]);
  }
  return out;
}
