import { RollingExtreme } from './rollingExtreme.js';
import { checkInt, finiteBar, runBatch } from './support.js';
import type { Indicator, Ohlcv } from './types.js';

/**
 * Williams %R, Western sign: −100·(HHV(H,n) − C) / (HHV − LLV), in [−100, 0] (−50 on a flat window).
 * Tongdaxin's WR is the same number without the minus sign.
 */
export function williamsR(period = 14): Indicator<Ohlcv, number> {
  const hi = new RollingExtreme(checkInt('period', period), 'max'), lo = new RollingExtreme(period, 'min');
  return {
    update(bar) {
      finiteBar(bar);
      hi.push(bar.high);
      lo.push(bar.low);
      if (!hi.isFull()) return null;
      const range = hi.value() - lo.value();
      return range === 0 ? -50 : (-100 * (hi.value() - bar.close)) / range;
    },
    isWarm: () => hi.isFull(),
  };
}

export const williamsRBatch = (bars: readonly Ohlcv[], period = 14): (number | null)[] => runBatch(williamsR(period), bars);
