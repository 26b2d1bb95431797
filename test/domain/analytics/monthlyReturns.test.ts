import { describe, expect, it } from 'vitest';
import { monthlyReturns } from '../../../src/domain/analytics/monthlyReturns.js';

describe('monthly returns compound the daily ones', () => {
  it('Jan 2024: 1.1 × 0.9 − 1 = −1%; Feb: +5%; 2024: 0.99 × 1.05 − 1 = 3.95%; Jan 2025: +2%', () => {
    const { months, years } = monthlyReturns([
      { day: '2024-01-30', r: 0.1 }, { day: '2024-01-31', r: -0.1 }, { day: '2024-02-01', r: 0.05 }, { day: '2025-01-02', r: 0.02 },
    ]);
    expect(months.map((m) => [m.year, m.month])).toEqual([[2024, 1], [2024, 2], [2025, 1]]);
    [-0.01, 0.05, 0.02].forEach((x, i) => expect(months[i]!.r).toBeCloseTo(x, 12));
    expect(years.map((y) => y.year)).toEqual([2024, 2025]);
    expect(years[0]!.r).toBeCloseTo(0.0395, 12);
    expect(years[1]!.r).toBeCloseTo(0.02, 12);
  });
});
