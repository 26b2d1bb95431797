import { RollingWindow } from './rollingWindow.js';
import { checkInt, runBatch } from './support.js';
import type { Indicator } from './types.js';

/** Rate of change in percent: 100·(C − C[period]) / C[period]; reported from value period+1. Prices must be non-zero. */
export function roc(period = 12): Indicator<number, number> {
  const w = new RollingWindow(checkInt('period', period) + 1);
  return {
    update(x) {
      w.push(x);
      if (!w.isFull()) return null;
      const old = w.at(0);
      return (100 * (x - old)) / old;
    },
    isWarm: () => w.isFull(),
  };
}

export const rocBatch = (values: readonly number[], period = 12): (number | null)[] => runBatch(roc(period), values);
