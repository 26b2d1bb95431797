import type { BackAdjustState, DataOf, DayBars, DomainEvent, Strategy, TargetWeightStrategy } from '../../domain/index.js';
import { backAdjust, cloneBackAdjustState, newBackAdjustState } from '../../domain/index.js';
import type { FundamentalsState } from '../../domain/fundamentals/index.js';
import { emptyFundamentals, evolveFundamentals } from '../../domain/fundamentals/index.js';
import type { Projections } from '../../projections/index.js';
import { emptyProjections, evolveProjections } from '../../projections/index.js';

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
  readonly fundamentals: FundamentalsState;
}

export const initialKernel = <S>(strategy: AnyStrategy<S>): Kernel<S> =>
  ({ run: null, projections: emptyProjections, strategyState: strategy.init(), adjust: newBackAdjustState(), adjustedBars: null, fundamentals: emptyFundamentals });

/** A copy whose owned state (strategy, adjustment) can run on without touching the original. */
export const forkKernel = <S>(k: Kernel<S>, strategy: AnyStrategy<S>): Kernel<S> =>
  ({ ...k, strategyState: strategy.clone(k.strategyState), adjust: cloneBackAdjustState(k.adjust) });

/**
 * The one fold used live, in backtests and in audit replays. Strategies see bars backward-adjusted
 * for corporate actions (indicator inputs); the projections see raw prices.
 */
export function evolveKernel<S>(k: Kernel<S>, e: DomainEvent, strategy: AnyStrategy<S>): Kernel<S> {
  if (e.type === 'BarsClosed') {
    const adjusted = backAdjust(k.adjust, e.data);
    return { ...k, projections: evolveProjections(k.projections, e), strategyState: strategy.onBars(k.strategyState, adjusted), adjustedBars: adjusted };
  }
  if (e.type === 'FundamentalsReported') return { ...k, projections: evolveProjections(k.projections, e), fundamentals: evolveFundamentals(k.fundamentals, e) };
  return { ...k, run: e.type === 'RunStarted' ? e.data : k.run, projections: evolveProjections(k.projections, e) };
}
