import { RollingWindow } from './rollingWindow.js';
import { checkInt, runBatch } from './support.js';
import type { Indicator } from './types.js';

/** Momentum (Tongdaxin MTM): C − C[period]; reported from value period+1. */
export function momentum(period = 12): Indicator<number, number> {
  const w = new RollingWindow(checkInt('period', period) + 1);
  return {
    update(x) {
      w.push(x);
      return w.isFull() ? x - w.at(0) : null;
    },
    isWarm: () => w.isFull(),
  };
}

export const momentumBatch = (values: readonly number[], period = 12): (number | null)[] => runBatch(momentum(period), values);
