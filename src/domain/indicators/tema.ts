import { ExpSmoother, emaAlpha } from './smoothing.js';
import { checkInt, runBatch } from './support.js';
import type { Indicator } from './types.js';

/** Triple EMA: 3·E1 − 3·E2 + E3 (E2 = EMA(E1), E3 = EMA(E2)), first-value seeded; reported after 3(period−1)+1 values. */
export function tema(period: number): Indicator<number, number> {
  const a = emaAlpha(checkInt('period', period));
  const e1 = new ExpSmoother(a), e2 = new ExpSmoother(a), e3 = new ExpSmoother(a);
  const warmAt = 3 * (period - 1) + 1;
  return {
    update(x) {
      const v1 = e1.push(x);
      const v2 = e2.push(v1);
      const v3 = e3.push(v2);
      return e1.count >= warmAt ? 3 * v1 - 3 * v2 + v3 : null;
    },
    isWarm: () => e1.count >= warmAt,
  };
}

export const temaBatch = (values: readonly number[], period: number): (number | null)[] => runBatch(tema(period), values);
