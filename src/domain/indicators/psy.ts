import { RollingWindow } from './rollingWindow.js';
import { checkInt, finite, runBatch } from './support.js';
import type { Indicator } from './types.js';

/** Psychological line: 100 × (number of up closes among the last `period` changes) / period; reported from value period+1. */
export function psy(period = 12): Indicator<number, number> {
  const w = new RollingWindow(checkInt('period', period));
  let prev: number | null = null;
  return {
    update(x) {
      finite(x);
      const p = prev;
      prev = x;
      if (p === null) return null;
      w.push(x > p ? 1 : 0);
      return w.isFull() ? (100 * w.sum()) / period : null;
    },
    isWarm: () => w.isFull(),
  };
}

export const psyBatch = (values: readonly number[], period = 12): (number | null)[] => runBatch(psy(period), values);
