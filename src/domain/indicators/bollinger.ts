import { RollingWindow } from './rollingWindow.js';
import { checkInt, checkPositive, runBatch } from './support.js';
import type { Indicator } from './types.js';

export interface Bands { readonly upper: number; readonly mid: number; readonly lower: number }

/**
 * Bollinger bands: mid = SMA(period), upper/lower = mid ± k·σ with σ the POPULATION standard
 * deviation (divide by n). Tushare's boll_upper/lower match population σ, not the sample σ of
 * Tongdaxin's STD.
 */
export function bollinger(period = 20, k = 2): Indicator<number, Bands> {
  const w = new RollingWindow(checkInt('period', period));
  checkPositive('k', k, true);
  return {
    update(x) {
      w.push(x);
      if (!w.isFull()) return null;
      const mid = w.mean(), d = k * w.std();
      return { upper: mid + d, mid, lower: mid - d };
    },
    isWarm: () => w.isFull(),
  };
}

export const bollingerBatch = (values: readonly number[], period = 20, k = 2): (Bands | null)[] => runBatch(bollinger(period, k), values);
