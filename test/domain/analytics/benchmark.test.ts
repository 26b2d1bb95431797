import { describe, expect, it } from 'vitest';
import { equalWeightBenchmark } from '../../../src/domain/analytics/benchmark.js';

const A = '600000.SH', B = '000001.SZ';
// Day 1: A 10.000 → 11.000 (preClose given) +10%; B has no preClose and no earlier bar: left out. r = 0.1.
// Day 2: A has no preClose: previous close 11.000 → 9.900, −10%; B 20.000 → 21.000, +5%. r = −0.025.
// Day 3: A goes ex-dividend 0.500: preClose 9.400, closes 9.400 → 0% (not −5.05%); B suspended. r = 0.
// Day 4: A 9.400 → 9.870 +5%; B back, preClose 21.000 → 22.050 +5%. r = 0.05.
// Index 1.1 × 0.975 × 1 × 1.05 = 1.126125.
const bars = [
  { day: '2024-01-02', symbols: [A, B], close: [11_000, 20_000], preClose: [10_000, null] },
  { day: '2024-01-03', symbols: [A, B], close: [9_900, 21_000], preClose: [null, 20_000] },
  { day: '2024-01-04', symbols: [A], close: [9_400], preClose: [9_400] },
  { day: '2024-01-05', symbols: [A, B], close: [9_870, 22_050], preClose: [9_400, 21_000] },
];

describe('equal-weighted benchmark', () => {
  const b = equalWeightBenchmark(bars);
  it('averages the day\'s close-to-reference returns and compounds them', () => {
    [0.1, -0.025, 0, 0.05].forEach((x, i) => expect(b[i]!.r).toBeCloseTo(x, 12));
    expect(b.map((p) => p.constituents)).toEqual([1, 2, 1, 2]);
    expect(b[3]!.index).toBeCloseTo(1.126125, 12);
  });
  it('uses preClose on the ex-day, so a dividend is not a loss', () => {
    const priceOnly = equalWeightBenchmark(bars.map((d) => ({ ...d, preClose: d.preClose.map(() => null) })));
    expect(priceOnly[2]!.r).toBeCloseTo(9_400 / 9_900 - 1, 12);
    expect(b[2]!.r).toBe(0);
  });
  it('a day with no reference price has r = 0', () => {
    expect(equalWeightBenchmark([{ day: '2024-01-02', symbols: [A], close: [1], preClose: [null] }])[0]).toMatchObject({ r: 0, index: 1, constituents: 0 });
  });
});
