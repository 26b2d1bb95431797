import { type DayBars, indexOfSymbol } from '../bars.js';
import type { FundamentalsView } from '../fundamentals/fundamentalsView.js';
import type { StrategyFundamentalsView } from './targetWeights.js';

/**
 * One day's `StrategyFundamentalsView` over the point-in-time ratios view: PE/PB/ROE at the symbol's
 * close of `bars.day` from reports published strictly before that day. Symbols that did not trade
 * that day, or without any report, are undefined. `industryOf` supplies the classification (null =
 * unclassified). Note the ratios view gives a loss-maker PE null (not negative), so `multiFactor`
 * ranks it without the value factor.
 */
export function strategyFundamentals(
  view: FundamentalsView, bars: DayBars, industryOf: (symbol: string) => string | null,
  /** The sentiment factor at this close (domain/sentiment/factor), null when none is known. */
  sentimentOf: (symbol: string) => number | null = () => null,
): StrategyFundamentalsView {
  return {
    get(symbol) {
      const i = indexOfSymbol(bars, symbol);
      if (i < 0) return undefined;
      const r = view(symbol, bars.day, bars.close[i]!);
      const sentiment = sentimentOf(symbol);
      if (!r && sentiment === null) return undefined;
      return { pe: r?.pe ?? null, pb: r?.pb ?? null, roe: r?.roe ?? null, industry: industryOf(symbol), ...(sentiment !== null ? { sentiment } : {}) };
    },
  };
}
