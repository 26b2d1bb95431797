import type { TradingDay } from '../tradingDay.js';

/**
 * The exchange calendar: which dates trade. SSE, SZSE and BSE share one calendar; weekends never
 * trade (make-up working weekends included). Built from a table of weekday closures (config/market).
 */
export interface TradingCalendar {
  /** First and last date the table covers; outside it the calendar cannot answer. */
  readonly firstDay: TradingDay;
  readonly lastDay: TradingDay;
  isTradingDay(day: TradingDay): boolean;
  /** The next trading day strictly after `day`. */
  next(day: TradingDay): TradingDay;
  /** The trading day strictly before `day`. */
  previous(day: TradingDay): TradingDay;
  /** Trading days in [from, to], ascending. */
  range(from: TradingDay, to: TradingDay): TradingDay[];
}
