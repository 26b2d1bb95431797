import { barAt, type Bar, type DayBars } from '../../../src/domain/bars.js';
import type { TradingCalendar } from '../../../src/domain/calendar/tradingCalendar.js';
import { loadHolidayCalendar } from '../../../src/adapters/market/calendarFile.js';

/** The exchange calendar from config/market/holidays.yaml (the file the app ships). */
export function realCalendar(): TradingCalendar {
  const r = loadHolidayCalendar();
  if (r._tag === 'Left') throw new Error(r.left.message);
  return r.right;
}

/** Every bar of a run as rows, in day then symbol order. */
export const rowsOf = (days: Iterable<DayBars>): Bar[] => [...days].flatMap((b) => b.symbols.map((_, i) => barAt(b, i)));
