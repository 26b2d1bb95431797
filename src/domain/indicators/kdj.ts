import { HighLowWindow, rangePercent } from './rollingExtreme.js';
import { checkInt, finiteBar, runBatch } from './support.js';
import type { Indicator, Ohlcv } from './types.js';

export interface KdjValue { readonly k: number; readonly d: number; readonly j: number }

/**
 * KDJ, the Chinese convention (Tongdaxin, Tushare kdj_k/d/j): RSV = 100·(C − LLV(L,n)) / (HHV(H,n) −
 * LLV(L,n)); K = ((m1−1)·K' + RSV)/m1 and D = ((m2−1)·D' + K)/m2, i.e. SMA(·,m,1), both seeded at 50;
 * J = 3K − 2D. Starts at the first full n-bar window (a vendor running from listing day converges to
 * the same values, the seed decaying by (1−1/m) a bar). A flat window gives RSV 50.
 */
export function kdj(n = 9, m1 = 3, m2 = 3): Indicator<Ohlcv, KdjValue> {
  const w = new HighLowWindow(checkInt('n', n));
  checkInt('m1', m1);
  checkInt('m2', m2);
  let k = 50, d = 50;
  return {
    update(bar) {
      finiteBar(bar);
      const hl = w.push(bar.high, bar.low);
      if (!hl) return null;
      const rsv = rangePercent(bar.close, hl, 50);
      k = ((m1 - 1) * k + rsv) / m1;
      d = ((m2 - 1) * d + k) / m2;
      return { k, d, j: 3 * k - 2 * d };
    },
    isWarm: () => w.isFull(),
  };
}

export const kdjBatch = (bars: readonly Ohlcv[], n = 9, m1 = 3, m2 = 3): (KdjValue | null)[] => runBatch(kdj(n, m1, m2), bars);
