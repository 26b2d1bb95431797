import { HighLowWindow } from './rollingExtreme.js';
import { checkInt, finiteBar, runBatch } from './support.js';
import type { Indicator, Ohlcv } from './types.js';

/**
 * Williams %R, Western sign: −100·(HHV(H,n) − C) / (HHV − LLV), in [−100, 0] (−50 on a flat window).
 * Tongdaxin's WR is the same number without the minus sign.
 */
export function williamsR(period = 14): Indicator<Ohlcv, number> {
  const w = new HighLowWindow(checkInt('period', period));
  return {
    update(bar) {
      finiteBar(bar);
      const hl = w.push(bar.high, bar.low);
      if (!hl) return null;
      const range = hl.high - hl.low;
      return range === 0 ? -50 : (-100 * (hl.high - bar.close)) / range;
    },
    isWarm: () => w.isFull(),
  };
}

export const williamsRBatch = (bars: readonly Ohlcv[], period = 14): (number | null)[] => runBatch(williamsR(period), bars);
