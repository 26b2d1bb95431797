import type { DayBars } from '../bars.js';
import type { Side } from '../events/primitives.js';
import type { PortfolioView } from '../views/portfolioView.js';

/** What a strategy proposes; the engine turns drafts into `SignalEmitted` events with ids. */
export interface SignalDraft {
  readonly symbol: string;
  readonly side: Side;
  /** In [0, 1]; ranks competing buys. */
  readonly strength: number;
  readonly reason: string;
}

/**
 * A strategy is a decider over market events. Its state is a fold of `BarsClosed` (so an audit
 * replay rebuilds it from the journal alone). For speed over 5,000 symbols the state is owned by
 * the fold and updated in place: `onBars` may mutate and return its argument; whoever keeps a
 * snapshot takes a copy with `clone`.
 */
export interface Strategy<S> {
  readonly name: string;
  init(): S;
  onBars(state: S, bars: DayBars): S;
  /** Signals at the close of the day `onBars` just saw. Pure: reads state, bars and the portfolio. */
  signals(state: S, bars: DayBars, portfolio: PortfolioView): SignalDraft[];
  clone(state: S): S;
}
