import { RollingWindow } from './rollingWindow.js';
import { checkInt, runBatch } from './support.js';
import type { Indicator } from './types.js';

/**
 * Linearly weighted moving average: weights 1..period, the newest value heaviest, divided by
 * period(period+1)/2. O(1): W' = W − S + n·x once full (S the old plain sum); W is recomputed from
 * the window every `period` bars so drift stays bounded.
 */
export function wma(period: number): Indicator<number, number> {
  const n = checkInt('period', period);
  const w = new RollingWindow(n);
  const denom = (n * (n + 1)) / 2;
  let weighted = 0;
  let bars = 0;
  return {
    update(x) {
      const oldSum = w.sum();
      const full = w.isFull();
      w.push(x);
      bars++;
      if (!full) weighted += w.count() * x;
      else if (bars % n === 0) { weighted = 0; for (let i = 0; i < n; i++) weighted += (i + 1) * w.at(i); }
      else weighted += n * x - oldSum;
      return w.isFull() ? weighted / denom : null;
    },
    isWarm: () => w.isFull(),
  };
}

export const wmaBatch = (values: readonly number[], period: number): (number | null)[] => runBatch(wma(period), values);
