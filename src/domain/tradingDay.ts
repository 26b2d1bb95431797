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

// The last day dayOfMs formatted: events come in time order, so most calls fall on the same day.
let lastDayIndex = NaN;
let lastDay = '' as TradingDay;

/** The exchange-time calendar date of an epoch-millisecond instant. */
export function dayOfMs(ms: number): TradingDay {
  const index = Math.floor((ms + EXCHANGE_UTC_OFFSET_MS) / 86_400_000);
  if (index === lastDayIndex) return lastDay;
  const day = new Date(ms + EXCHANGE_UTC_OFFSET_MS).toISOString().slice(0, 10) as TradingDay;
  lastDayIndex = index;
  lastDay = day;
  return day;
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

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * Epoch ms as exchange time in ISO 8601 with its offset: `2024-03-01T09:30:00+08:00`, or with
 * milliseconds `2024-03-01T09:30:00.250+08:00`.
 */
export function formatExchangeTime(ms: number, millis = false): string {
  const d = new Date(ms + EXCHANGE_UTC_OFFSET_MS);
  const s = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  return `${s}${millis ? `.${String(d.getUTCMilliseconds()).padStart(3, '0')}` : ''}+08:00`;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * `YYYY-MM-DD[T ]HH:MM[:SS[.fff]]` with an optional `Z` or `±HH[:]MM` offset; without one it is
 * exchange time (Asia/Shanghai). Epoch ms, or null for anything else — impossible dates (02-30)
 * included, which `Date.parse` would roll over.
 */
export function parseExchangeDateTime(text: string): number | null {
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  const s = Number(m[6] ?? '0');
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate() || h > 23 || mi > 59 || s > 59) return null;
  const z = m[8];
  let offset = EXCHANGE_UTC_OFFSET_MS;
  if (z === 'Z') offset = 0;
  else if (z !== undefined) {
    const oh = Number(z.slice(1, 3)), om = Number(z.slice(-2));
    if (oh > 23 || om > 59) return null;
    offset = (z[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offset;
}
