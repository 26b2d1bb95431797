import { createHolidayCalendar } from '../calendar/holidayCalendar.js';
import { canonicalHash } from '../hash.js';
import type { Board, LotRule } from '../market/board.js';
import type { TradingDay } from '../tradingDay.js';
import { checkMarketRuleTables, sessionKeys } from './checkRuleTables.js';
import { buildKeyedIndex } from './datedIndex.js';
import { createFees } from './feeRules.js';
import type { MarketRules, Session } from './marketRules.js';
import { createPriceLimits } from './priceLimitRules.js';
import { RULE_FILES, type MarketRuleTables } from './ruleTables.js';

const SYMBOL_RE = /^(\d{6})\.(SH|SZ|BJ)$/;

/**
 * The MarketRules port from parsed rule tables (pure). Everything a per-order or per-bar call needs is
 * precomputed here: prefix → board maps, per-board tick and lot rules, per-key dated indexes (one
 * binary search per lookup), frozen session lists and the calendar's trading days. Throws a RangeError
 * listing every cross-row problem (`checkMarketRuleTables`) — the file loader reports those first.
 * `version` is the SHA-256 of the canonical tables, so a run can record exactly which rules it used.
 */
export function createMarketRules(tables: MarketRuleTables): MarketRules {
  const issues = checkMarketRuleTables(tables);
  if (issues.length > 0) throw new RangeError(`market rule tables are inconsistent: ${issues.join('; ')}`);
  const version = canonicalHash(tables);
  const { firstDay, lastDay, closures } = tables.calendar;
  const calendar = createHolidayCalendar(closures, firstDay, lastDay);
  const days = calendar.range(firstDay, lastDay);

  /** Index of the first trading day >= day (or > day with `after`). */
  const bound = (day: string, after: boolean): number => {
    let lo = 0, hi = days.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (days[mid]! < day || (after && days[mid] === day)) lo = mid + 1; else hi = mid;
    }
    return lo;
  };
  const tradingDaysInclusive = (a: TradingDay, b: TradingDay): number => {
    for (const d of [a, b]) if (d < firstDay || d > lastDay) throw new RangeError(`cannot count trading days from ${a} to ${b}: ${d} lies outside the calendar ${firstDay}…${lastDay}`);
    return Math.max(0, bound(b, true) - bound(a, false));
  };

  // Boards: longest prefix first (3, 2, then 1 digit), per exchange.
  const prefixBoard = new Map<string, Board>();
  for (const r of tables.boards) for (const p of r.prefixes) prefixBoard.set(`${r.exchange}:${p}`, r.board);
  const boardCache = new Map<string, Board>();
  const boardOf = (symbol: string): Board => {
    const hit = boardCache.get(symbol);
    if (hit !== undefined) return hit;
    const m = SYMBOL_RE.exec(symbol);
    if (!m) throw new RangeError(`not a suffixed A-share code (e.g. 600519.SH): ${JSON.stringify(symbol)}`);
    const [, code, ex] = m as unknown as [string, string, string];
    const board = prefixBoard.get(`${ex}:${code.slice(0, 3)}`) ?? prefixBoard.get(`${ex}:${code.slice(0, 2)}`) ?? prefixBoard.get(`${ex}:${code.slice(0, 1)}`);
    if (board === undefined) throw new RangeError(`no board known for code prefix of ${symbol} (${RULE_FILES.boards})`);
    boardCache.set(symbol, board);
    return board;
  };

  const ticks = new Map<Board, number>();
  for (const r of tables.trading.ticks) for (const b of r.boards) ticks.set(b, r.tick);
  const lots = new Map<Board, LotRule>();
  for (const r of tables.trading.lots) for (const b of r.boards) lots.set(b, Object.freeze({ minBuy: r.minBuy, step: r.step }));
  const need = <T>(m: Map<Board, T>, board: Board, what: string, symbol: string): T => {
    const v = m.get(board);
    if (v === undefined) throw new RangeError(`${RULE_FILES.trading} has no ${what} row for board ${board} (${symbol})`);
    return v;
  };
  const tickMilli = (symbol: string): number => need(ticks, boardOf(symbol), 'tick', symbol);

  const maxOrder = buildKeyedIndex(tables.trading.maxOrderSize, (r) => r.boards.map((b) => `${b}/${r.orderType}`));
  const sessionIndex = buildKeyedIndex(tables.trading.sessions, sessionKeys);
  const sessionLists = new Map<readonly unknown[], readonly Session[]>();
  const noSessions: readonly Session[] = Object.freeze([]);

  const priceLimits = createPriceLimits(tables.priceLimits, tradingDaysInclusive);
  const fees = createFees(tables.fees);

  return Object.freeze({
    version,
    calendar,
    boardOf,
    tickMilli,
    lotRule: (symbol: string): LotRule => need(lots, boardOf(symbol), 'lot', symbol),
    maxOrderQty(symbol: string, orderType: 'market' | 'limit', day: TradingDay): number | null {
      return maxOrder.get(`${boardOf(symbol)}/${orderType}`)?.at(day)[0]?.maxQty ?? null;
    },
    priceLimits: (q) => {
      const board = boardOf(q.symbol);
      return priceLimits({ board, tickMilli: need(ticks, board, 'tick', q.symbol), day: q.day, refPrice: q.refPrice, isSt: q.isSt, listDay: q.listDay });
    },
    fees: (q) => fees({ ...q, board: boardOf(q.symbol) }),
    sessions(symbol: string, day: TradingDay): readonly Session[] {
      const rows = sessionIndex.get(`${symbol.slice(7)}:${boardOf(symbol)}`)?.at(day);
      if (!rows || rows.length === 0) return noSessions;
      let list = sessionLists.get(rows);
      if (!list) {
        list = Object.freeze([...rows].sort((a, b) => (a.start < b.start ? -1 : 1)).map((r) => Object.freeze({
          phase: r.phase, start: r.start, end: r.end, acceptsOrders: r.acceptsOrders, acceptsCancels: r.acceptsCancels,
        })));
        sessionLists.set(rows, list);
      }
      return list;
    },
  } satisfies MarketRules);
}
