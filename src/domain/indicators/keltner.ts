import { atr } from './atr.js';
import type { Bands } from './bollinger.js';
import { ema } from './ema.js';
import { checkPositive, runBatch } from './support.js';
import type { Indicator, Ohlcv } from './types.js';

/** Keltner channel: mid = EMA(C, period), bands = mid ± multiplier·ATR(period) (Wilder). Reported from bar period+1. */
export function keltner(period = 20, multiplier = 2): Indicator<Ohlcv, Bands> {
  checkPositive('multiplier', multiplier, true);
  const mid = ema(period), range = atr(period);
  return {
    update(bar) {
      const a = range.update(bar);
      const m = mid.update(bar.close);
      if (a === null || m === null) return null;
      return { upper: m + multiplier * a, mid: m, lower: m - multiplier * a };
    },
    isWarm: () => range.isWarm() && mid.isWarm(),
  };
}

export const keltnerBatch = (bars: readonly Ohlcv[], period = 20, multiplier = 2): (Bands | null)[] => runBatch(keltner(period, multiplier), bars);
