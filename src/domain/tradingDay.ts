import type { Brand } from './brand.js';

/** A calendar date in exchange time, `YYYY-MM-DD`. China has no daylight saving: exchange time is UTC+08:00. */
export type TradingDay = Brand<string, 'TradingDay'>;

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Beijing time offset; fixed, no DST. */
export const EXCHANGE_UTC_OFFSET_MS = 8 * HOUR_MS;

export function isTradingDayString(s: string): boolean {
  const m = DAY_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Parses `YYYY-MM-DD` (or `YYYYMMDD`, the vendors' form); returns undefined when it is not a real date. */
export function parseTradingDay(s: string): TradingDay | undefined {
  const v = /^\d{8}$/.test(s) ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}` : s;
  return isTradingDayString(v) ? (v as TradingDay) : undefined;
}

export function asTradingDay(s: string): TradingDay {
  const d = parseTradingDay(s);
  if (d === undefined) throw new RangeError(`not a valid date (YYYY-MM-DD): ${JSON.stringify(s)}`);
  return d;
}

/** Epoch milliseconds of `hh:mm` exchange time on `day`. */
export function exchangeTimeMs(day: TradingDay, hh: number, mm = 0): number {
  const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, mo - 1, d, hh, mm) - EXCHANGE_UTC_OFFSET_MS;
}

/** The exchange-time calendar date of an epoch-millisecond instant. */
export function dayOfMs(ms: number): TradingDay {
  return new Date(ms + EXCHANGE_UTC_OFFSET_MS).toISOString().slice(0, 10) as TradingDay;
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function weekdayOf(day: TradingDay): number {
  const wd = new Date(`${day}T00:00:00Z`).getUTCDay();
  return wd === 0 ? 7 : wd;
}

export function addCalendarDays(day: TradingDay, n: number): TradingDay {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10) as TradingDay;
}

/** Calendar days from `a` to `b` (positive when b is later). */
export function calendarDaysBetween(a: TradingDay, b: TradingDay): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}
