import { RollingWindow } from './rollingWindow.js';
import { checkInt, runBatch } from './support.js';
import type { Indicator } from './types.js';

/** Rolling POPULATION standard deviation (divide by n) of the last `period` values. */
export function rollingStd(period = 20): Indicator<number, number> {
  const w = new RollingWindow(checkInt('period', period));
  return {
    update(x) { w.push(x); return w.isFull() ? w.std() : null; },
    isWarm: () => w.isFull(),
  };
}

export const rollingStdBatch = (values: readonly number[], period = 20): (number | null)[] => runBatch(rollingStd(period), values);
