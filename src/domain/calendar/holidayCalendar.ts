import { addCalendarDays, isTradingDayString, weekdayOf, type TradingDay } from '../tradingDay.js';
import type { TradingCalendar } from './tradingCalendar.js';

/**
 * A calendar from the exchanges' weekday closures (config/market/holidays.yaml): every weekday in
 * [firstDay, lastDay] trades unless listed; weekends never trade, make-up working weekends included
 * (ashare-market-rules.md §10.1). The trading days are precomputed once into a sorted array so that
 * `next`/`previous` are a binary search and `range` a slice.
 *
 * Questions the table cannot answer (a day outside [firstDay, lastDay], or `next` past the last
 * trading day of the table) throw: silently assuming "weekday = trading day" there would let a
 * backtest run on days the exchange was closed.
 */
export function createHolidayCalendar(
  closures: readonly TradingDay[],
  firstDay: TradingDay,
  lastDay: TradingDay,
): TradingCalendar {
  for (const d of [firstDay, lastDay]) {
    if (!isTradingDayString(d)) throw new RangeError(`calendar bound is not a date (YYYY-MM-DD): ${JSON.stringify(d)}`);
  }
  if (firstDay > lastDay) throw new RangeError(`calendar firstDay ${firstDay} is after lastDay ${lastDay}`);
  const closed = new Set<string>();
  for (const c of closures) {
    if (!isTradingDayString(c)) throw new RangeError(`closure is not a date (YYYY-MM-DD): ${JSON.stringify(c)}`);
    if (c < firstDay || c > lastDay) throw new RangeError(`closure ${c} lies outside the calendar ${firstDay}…${lastDay}`);
    if (weekdayOf(c) > 5) throw new RangeError(`closure ${c} is a weekend day; list weekday closures only`);
    if (closed.has(c)) throw new RangeError(`closure ${c} is listed twice`);
    closed.add(c);
  }

  const days: TradingDay[] = [];
  for (let d = firstDay; d <= lastDay; d = addCalendarDays(d, 1)) {
    if (weekdayOf(d) <= 5 && !closed.has(d)) days.push(d);
  }
  const open = new Set<string>(days);

  const checkInside = (day: TradingDay, what: string): void => {
    if (!isTradingDayString(day)) throw new RangeError(`${what}: not a date (YYYY-MM-DD): ${JSON.stringify(day)}`);
    if (day < firstDay || day > lastDay) {
      throw new RangeError(`${what}: ${day} lies outside the holiday table ${firstDay}…${lastDay}`);
    }
  };
  /** Index of the first trading day > day (days.length when none). */
  const upperBound = (day: string): number => {
    let lo = 0, hi = days.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (days[mid]! <= day) lo = mid + 1; else hi = mid;
    }
    return lo;
  };
  /** Index of the first trading day >= day. */
  const lowerBound = (day: string): number => {
    let lo = 0, hi = days.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (days[mid]! < day) lo = mid + 1; else hi = mid;
    }
    return lo;
  };

  return Object.freeze({
    firstDay,
    lastDay,
    isTradingDay(day: TradingDay): boolean {
      checkInside(day, 'isTradingDay');
      return open.has(day);
    },
    next(day: TradingDay): TradingDay {
      checkInside(day, 'next');
      const d = days[upperBound(day)];
      if (d === undefined) throw new RangeError(`next: no trading day after ${day} within the holiday table (ends ${lastDay})`);
      return d;
    },
    previous(day: TradingDay): TradingDay {
      checkInside(day, 'previous');
      const d = days[lowerBound(day) - 1];
      if (d === undefined) throw new RangeError(`previous: no trading day before ${day} within the holiday table (starts ${firstDay})`);
      return d;
    },
    range(from: TradingDay, to: TradingDay): TradingDay[] {
      checkInside(from, 'range');
      checkInside(to, 'range');
      return from > to ? [] : days.slice(lowerBound(from), upperBound(to));
    },
  });
}
