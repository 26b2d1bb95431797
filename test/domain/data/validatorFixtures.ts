import { loadMarketRules } from '../../../src/adapters/market/marketRulesFile.js';
import type { Bar } from '../../../src/domain/bars.js';
import type { MarketRules } from '../../../src/domain/rules/marketRules.js';
import type { SecuritySymbol } from '../../../src/domain/symbol.js';
import type { TradingDay } from '../../../src/domain/tradingDay.js';

export const rules: MarketRules = (() => {
  const r = loadMarketRules();
  if (r._tag === 'Left') throw new Error(r.left.message);
  return r.right;
})();

/** A sound bar around `close` (0.001 CNY): open = preClose, a 1% range, amount at the close. */
export function bar(symbol: string, day: string, close: number, preClose: number | null, over: Partial<Bar> = {}): Bar {
  const open = preClose ?? close;
  const volume = 100_000;
  return {
    symbol: symbol as SecuritySymbol, day: day as TradingDay, open, close,
    high: Math.max(open, close) + 50, low: Math.min(open, close) - 50,
    volume, amountFen: Math.round((volume * close) / 10), preClose, isSt: 0, ...over,
  };
}

/**
 * `n` consecutive trading days from `from` of one symbol, closes zig-zagging ±0.5% around 10 CNY
 * (each preClose the previous close): a clean series with history enough for the outlier check.
 */
export function series(symbol: string, from: string, n: number): Bar[] {
  const days = rules.calendar.range(from as TradingDay, '2026-12-31' as TradingDay).slice(0, n);
  let prev: number | null = null;
  return days.map((d, i) => {
    const close = i % 2 === 0 ? 10_000 : 10_050;
    const b = bar(symbol, d, close, prev);
    prev = close;
    return b;
  });
}
