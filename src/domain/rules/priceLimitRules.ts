import type { Board, LimitPrices } from '../market/board.js';
import { limitPrices } from '../market/board.js';
import { calendarDaysBetween, type TradingDay } from '../tradingDay.js';
import { bandKeys } from './checkRuleTables.js';
import { buildKeyedIndex } from './datedIndex.js';
import { RULE_FILES, type PriceLimitTable } from './ruleTables.js';

/**
 * Daily price limits (ashare-market-rules.md §2.1–§2.3) from the dated band table, plus the IPO rules
 * of §2.2 keyed by listing date: no limit on the first N trading days (STAR, ChiNext from 2020-08-24,
 * main board from 2023-04-10, BSE listing day), or a listing-day band of the offer price
 * (+44%/−36% before those reforms). Prices are 0.001 CNY, rounded half-up to the tick by `limitPrices`.
 */
export interface PriceLimitInput {
  readonly board: Board;
  readonly tickMilli: number;
  readonly day: TradingDay;
  /** Previous-close reference (ex-rights reference on an ex-date); the offer price on a listing day. */
  readonly refPrice: number;
  readonly isSt: boolean;
  readonly listDay: TradingDay | null;
}

/**
 * IPO windows are at most 20 trading days (schema); 60 calendar days always hold more than 20
 * trading days (the longest closure is ten weekdays), so later days need no calendar lookup —
 * backtests past the calendar's end keep working for stocks listed long before.
 */
const IPO_HORIZON_CALENDAR_DAYS = 60;

export function createPriceLimits(
  table: PriceLimitTable,
  /** Trading days in [a, b], both inclusive; throws outside the calendar. */
  tradingDaysInclusive: (a: TradingDay, b: TradingDay) => number,
): (q: PriceLimitInput) => LimitPrices | null {
  const bands = buildKeyedIndex(table.bands, bandKeys);
  const ipo = buildKeyedIndex(table.ipo, (r) => r.boards);

  return (q) => {
    if (q.listDay !== null) {
      if (q.day < q.listDay) throw new RangeError(`priceLimits: ${q.day} is before the listing day ${q.listDay}`);
      const rule = ipo.get(q.board)?.at(q.listDay)[0];
      if (rule && calendarDaysBetween(q.listDay, q.day) < IPO_HORIZON_CALENDAR_DAYS) {
        const n = tradingDaysInclusive(q.listDay, q.day);
        if (rule.noLimitDays !== undefined && n <= rule.noLimitDays) return null;
        if (rule.listingDayBand && n <= 1) {
          return {
            up: limitPrices(q.refPrice, rule.listingDayBand.up, q.tickMilli).up,
            down: limitPrices(q.refPrice, rule.listingDayBand.down, q.tickMilli).down,
          };
        }
      }
    }
    const key = `${q.board}/${q.isSt ? 'st' : 'normal'}`;
    const row = bands.get(key)?.at(q.day)[0];
    if (!row) throw new RangeError(`${RULE_FILES.priceLimits} has no band for ${key} on ${q.day}`);
    return limitPrices(q.refPrice, row.band, q.tickMilli);
  };
}
