import { ANNUALISATION_DAYS, stdev } from './metrics.js';

const mean = (x: readonly number[]): number => (x.length ? x.reduce((a, b) => a + b, 0) / x.length : 0);

/**
 * Downside deviation of daily returns below a target of 0: √(Σ min(r_t, 0)² / N), where N counts
 * ALL days (days above the target contribute 0) — the Sortino & Price convention, the one
 * empyrical/pyfolio use. Daily, not annualised.
 */
export function downsideDeviation(returns: readonly number[]): number {
  if (returns.length === 0) return 0;
  return Math.sqrt(returns.reduce((a, r) => a + Math.min(r, 0) ** 2, 0) / returns.length);
}

/** Sortino ratio: mean daily return / daily downside deviation (target 0) × √252; null when no day lost. */
export function sortino(returns: readonly number[]): number | null {
  const dd = downsideDeviation(returns);
  return dd === 0 ? null : (mean(returns) / dd) * Math.sqrt(ANNUALISATION_DAYS);
}

/** Calmar ratio: CAGR / max drawdown (both over the whole run); null without a drawdown. */
export function calmar(cagr: number, maxDrawdown: number): number | null {
  return maxDrawdown > 0 ? cagr / maxDrawdown : null;
}

export interface RelativeMetrics {
  /** Jensen's alpha: OLS intercept of daily excess returns × 252 (simple annualisation). */
  readonly alpha: number | null;
  /** OLS slope of the strategy's daily excess returns on the benchmark's. */
  readonly beta: number | null;
  /** Sample sd of daily active returns (strategy − benchmark) × √252. */
  readonly trackingError: number;
  /** Mean daily active return / its sample sd × √252; null when the tracking error is 0. */
  readonly informationRatio: number | null;
  readonly days: number;
}

/**
 * Alpha/beta and information ratio from two aligned series of DAILY returns (same days, same order).
 * Excess returns subtract a daily risk-free rate of riskFreeAnnual / 252 (0 by default).
 */
export function relativeMetrics(strategy: readonly number[], benchmark: readonly number[], riskFreeAnnual = 0): RelativeMetrics {
  if (strategy.length !== benchmark.length) throw new Error(`relativeMetrics: ${strategy.length} strategy returns vs ${benchmark.length} benchmark returns`);
  const rf = riskFreeAnnual / ANNUALISATION_DAYS;
  const y = strategy.map((r) => r - rf);
  const x = benchmark.map((r) => r - rf);
  const mx = mean(x), my = mean(y);
  let sxx = 0, sxy = 0;
  for (let i = 0; i < x.length; i++) { sxx += (x[i]! - mx) ** 2; sxy += (x[i]! - mx) * (y[i]! - my); }
  const beta = x.length >= 2 && sxx > 0 ? sxy / sxx : null;
  const alpha = beta === null ? null : (my - beta * mx) * ANNUALISATION_DAYS;
  const active = strategy.map((r, i) => r - benchmark[i]!);
  const te = stdev(active);
  return {
    alpha, beta, trackingError: te * Math.sqrt(ANNUALISATION_DAYS),
    informationRatio: te === 0 ? null : (mean(active) / te) * Math.sqrt(ANNUALISATION_DAYS), days: x.length,
  };
}
