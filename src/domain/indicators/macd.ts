import { ExpSmoother, emaAlpha } from './smoothing.js';
import { checkInt, runBatch } from './support.js';
import type { Indicator } from './types.js';

export interface MacdOptions { readonly fast?: number; readonly slow?: number; readonly signal?: number; readonly cnBar?: boolean }
export interface MacdValue { readonly dif: number; readonly dea: number; readonly hist: number }

/**
 * MACD as Tongdaxin and Tushare print it: DIF = EMA(fast) − EMA(slow), DEA = EMA(DIF, signal), all
 * EMAs seeded with the first value; the bar (`hist`, Tushare's `macd`) is 2×(DIF − DEA) when
 * `cnBar` (the Chinese convention), else DIF − DEA. Reported after slow + signal − 1 values.
 */
export function macd(opts: MacdOptions = {}): Indicator<number, MacdValue> {
  const fast = checkInt('fast', opts.fast ?? 12), slow = checkInt('slow', opts.slow ?? 26), signal = checkInt('signal', opts.signal ?? 9);
  const barScale = (opts.cnBar ?? true) ? 2 : 1;
  const ef = new ExpSmoother(emaAlpha(fast)), es = new ExpSmoother(emaAlpha(slow)), ed = new ExpSmoother(emaAlpha(signal));
  const warmAt = slow + signal - 1;
  return {
    update(x) {
      const dif = ef.push(x) - es.push(x);
      const dea = ed.push(dif);
      return ef.count >= warmAt ? { dif, dea, hist: barScale * (dif - dea) } : null;
    },
    isWarm: () => ef.count >= warmAt,
  };
}

export const macdBatch = (values: readonly number[], opts: MacdOptions = {}): (MacdValue | null)[] => runBatch(macd(opts), values);
