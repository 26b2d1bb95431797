import { HighLowWindow, rangePercent } from './rollingExtreme.js';
import { RollingWindow } from './rollingWindow.js';
import { checkInt, finiteBar, runBatch } from './support.js';
import type { Indicator, Ohlcv } from './types.js';

export interface StochasticValue { readonly k: number; readonly d: number }

/**
 * Western full stochastic: raw %K = 100·(C − LLV(L,n)) / (HHV(H,n) − LLV(L,n)) (50 on a flat window),
 * %K = SMA(raw %K, m1), %D = SMA(%K, m2). Reported from bar n + m1 + m2 − 2. For the Chinese
 * recursive form (K seeded at 50) use `kdj`.
 */
export function stochastic(n = 14, m1 = 3, m2 = 3): Indicator<Ohlcv, StochasticValue> {
  const w = new HighLowWindow(checkInt('n', n));
  const kw = new RollingWindow(checkInt('m1', m1)), dw = new RollingWindow(checkInt('m2', m2));
  return {
    update(bar) {
      finiteBar(bar);
      const hl = w.push(bar.high, bar.low);
      if (!hl) return null;
      kw.push(rangePercent(bar.close, hl, 50));
      if (!kw.isFull()) return null;
      const k = kw.mean();
      dw.push(k);
      return dw.isFull() ? { k, d: dw.mean() } : null;
    },
    isWarm: () => dw.isFull(),
  };
}

export const stochasticBatch = (bars: readonly Ohlcv[], n = 14, m1 = 3, m2 = 3): (StochasticValue | null)[] =>
  runBatch(stochastic(n, m1, m2), bars);
