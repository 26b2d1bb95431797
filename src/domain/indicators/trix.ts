import { ExpSmoother, emaAlpha } from './smoothing.js';
import { checkInt, runBatch } from './support.js';
import type { Indicator } from './types.js';

/**
 * TRIX: TR = EMA(EMA(EMA(C, n), n), n), first-value seeded; TRIX = 100·(TR − TR') / TR' (percent
 * change bar to bar). Reported from value 3(period−1)+2.
 */
export function trix(period = 12): Indicator<number, number> {
  const a = emaAlpha(checkInt('period', period));
  const e1 = new ExpSmoother(a), e2 = new ExpSmoother(a), e3 = new ExpSmoother(a);
  const warmAt = 3 * (period - 1) + 2;
  let prev = Number.NaN;
  return {
    update(x) {
      const p = prev;
      prev = e3.push(e2.push(e1.push(x)));
      return e1.count >= warmAt ? (100 * (prev - p)) / p : null;
    },
    isWarm: () => e1.count >= warmAt,
  };
}

export const trixBatch = (values: readonly number[], period = 12): (number | null)[] => runBatch(trix(period), values);
