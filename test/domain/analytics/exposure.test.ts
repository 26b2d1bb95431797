import { describe, expect, it } from 'vitest';
import { exposure, turnover } from '../../../src/domain/analytics/exposure.js';

// Equity 100, 100, 200, 100; positions value 0, 50, 150, 0; positions 0, 1, 2, 0.
const curve = [
  { day: '2024-01-02', equityFen: 100, positionsValueFen: 0, positions: 0 },
  { day: '2024-01-03', equityFen: 100, positionsValueFen: 50, positions: 1 },
  { day: '2024-01-04', equityFen: 200, positionsValueFen: 150, positions: 2 },
  { day: '2024-01-05', equityFen: 100, positionsValueFen: 0, positions: 0 },
];

describe('exposure', () => {
  it('time in market 2/4; gross exposure mean of 0, 0.5, 0.75, 0 = 0.3125', () => {
    const e = exposure(curve);
    expect(e.timeInMarket).toBe(0.5);
    expect(e.averageGrossExposure).toBeCloseTo(0.3125, 12);
    expect(e.series.map((p) => p.gross)).toEqual([0, 0.5, 0.75, 0]);
  });
  it('empty curve is all zeros', () => {
    expect(exposure([])).toMatchObject({ timeInMarket: 0, averageGrossExposure: 0 });
  });
});

describe('turnover', () => {
  it('300 traded / average equity 125 = 2.4 over 4 days; × 252/4 = 151.2 a year', () => {
    const t = turnover(300, curve);
    expect(t.averageEquityFen).toBe(125);
    expect(t.periodTurnover).toBeCloseTo(2.4, 12);
    expect(t.annualTurnover).toBeCloseTo(151.2, 10);
  });
});
