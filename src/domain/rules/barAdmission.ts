import type { DayBars } from '../bars.js';
import type { TradingCalendar } from '../calendar/tradingCalendar.js';
import type { Board } from '../market/board.js';
import { weekdayOf, type TradingDay } from '../tradingDay.js';
import type { MarketRules } from './marketRules.js';
import { RULE_FILES } from './ruleTables.js';

/**
 * What a bar must satisfy before anything trades on it, by the rule tables: its code lies in a
 * board's code range (boards.yaml, ashare-market-rules.md §1.1), its day is a trading day of the
 * exchange calendar (holidays.yaml, §10), and its prices are on the board's price tick (trading.yaml,
 * §2.3: RMB 0.01 for A-shares, 0.001 for funds). Bar readers check this at the edge, so the
 * matcher's own assertion (prices on the tick) never meets bad data.
 */
export type BarRules = Pick<MarketRules, 'calendar' | 'boardOf' | 'tickMilli'>;

export type CodeAdmission =
  | { readonly assigned: true; readonly board: Board; readonly tickMilli: number | null }
  | { readonly assigned: false };

/** Board and tick (0.001 CNY; null when the tables give the board none, e.g. indices) of a code, or unassigned. */
export function admitCode(rules: BarRules, symbol: string): CodeAdmission {
  let board: Board;
  try { board = rules.boardOf(symbol); } catch { return { assigned: false }; }
  let tickMilli: number | null;
  try { tickMilli = rules.tickMilli(symbol); } catch { tickMilli = null; }
  return { assigned: true, board, tickMilli };
}

/** `closed`: inside the calendar's table but the exchange did not trade; `uncovered`: outside the table. */
export type DayStatus = 'trading' | 'closed' | 'uncovered';

export function dayStatus(calendar: TradingCalendar, day: TradingDay): DayStatus {
  if (day < calendar.firstDay || day > calendar.lastDay) return 'uncovered';
  return calendar.isTradingDay(day) ? 'trading' : 'closed';
}

export type PriceField = 'open' | 'high' | 'low' | 'close';
const FIELDS: readonly PriceField[] = ['open', 'high', 'low', 'close'];

/** The price fields (0.001 CNY) not a whole number of ticks, in OHLC order; empty when all are on it. */
export function offTickFields(bar: Readonly<Record<PriceField, number>>, tickMilli: number): PriceField[] {
  return FIELDS.filter((f) => bar[f] % tickMilli !== 0);
}

const WEEKDAY = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Why a day is refused, as a clause (no file or line): the caller names where it came from. */
export function dayProblem(calendar: TradingCalendar, day: TradingDay, status: Exclude<DayStatus, 'trading'>): string {
  if (status === 'uncovered') {
    return `the exchange calendar (config/market/${RULE_FILES.calendar}, ${calendar.firstDay} … ${calendar.lastDay}) does not cover ${day}`;
  }
  const wd = weekdayOf(day);
  return `${day} is not a trading day (the exchange was closed: ${wd > 5 ? `a ${WEEKDAY[wd]}` : `a ${WEEKDAY[wd]} holiday`})`;
}

export const unassignedCodeProblem = (symbol: string): string =>
  `${symbol} is not an assigned A-share code: no board in config/market/${RULE_FILES.boards} covers its prefix`;

/** `p` (0.001 CNY) as CNY with 3 decimals, exactly. */
const cny3 = (p: number): string => `${Math.trunc(p / 1000)}.${String(Math.abs(p % 1000)).padStart(3, '0')}`;

export function offTickProblem(fields: readonly PriceField[], bar: Readonly<Record<PriceField, number>>, tickMilli: number): string {
  const what = fields.map((f) => `${f} ${cny3(bar[f])}`).join(', ');
  return `${what} ${fields.length > 1 ? 'are' : 'is'} off the ${tickMilli / 1000} CNY price tick (adjusted prices? orders need raw exchange prices)`;
}

export interface BarAdmissionOptions {
  /** Codes accepted although no board's range holds them (e.g. an instruments file's symbols). */
  readonly knownSymbols?: ReadonlySet<string>;
  /** Keep bars on days the exchange was closed; days beyond the calendar are refused regardless. */
  readonly allowNonTradingDays?: boolean;
}

export interface BarProblem {
  readonly symbol: string;
  readonly day: string;
  /** A clause naming what is wrong (not the source). */
  readonly problem: string;
}

/**
 * The first bar of `days` (in day, then symbol order) that breaks the admission rules above, or
 * undefined. For bars that come without file lines (the market store); the CSV reader checks the
 * same rules row by row.
 */
export function firstBarProblem(days: readonly DayBars[], rules: BarRules, opts: BarAdmissionOptions = {}): BarProblem | undefined {
  const codes = new Map<string, CodeAdmission>();
  for (const b of days) {
    const status = dayStatus(rules.calendar, b.day as TradingDay);
    if (status === 'uncovered' || (status === 'closed' && !opts.allowNonTradingDays)) {
      return { symbol: b.symbols[0] ?? '', day: b.day, problem: dayProblem(rules.calendar, b.day as TradingDay, status) };
    }
    for (let i = 0; i < b.symbols.length; i++) {
      const s = b.symbols[i]!;
      let c = codes.get(s);
      if (c === undefined) codes.set(s, (c = admitCode(rules, s)));
      if (!c.assigned) {
        if (opts.knownSymbols?.has(s)) continue;
        return { symbol: s, day: b.day, problem: unassignedCodeProblem(s) };
      }
      if (c.tickMilli === null) continue;
      const bar = { open: b.open[i]!, high: b.high[i]!, low: b.low[i]!, close: b.close[i]! };
      const off = offTickFields(bar, c.tickMilli);
      if (off.length > 0) return { symbol: s, day: b.day, problem: offTickProblem(off, bar, c.tickMilli) };
    }
  }
  return undefined;
}
