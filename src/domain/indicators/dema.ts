import { ExpSmoother, emaAlpha } from './smoothing.js';
import { checkInt, runBatch } from './support.js';
import type { Indicator } from './types.js';

/** Double EMA: 2·EMA − EMA(EMA), first-value seeded; reported after 2(period−1)+1 values. */
export function dema(period: number): Indicator<number, number> {
  const a = emaAlpha(checkInt('period', period));
  const e1 = new ExpSmoother(a), e2 = new ExpSmoother(a);
  const warmAt = 2 * (period - 1) + 1;
  return {
    update(x) {
      const v1 = e1.push(x);
      const v2 = e2.push(v1);
      return e1.count >= warmAt ? 2 * v1 - v2 : null;
    },
    isWarm: () => e1.count >= warmAt,
  };
}

export const demaBatch = (values: readonly number[], period: number): (number | null)[] => runBatch(dema(period), values);
