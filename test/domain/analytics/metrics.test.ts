import { describe, expect, it } from 'vitest';
import {
  ANNUALISATION_DAYS, dailyReturns, maxDrawdown, sharpe, stdev, summarise, type EquitySample,
} from '../../../src/domain/analytics/metrics.js';

const curve = (days: readonly string[], equity: readonly number[]): EquitySample[] => days.map((day, i) => ({ day, equityFen: equity[i]! }));

/** 1,000 → 1,100 (+10%) → 990 (−10%) → 1,188 (+20%) → 1,188 (0%). */
const DAYS = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08'];
const SERIES = curve(DAYS, [100_000, 110_000, 99_000, 118_800, 118_800]);

describe('dailyReturns', () => {
  it('from the series itself: one fewer return than points', () => {
    const r = dailyReturns(SERIES);
    expect(r).toHaveLength(4);
    [0.1, -0.1, 0.2, 0].forEach((x, i) => expect(r[i]).toBeCloseTo(x, 12));
  });

  it('from a starting equity: the first point gets a return too', () => {
    const r = dailyReturns(SERIES.slice(1), 100_000);
    expect(r).toHaveLength(4);
    [0.1, -0.1, 0.2, 0].forEach((x, i) => expect(r[i]).toBeCloseTo(x, 12));
  });

  it('a zero previous equity gives a 0 return rather than Infinity', () => {
    expect(dailyReturns(curve(['2024-01-02', '2024-01-03'], [0, 100]))).toEqual([0]);
    expect(dailyReturns([])).toEqual([]);
  });
});

describe('stdev and Sharpe', () => {
  // Returns 0.1, −0.1, 0.2, 0: mean 0.05; squared deviations 0.0025 + 0.0225 + 0.0225 + 0.0025 = 0.05;
  // sample variance 0.05/3; sd = √(1/60) = 0.12910; Sharpe = 0.05 × √60 × √252 = 0.05 × √15120 = 6.14817.
  const r = [0.1, -0.1, 0.2, 0];

  it('sample standard deviation divides by n − 1', () => {
    expect(stdev(r)).toBeCloseTo(Math.sqrt(1 / 60), 12);
    expect(stdev(r)).toBeCloseTo(0.129099, 6);
    expect(stdev([0.5])).toBe(0);
    expect(stdev([])).toBe(0);
  });

  it('Sharpe = mean / sd × √252 of DAILY returns', () => {
    expect(ANNUALISATION_DAYS).toBe(252);
    expect(sharpe(r)).toBeCloseTo(6.14817, 5);
  });

  it('differs from a Sharpe computed on the cumulative return series (the classic mistake)', () => {
    // Cumulative returns of the same path: 0.1, −0.01, 0.188, 0.188 — mean 0.1165, sample sd 0.093984,
    // "Sharpe" 1.23957 × √252 = 19.677, more than three times the right answer.
    const cumulative = [0.1, -0.01, 0.188, 0.188];
    expect(sharpe(cumulative)).toBeCloseTo(19.677, 2);
    expect(sharpe(cumulative) / sharpe(r)).toBeGreaterThan(3);
  });

  it('subtracts a daily share of the annual risk-free rate', () => {
    // rf 2.52% a year = 0.0001 a day: mean 0.0499, sd unchanged.
    expect(sharpe(r, 0.0252)).toBeCloseTo((0.0499 / Math.sqrt(1 / 60)) * Math.sqrt(252), 10);
  });

  it('zero volatility gives 0, not Infinity', () => {
    expect(sharpe([0.01, 0.01, 0.01])).toBe(0);
  });
});

describe('maxDrawdown', () => {
  // 100 → 120 (peak) → 90 (trough, −25%) → 110 → 125 (recovered: ≥ 120) → 100 (−20% from 125, smaller).
  const days = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08', '2024-01-09'];
  const c = curve(days, [100, 120, 90, 110, 125, 100]);

  it('finds the largest fall with its peak, trough and recovery days', () => {
    expect(maxDrawdown(c)).toEqual({ maxDrawdown: 0.25, peakDay: '2024-01-03', troughDay: '2024-01-04', recoveryDay: '2024-01-08' });
  });

  it('recovery is null while the peak has not been regained', () => {
    expect(maxDrawdown(c.slice(0, 4)).recoveryDay).toBeNull();
  });

  it('regaining exactly the peak counts as recovery', () => {
    const d = maxDrawdown(curve(days.slice(0, 4), [100, 120, 90, 120]));
    expect(d.recoveryDay).toBe('2024-01-05');
  });

  it('a deeper fall from a later, higher peak replaces the first one', () => {
    const d = maxDrawdown(curve(days, [100, 90, 100, 200, 100, 150]));
    expect(d).toEqual({ maxDrawdown: 0.5, peakDay: '2024-01-05', troughDay: '2024-01-08', recoveryDay: null });
  });

  it('a rising or flat curve has no drawdown', () => {
    expect(maxDrawdown(curve(days.slice(0, 3), [100, 110, 120]))).toEqual({ maxDrawdown: 0, peakDay: null, troughDay: null, recoveryDay: null });
    expect(maxDrawdown([])).toEqual({ maxDrawdown: 0, peakDay: null, troughDay: null, recoveryDay: null });
  });
});

describe('summarise', () => {
  it('headline statistics of the hand-computed series', () => {
    const m = summarise(SERIES.slice(1), 100_000);
    expect(m.days).toBe(4);
    expect(m.totalReturn).toBeCloseTo(0.188, 12);
    expect(m.sharpe).toBeCloseTo(6.14817, 5);
    expect(m.annualVolatility).toBeCloseTo(Math.sqrt(1 / 60) * Math.sqrt(252), 12);
    expect(m.maxDrawdown).toBeCloseTo(0.1, 12);
    expect(m).toMatchObject({ peakDay: '2024-01-03', troughDay: '2024-01-04', recoveryDay: '2024-01-05' });
  });

  it('CAGR runs over calendar days: +21% from 2022-01-01 to 2023-12-31 (730 days) is about +10% a year', () => {
    const m = summarise(curve(['2022-01-01', '2023-12-31'], [105_000, 121_000]), 100_000);
    expect(m.cagr).toBeCloseTo(1.21 ** (365.25 / 730) - 1, 12);
    expect(m.cagr).toBeCloseTo(0.1, 3);
    // The same two points a year apart compound over one year instead of two.
    const oneYear = summarise(curve(['2023-01-01', '2023-12-31'], [105_000, 121_000]), 100_000);
    expect(oneYear.cagr).toBeCloseTo(1.21 ** (365.25 / 365) - 1, 12);
    expect(oneYear.cagr).toBeCloseTo(0.21, 3);
  });

  it('a flat series gives zeros everywhere', () => {
    const m = summarise(curve(DAYS, [100_000, 100_000, 100_000, 100_000, 100_000]), 100_000);
    expect(m).toEqual({
      totalReturn: 0, cagr: 0, annualVolatility: 0, sharpe: 0, days: 5,
      maxDrawdown: 0, peakDay: null, troughDay: null, recoveryDay: null,
    });
  });

  it('an empty curve gives zeros', () => {
    expect(summarise([], 100_000)).toMatchObject({ totalReturn: 0, cagr: 0, annualVolatility: 0, sharpe: 0, days: 0 });
  });
});
