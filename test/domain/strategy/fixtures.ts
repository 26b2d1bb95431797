import type { DayBars } from '../../../src/domain/bars.js';
import type { PortfolioView } from '../../../src/domain/views/portfolioView.js';

/** One day of bars where only closes matter (CNY × 1000 = 0.001 CNY); symbols sorted ascending. */
export function closesOn(day: string, closes: Readonly<Record<string, number>>): DayBars {
  const symbols = Object.keys(closes).sort();
  const c = symbols.map((s) => Math.round(closes[s]! * 1000));
  return {
    day, symbols, open: c, high: c, low: c, close: c, volume: c.map(() => 1_000), amountFen: c.map(() => 0),
    preClose: c.map(() => null), isSt: c.map(() => 0 as const),
  };
}

/** A portfolio holding 100 shares of each symbol in `held`. */
export function holding(held: readonly string[]): PortfolioView {
  return {
    day: null, cashFen: 0, positionCount: held.length, equityFen: () => 0,
    position: (s) => (held.includes(s) ? { symbol: s, qty: 100, sellable: 100, costFen: 0, lastPrice: 0 } : undefined),
  };
}

/** Consecutive weekdays from 2024-01-02 (a Tuesday); enough for short hand-made series. */
export const dayN = (i: number): string => `2024-01-${String(i + 2).padStart(2, '0')}`;
