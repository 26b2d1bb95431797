import { RollingWindow } from './rollingWindow.js';
import { checkInt, runBatch } from './support.js';
import type { Indicator } from './types.js';

/** Simple moving average of the last `period` values; null until `period` values have arrived. */
export function sma(period: number): Indicator<number, number> {
  const w = new RollingWindow(checkInt('period', period));
  return {
    update(x) { w.push(x); return w.isFull() ? w.mean() : null; },
    isWarm: () => w.isFull(),
  };
}

export const smaBatch = (values: readonly number[], period: number): (number | null)[] => runBatch(sma(period), values);
