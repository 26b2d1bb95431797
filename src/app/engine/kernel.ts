import type { BackAdjustState, DataOf, DayBars, DomainEvent, Strategy, TargetWeightStrategy } from '../../domain/index.js';
import { backAdjust, cloneBackAdjustState, newBackAdjustState } from '../../domain/index.js';
import type { OwnedFundamentals } from '../../domain/fundamentals/index.js';
import type { ReturnsWindow } from '../../domain/portfolio/index.js';
import type { AtrWindow } from '../../domain/risk/atrWindow.js';
import { cloneAtrWindow, newAtrWindow, pushAtr } from '../../domain/risk/atrWindow.js';
import { cloneReturnsWindow, newReturnsWindow, pushReturns } from '../../domain/portfolio/index.js';
import { appendFundamentals, cloneOwnedFundamentals, newOwnedFundamentals } from '../../domain/fundamentals/index.js';
import type { OwnedSentiment } from '../../domain/sentiment/index.js';
import { appendSentiment, cloneOwnedSentiment, newOwnedSentiment } from '../../domain/sentiment/index.js';
import type { ExecutionState, Projections } from '../../projections/index.js';
import { emptyExecution, emptyProjections, evolveExecution, evolveProjections } from '../../projections/index.js';

/** A signal strategy or a target-weight strategy: both fold the bars the same way. */
export type AnyStrategy<S> = Strategy<S> | TargetWeightStrategy<S>;
export const isTargetWeightStrategy = <S>(s: AnyStrategy<S>): s is TargetWeightStrategy<S> => 'targets' in s;

/** Everything the deciders read: the projections plus the strategy's own fold of the bars. */
export interface Kernel<S> {
  readonly run: DataOf<'RunStarted'> | null;
  readonly projections: Projections;
  readonly strategyState: S;
  /** Backward adjustment state (owned, updated in place) and the latest day's adjusted bars. */
  readonly adjust: BackAdjustState;
  readonly adjustedBars: DayBars | null;
  /** Point-in-time fundamentals: reports are usable from the day after their announcement. */
  readonly fundamentals: OwnedFundamentals;
  /** News and forum sentiment per symbol (SentimentScored with a symbol and a day; owned, updated in place). */
  readonly sentiment: OwnedSentiment;
  /**
   * Recent daily returns of adjusted closes per symbol (owned, updated in place), for the optimizers
   * of a target-weight strategy; null for a signal strategy, which never reads them (nor keeps or
   * copies them for every replayed day).
   */
  readonly returns: ReturnsWindow | null;
  /** Wilder ATR of raw bars per symbol (owned, updated in place), for ATR stops and volatility-target sizing. */
  readonly atr: AtrWindow;
  /** The orders on their way to and at the broker (what to release, what a broker's report adds). */
  readonly exec: ExecutionState;
}

export const initialKernel = <S>(strategy: AnyStrategy<S>, atrPeriod = 14): Kernel<S> => ({
  run: null, projections: emptyProjections, strategyState: strategy.init(), adjust: newBackAdjustState(), adjustedBars: null,
  fundamentals: newOwnedFundamentals(), sentiment: newOwnedSentiment(), returns: isTargetWeightStrategy(strategy) ? newReturnsWindow() : null, atr: newAtrWindow(atrPeriod), exec: emptyExecution,
});

/** A copy whose owned state (strategy, adjustment) can run on without touching the original. */
export const forkKernel = <S>(k: Kernel<S>, strategy: AnyStrategy<S>): Kernel<S> =>
  ({ ...k, strategyState: strategy.clone(k.strategyState), adjust: cloneBackAdjustState(k.adjust), returns: k.returns && cloneReturnsWindow(k.returns), atr: cloneAtrWindow(k.atr), fundamentals: cloneOwnedFundamentals(k.fundamentals), sentiment: cloneOwnedSentiment(k.sentiment) });

/**
 * The one fold used live, in backtests and in audit replays. Strategies see bars backward-adjusted
 * for corporate actions (indicator inputs); the projections see raw prices.
 */
export function evolveKernel<S>(k: Kernel<S>, e: DomainEvent, strategy: AnyStrategy<S>): Kernel<S> {
  if (e.type === 'BarsClosed') {
    const adjusted = backAdjust(k.adjust, e.data);
    if (k.returns) pushReturns(k.returns, adjusted);
    pushAtr(k.atr, e.data);
    return { ...k, projections: evolveProjections(k.projections, e), strategyState: strategy.onBars(k.strategyState, adjusted), adjustedBars: adjusted };
  }
  if (e.type === 'SentimentScored') {
    if (e.data.symbol !== null && e.data.day !== null) appendSentiment(k.sentiment, e.data.symbol, e.data.day, e.data.score);
    return { ...k, projections: evolveProjections(k.projections, e) };
  }
  if (e.type === 'FundamentalsReported') {
    appendFundamentals(k.fundamentals, e);
    return { ...k, projections: evolveProjections(k.projections, e) };
  }
  return { ...k, run: e.type === 'RunStarted' ? e.data : k.run, projections: evolveProjections(k.projections, e), exec: evolveExecution(k.exec, e) };
}
