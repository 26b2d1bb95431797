import { describe, expect, it } from 'vitest';
import type { DayBars } from '../../../src/domain/bars.js';
import { MomentumParamsSchema, momentum, type MomentumParams } from '../../../src/domain/strategy/momentum.js';
import { topNEqualWeights } from '../../../src/domain/strategy/targetWeights.js';
import { closesOn, dayN, holding } from './fixtures.js';

const A = '600000.SH', B = '600001.SH', C = '600002.SH', D = '600003.SH';

function runDays(p: MomentumParams, days: readonly DayBars[]) {
  const strat = momentum(p);
  let st = strat.init();
  return days.map((bars) => {
    st = strat.onBars(st, bars);
    return strat.targets(st, bars, holding([]));
  });
}

describe('momentum({ lookback: 3, skip: 1, topN: 2 })', () => {
  /**
   * Score = close[t − 1] / close[t − 3] − 1 on the 4th bar:
   * A 10, 11, 12, 5 → 12/10 − 1 = +0.2 (the crash on the skipped last bar does not count)
   * B 10, 10, 10, 20 → 10/10 − 1 = 0
   * C 10, 9, 8, 30 → 8/10 − 1 = −0.2
   * D listed on bar 2 → only 3 bars, not ranked.
   * Top 2: A and B at 1/2 each.
   */
  const series: Record<string, (number | undefined)[]> = { [A]: [10, 11, 12, 5], [B]: [10, 10, 10, 20], [C]: [10, 9, 8, 30], [D]: [undefined, 50, 60, 70] };
  const days = [0, 1, 2, 3].map((i) => closesOn(dayN(i), Object.fromEntries(Object.entries(series).filter(([, v]) => v[i] !== undefined).map(([s, v]) => [s, v[i]!]))));

  it('ranks the skip-window return and weights the top N equally', () => {
    const out = runDays({ lookback: 3, skip: 1, topN: 2, schedule: 'daily' }, days);
    expect(out.slice(0, 3)).toEqual([null, null, null]); // nobody has 4 bars yet
    expect(out[3]).toEqual(new Map([[A, 0.5], [B, 0.5]]));
  });

  it('topN above the ranked count: 1/3 each for A, B, C', () => {
    const out = runDays({ lookback: 3, skip: 1, topN: 10, schedule: 'daily' }, days);
    expect(out[3]).toEqual(new Map([[A, 1 / 3], [B, 1 / 3], [C, 1 / 3]]));
  });

  it('a symbol suspended today is not ranked; its history counts its own bars', () => {
    // Bar 5 (day 4): A suspended. B 10, 10, 20, 21 → 20/10 − 1 = 1; C 9, 8, 30, 30 → 30/9 − 1 = 2.33.
    const day4 = closesOn(dayN(4), { [B]: 21, [C]: 30 });
    const out = runDays({ lookback: 3, skip: 1, topN: 1, schedule: 'daily' }, [...days, day4]);
    expect(out[4]).toEqual(new Map([[C, 1]]));
  });

  it('monthly schedule: targets only on the first trading day of a new month', () => {
    const mk = (d: string, a: number) => closesOn(d, { [A]: a });
    const out = runDays({ lookback: 1, skip: 0, topN: 1 }, [mk('2024-01-29', 10), mk('2024-01-30', 11), mk('2024-01-31', 12), mk('2024-02-01', 13), mk('2024-02-02', 14)]);
    // Bar 1 is due (nothing seen before) but not warm; 2024-02-01 is the next due day.
    expect(out.map((t) => (t === null ? null : [...t.keys()]))).toEqual([null, null, null, [A], null]);
  });

  it('schema: skip must be below lookback', () => {
    expect(MomentumParamsSchema.safeParse({ lookback: 20, skip: 20, topN: 5 }).success).toBe(false);
    expect(MomentumParamsSchema.parse({ lookback: 250, skip: 20, topN: 30 }).schedule).toBe('monthly');
    expect(() => momentum({ lookback: 5, skip: 0, topN: 0 })).toThrow(RangeError);
  });
});

describe('topNEqualWeights', () => {
  it('ties go to the lower symbol; non-finite scores are not ranked; nothing → null', () => {
    expect(topNEqualWeights(new Map([[B, 1], [A, 1], [C, Number.NaN]]), 1)).toEqual(new Map([[A, 1]]));
    expect(topNEqualWeights(new Map([[C, Number.NaN]]), 3)).toBeNull();
  });
});
