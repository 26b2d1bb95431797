import { RollingWindow } from './rollingWindow.js';
import { checkInt, runBatch } from './support.js';
import type { Indicator } from './types.js';

/** Rolling z-score: (x − mean) / σ over the last `period` values (this one included), σ population; 0 on a flat window. */
export function zscore(period = 20): Indicator<number, number> {
  const w = new RollingWindow(checkInt('period', period));
  return {
    update(x) {
      w.push(x);
      if (!w.isFull()) return null;
      const s = w.std();
      return s === 0 ? 0 : (x - w.mean()) / s;
    },
    isWarm: () => w.isFull(),
  };
}

export const zscoreBatch = (values: readonly number[], period = 20): (number | null)[] => runBatch(zscore(period), values);
