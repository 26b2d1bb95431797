import { RollingWindow } from './rollingWindow.js';
import { checkInt, runBatch } from './support.js';
import type { Indicator } from './types.js';

/** BIAS (乖离率) in percent: 100·(C − MA(C, period)) / MA(C, period). */
export function bias(period = 6): Indicator<number, number> {
  const w = new RollingWindow(checkInt('period', period));
  return {
    update(x) {
      w.push(x);
      if (!w.isFull()) return null;
      const m = w.mean();
      return (100 * (x - m)) / m;
    },
    isWarm: () => w.isFull(),
  };
}

export const biasBatch = (values: readonly number[], period = 6): (number | null)[] => runBatch(bias(period), values);
