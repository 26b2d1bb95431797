import { finiteBar, runBatch } from './support.js';
import type { Indicator, Ohlcv } from './types.js';

/** On-balance volume: starts at 0 on the first bar, then ± the bar's volume as the close rises/falls (unchanged: +0). */
export function obv(): Indicator<Ohlcv, number> {
  let prev: number | null = null;
  let total = 0;
  return {
    update(bar) {
      finiteBar(bar);
      if (prev !== null) total += bar.close > prev ? bar.volume : bar.close < prev ? -bar.volume : 0;
      prev = bar.close;
      return total;
    },
    isWarm: () => prev !== null,
  };
}

export const obvBatch = (bars: readonly Ohlcv[]): (number | null)[] => runBatch(obv(), bars);
