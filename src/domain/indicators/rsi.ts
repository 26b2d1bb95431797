import { ExpSmoother, WilderSmoother } from './smoothing.js';
import { checkInt, finite, runBatch } from './support.js';
import type { Indicator } from './types.js';

export type RsiVariant = 'wilder' | 'cn';

/**
 * Relative strength index, 100·avgGain / (avgGain + avgLoss) over close-to-close changes.
 * - `wilder`: averages seeded with the simple mean of the first `period` changes, then Wilder's RMA.
 * - `cn`: Tongdaxin/Tushare `SMA(MAX(C−REF(C,1),0),N,1) / SMA(ABS(C−REF(C,1)),N,1) × 100`, the Chinese
 *   SMA seeded with the first change (α = 1/N). Tushare's rsi_6/12/24 use this one.
 * Both report from the (period+1)-th close; a window with no movement at all reads 50.
 */
export function rsi(period: number, variant: RsiVariant = 'wilder'): Indicator<number, number> {
  checkInt('period', period);
  if (variant !== 'wilder' && variant !== 'cn') throw new RangeError(`rsi variant must be 'wilder' or 'cn', got ${String(variant)}`);
  const up = variant === 'cn' ? new ExpSmoother(1 / period) : new WilderSmoother(period);
  const all = variant === 'cn' ? new ExpSmoother(1 / period) : new WilderSmoother(period);
  let prev: number | null = null;
  return {
    update(x) {
      finite(x);
      const p = prev;
      prev = x;
      if (p === null) return null;
      const d = x - p;
      const g = up.push(Math.max(d, 0));
      const a = all.push(Math.abs(d));
      if (up.count < period) return null;
      return a === 0 ? 50 : (100 * g) / a;
    },
    isWarm: () => up.count >= period,
  };
}

export const rsiBatch = (values: readonly number[], period: number, variant: RsiVariant = 'wilder'): (number | null)[] =>
  runBatch(rsi(period, variant), values);
