import type { DayBars } from '../bars.js';
import type { PortfolioView } from '../views/portfolioView.js';

/** Point-in-time fundamentals of one symbol; null fields are unknown. */
export interface StrategyFundamentals {
  /** Price / earnings (TTM); ≤ 0 or null when earnings are not usable. */
  readonly pe: number | null;
  /** Price / book. */
  readonly pb: number | null;
  /** Return on equity, a fraction (0.15 = 15%). */
  readonly roe: number | null;
  /** Industry code (e.g. SW level 1), null when unclassified. */
  readonly industry: string | null;
  /** News and forum sentiment at this close (domain/sentiment/factor), in [-1, 1]; null or absent when none is known. */
  readonly sentiment?: number | null;
}

/**
 * Fundamentals as known at the close of the day being decided — point-in-time by construction of
 * the caller (only reports published before that day), so a strategy cannot peek ahead. Named apart
 * from `fundamentals/FundamentalsView` (a (symbol, day, price) → ratios function): strategies see one
 * day's snapshot with the industry attached; `strategyFundamentals` builds it from that view.
 */
export interface StrategyFundamentalsView {
  get(symbol: string): StrategyFundamentals | undefined;
}

/**
 * A strategy that answers with target weights instead of signals (portfolio rotation). Same fold
 * contract as `Strategy`: state is a fold of `BarsClosed`; `onBars` may mutate and return it;
 * `clone` copies it for snapshots. `targets` is pure: symbol → weight of equity (each ≥ 0, summing to
 * ≤ 1, the rest cash), or null when the strategy does not rebalance today (off-schedule or not
 * warm). A name held but absent from the map has target 0.
 */
export interface TargetWeightStrategy<S> {
  readonly name: string;
  init(): S;
  onBars(state: S, bars: DayBars): S;
  targets(state: S, bars: DayBars, portfolio: PortfolioView, fundamentals?: StrategyFundamentalsView): ReadonlyMap<string, number> | null;
  clone(state: S): S;
}

const bySymbol = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The `topN` highest scores (ties: symbol ascending), 1/min(topN, #scores) each; null when there is
 * nothing to rank. Non-finite scores are not ranked.
 */
export function topNEqualWeights(scores: ReadonlyMap<string, number>, topN: number): Map<string, number> | null {
  const ranked = [...scores].filter(([, v]) => Number.isFinite(v)).sort((a, b) => b[1] - a[1] || bySymbol(a[0], b[0]));
  const chosen = ranked.slice(0, topN);
  if (chosen.length === 0) return null;
  return new Map(chosen.map(([s]) => [s, 1 / chosen.length]));
}
