import { describe, expect, it } from 'vitest';
import { analysePerformance } from '../../../src/domain/analytics/performance.js';

// Start 1,000.00 CNY. Day 1 flat in cash; day 2 all in one stock, +10%; day 3 −10%.
// Strategy daily returns 0, 0.1, −0.1 (from the start equity); the one-stock benchmark +2%, +5%, −10%.
const curve = [
  { day: '2024-01-02', equityFen: 100_000, positionsValueFen: 0, positions: 0 },
  { day: '2024-01-03', equityFen: 110_000, positionsValueFen: 110_000, positions: 1 },
  { day: '2024-01-04', equityFen: 99_000, positionsValueFen: 99_000, positions: 1 },
];
const bars = [
  { day: '2024-01-02', symbols: ['600000.SH'], close: [10_200], preClose: [10_000] },
  { day: '2024-01-03', symbols: ['600000.SH'], close: [10_710], preClose: [10_200] },
  { day: '2024-01-04', symbols: ['600000.SH'], close: [9_639], preClose: [10_710] },
];
const trades = [{ day: '2024-01-02', fillId: 'f1', orderId: 'o1', symbol: '600000.SH', side: 'buy' as const, qty: 100, priceMilli: 10_000, notionalFen: 100_000, feesFen: 0 }];

describe('analysePerformance wires the pieces on aligned days', () => {
  const p = analysePerformance({ initialEquityFen: 100_000, curve, bars, trades });
  it('daily growth, drawdown and the benchmark rebased to 1 before day 1', () => {
    expect(p.daily.map((d) => d.r)).toEqual([0, expect.closeTo(0.1, 12), expect.closeTo(-0.1, 12)]);
    expect(p.daily.map((d) => d.growth)).toEqual([1, 1.1, 0.99]);
    expect(p.daily[2]!.drawdown).toBeCloseTo(-0.1, 12);
    [1.02, 1.071, 0.9639].forEach((g, i) => expect(p.daily[i]!.benchmarkGrowth).toBeCloseTo(g, 12));
    expect(p.benchmark.totalReturn).toBeCloseTo(-0.0361, 12);
  });
  it('exposure 2/3 of days, gross (0 + 1 + 1)/3; turnover 100,000 / 103,000 × 252/3', () => {
    expect(p.exposure.timeInMarket).toBeCloseTo(2 / 3, 12);
    expect(p.exposure.averageGrossExposure).toBeCloseTo(2 / 3, 12);
    expect(p.turnover.annualTurnover).toBeCloseTo((100_000 / 103_000) * 84, 10);
    expect(p.trades).toMatchObject({ roundTrips: 0, openQty: 100, winRate: null });
  });
  it('Sortino: downside √(0.01/3) from all 3 days; mean −0; so 0', () => {
    expect(p.summary.sortino).toBeCloseTo(0, 12);
    expect(p.summary.calmar).not.toBeNull();
    expect(p.monthly.strategy).toHaveLength(1);
    expect(p.monthly.strategy[0]!.r).toBeCloseTo(-0.01, 12);
  });
});
