import { ExpSmoother, emaAlpha } from './smoothing.js';
import { checkInt, runBatch } from './support.js';
import type { Indicator } from './types.js';

/**
 * Exponential moving average, α = 2/(period+1), seeded with the first value (Tongdaxin/Tushare
 * EMA(X,N)), so it agrees with vendors that run over full history once the seed has decayed.
 * Reported from the `period`-th value on (before that the seed still dominates).
 */
export function ema(period: number): Indicator<number, number> {
  const e = new ExpSmoother(emaAlpha(checkInt('period', period)));
  return {
    update(x) { const v = e.push(x); return e.count >= period ? v : null; },
    isWarm: () => e.count >= period,
  };
}

export const emaBatch = (values: readonly number[], period: number): (number | null)[] => runBatch(ema(period), values);
