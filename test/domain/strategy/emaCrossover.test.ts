import { describe, expect, it } from 'vitest';
import { EmaCrossoverParamsSchema, emaCrossover } from '../../../src/domain/strategy/emaCrossover.js';
import { closesOn, dayN, holding } from './fixtures.js';

const A = '600000.SH';

/**
 * fast = 2 (α = 2/3), slow = 3 (α = 1/2), both seeded with the first close:
 * closes 10, 10, 10 → both EMAs 10; warm at bar 3 with fast = slow (rel 0).
 * bar 4, close 13: fast = 10 + 2/3·3 = 12, slow = 10 + 1/2·3 = 11.5 → fast above: golden cross.
 * bar 5, close 7: fast = 12 − 2/3·5 = 8.667, slow = 11.5 − 1/2·4.5 = 9.25 → death cross.
 * bar 6, close 7: fast 7.556 < slow 8.125 → still below, nothing new.
 */
const SERIES = [10, 10, 10, 13, 7, 7];

function run(held: readonly string[]) {
  const strat = emaCrossover({ fast: 2, slow: 3 });
  let st = strat.init();
  return SERIES.map((c, i) => {
    const bars = closesOn(dayN(i), { [A]: c });
    st = strat.onBars(st, bars);
    return strat.signals(st, bars, holding(held));
  });
}

describe('emaCrossover(2, 3)', () => {
  it('golden cross on bar 4 buys when flat; strength |12/11.5 − 1|·20', () => {
    const sigs = run([]);
    expect(sigs.map((s) => s.length)).toEqual([0, 0, 0, 1, 0, 0]);
    expect(sigs[3]![0]).toMatchObject({ symbol: A, side: 'buy', strength: 0.8696 });
  });
  it('death cross on bar 5 sells only when held', () => {
    const sigs = run([A]);
    expect(sigs.map((s) => s.map((x) => x.side))).toEqual([[], [], [], [], ['sell'], []]);
    expect(sigs[4]![0]!.strength).toBe(1); // |8.667/9.25 − 1|·20 = 1.26, capped at 1
  });
  it('clone is independent of later bars', () => {
    const strat = emaCrossover({ fast: 2, slow: 3 });
    const st = strat.onBars(strat.init(), closesOn(dayN(0), { [A]: 10 }));
    const snap = strat.clone(st);
    strat.onBars(st, closesOn(dayN(1), { [A]: 20 }));
    expect(snap.bySymbol.get(A)!.fast).toBe(10_000);
    expect(st.bySymbol.get(A)!.fast).toBeCloseTo(16_666.67, 1);
  });
  it('parameters: schema and factory reject fast ≥ slow', () => {
    expect(EmaCrossoverParamsSchema.safeParse({ fast: 5, slow: 5 }).success).toBe(false);
    expect(EmaCrossoverParamsSchema.safeParse({ fast: 5, slow: 20 }).success).toBe(true);
    expect(() => emaCrossover({ fast: 3, slow: 2 })).toThrow(RangeError);
  });
});
