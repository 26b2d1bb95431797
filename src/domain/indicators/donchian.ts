import type { Bands } from './bollinger.js';
import { RollingExtreme } from './rollingExtreme.js';
import { checkInt, finiteBar, runBatch } from './support.js';
import type { Indicator, Ohlcv } from './types.js';

/** Donchian channel: upper = HHV(H, period), lower = LLV(L, period), mid = their average (this bar included). */
export function donchian(period = 20): Indicator<Ohlcv, Bands> {
  const hi = new RollingExtreme(checkInt('period', period), 'max'), lo = new RollingExtreme(period, 'min');
  return {
    update(bar) {
      finiteBar(bar);
      hi.push(bar.high);
      lo.push(bar.low);
      if (!hi.isFull()) return null;
      const upper = hi.value(), lower = lo.value();
      return { upper, mid: (upper + lower) / 2, lower };
    },
    isWarm: () => hi.isFull(),
  };
}

export const donchianBatch = (bars: readonly Ohlcv[], period = 20): (Bands | null)[] => runBatch(donchian(period), bars);
