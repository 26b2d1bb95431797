import type { DataOf, DomainEvent, Strategy } from '../../domain/index.js';
import type { Projections } from '../../projections/index.js';
import { emptyProjections, evolveProjections } from '../../projections/index.js';

/** Everything the deciders read: the projections plus the strategy's own fold of the bars. */
export interface Kernel<S> {
  readonly run: DataOf<'RunStarted'> | null;
  readonly projections: Projections;
  readonly strategyState: S;
}

export const initialKernel = <S>(strategy: Strategy<S>): Kernel<S> =>
  ({ run: null, projections: emptyProjections, strategyState: strategy.init() });

/** The one fold used live, in backtests and in audit replays. */
export function evolveKernel<S>(k: Kernel<S>, e: DomainEvent, strategy: Strategy<S>): Kernel<S> {
  return {
    run: e.type === 'RunStarted' ? e.data : k.run,
    projections: evolveProjections(k.projections, e),
    strategyState: e.type === 'BarsClosed' ? strategy.onBars(k.strategyState, e.data) : k.strategyState,
  };
}
