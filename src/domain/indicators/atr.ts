import { WilderSmoother } from './smoothing.js';
import { checkInt, finiteBar, runBatch, trueRange } from './support.js';
import type { Indicator, Ohlcv } from './types.js';

/**
 * Average true range, Wilder's: true ranges from the second bar on (each needs the previous close),
 * the first ATR the simple mean of `period` of them, then Wilder's RMA. Reported from bar period+1.
 */
export function atr(period: number): Indicator<Ohlcv, number> {
  const s = new WilderSmoother(checkInt('period', period));
  let prevClose: number | null = null;
  return {
    update(bar) {
      finiteBar(bar);
      const pc = prevClose;
      prevClose = bar.close;
      if (pc === null) return null;
      const v = s.push(trueRange(bar, pc));
      return s.isWarm() ? v : null;
    },
    isWarm: () => s.isWarm(),
  };
}

export const atrBatch = (bars: readonly Ohlcv[], period: number): (number | null)[] => runBatch(atr(period), bars);
