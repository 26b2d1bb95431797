import { RollingWindow } from './rollingWindow.js';
import { checkInt, finiteBar, runBatch, typicalPrice } from './support.js';
import type { Indicator, Ohlcv } from './types.js';

/**
 * Money flow index: flow = TP·volume counted positive when TP rises over the previous bar, negative
 * when it falls, neither when unchanged; MFI = 100·Σpos / (Σpos + Σneg) over `period` flows (50 when
 * both are 0). Reported from bar period+1.
 */
export function mfi(period = 14): Indicator<Ohlcv, number> {
  const pos = new RollingWindow(checkInt('period', period)), neg = new RollingWindow(period);
  let prevTp: number | null = null;
  return {
    update(bar) {
      const tp = typicalPrice(finiteBar(bar));
      const p = prevTp;
      prevTp = tp;
      if (p === null) return null;
      const flow = tp * bar.volume;
      pos.push(tp > p ? flow : 0);
      neg.push(tp < p ? flow : 0);
      if (!pos.isFull()) return null;
      const sp = pos.sum(), sn = neg.sum();
      return sp + sn === 0 ? 50 : (100 * sp) / (sp + sn);
    },
    isWarm: () => pos.isFull(),
  };
}

export const mfiBatch = (bars: readonly Ohlcv[], period = 14): (number | null)[] => runBatch(mfi(period), bars);
