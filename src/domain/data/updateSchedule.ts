import type { TradingCalendar } from '../calendar/tradingCalendar.js';
import type { TradingDay } from '../tradingDay.js';
import { addCalendarDays, dayOfMs, exchangeTimeMs } from '../tradingDay.js';

/** Trading hours the scheduler must stay out of: opening auction to the end of after-hours trading (§5). */
const BUSY_FROM = 9 * 60 + 15, BUSY_TO = 15 * 60 + 30;

export type UpdateTimeCheck = { ok: true; hh: number; mm: number } | { ok: false; message: string };

/** Parses `HH:MM` (exchange time, Asia/Shanghai) and refuses a time inside trading hours. */
export function parseUpdateTime(s: string): UpdateTimeCheck {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(s);
  if (!m) return { ok: false, message: `update time ${JSON.stringify(s)} is not HH:MM` };
  const hh = Number(m[1]), mm = Number(m[2]);
  const t = hh * 60 + mm;
  if (t >= BUSY_FROM && t <= BUSY_TO) return { ok: false, message: `update time ${s} falls inside trading hours (09:15–15:30 Asia/Shanghai); pick a time after the close` };
  return { ok: true, hh, mm };
}

/**
 * When the daily update runs next: at `hh:mm` Asia/Shanghai (UTC+8, no DST) on a trading day, the
 * first such moment strictly after `nowMs`. Vendors publish daily bars after the close, so only
 * trading days count; beyond the calendar's last day, weekdays are assumed.
 */
export function nextUpdateAt(nowMs: number, time: { hh: number; mm: number }, calendar: TradingCalendar): number {
  let day = dayOfMs(nowMs) as TradingDay;
  for (let i = 0; i < 30; i++, day = addCalendarDays(day, 1)) {
    const open = day >= calendar.firstDay && day <= calendar.lastDay
      ? calendar.isTradingDay(day)
      : new Date(`${day}T00:00:00Z`).getUTCDay() % 6 !== 0;
    const at = exchangeTimeMs(day, time.hh, time.mm);
    if (open && at > nowMs) return at;
  }
  throw new RangeError('no trading day within 30 days of now');
}
