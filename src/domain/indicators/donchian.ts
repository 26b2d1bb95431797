import type { Bands } from './bollinger.js';
import { HighLowWindow } from './rollingExtreme.js';
import { checkInt, finiteBar, runBatch } from './support.js';
import type { Indicator, Ohlcv } from './types.js';

/** Donchian channel: upper = HHV(H, period), lower = LLV(L, period), mid = their average (this bar included). */
export function donchian(period = 20): Indicator<Ohlcv, Bands> {
  const w = new HighLowWindow(checkInt('period', period));
  return {
    update(bar) {
      finiteBar(bar);
      const hl = w.push(bar.high, bar.low);
      return hl && { upper: hl.high, mid: (hl.high + hl.low) / 2, lower: hl.low };
    },
    isWarm: () => w.isFull(),
  };
}

export const donchianBatch = (bars: readonly Ohlcv[], period = 20): (Bands | null)[] => runBatch(donchian(period), bars);
