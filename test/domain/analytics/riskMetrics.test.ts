import { describe, expect, it } from 'vitest';
import { calmar, downsideDeviation, relativeMetrics, sortino } from '../../../src/domain/analytics/riskMetrics.js';

describe('Sortino (downside deviation vs 0 over all days)', () => {
  // Returns 0.1, −0.1, 0.2, 0: min(r,0)² = 0, 0.01, 0, 0; Σ/N = 0.01/4 = 0.0025; DD = 0.05.
  // Mean 0.05, so Sortino = 0.05 / 0.05 × √252 = √252 = 15.87451.
  const r = [0.1, -0.1, 0.2, 0];
  it('divides by all N days, not only the losing ones', () => {
    expect(downsideDeviation(r)).toBeCloseTo(0.05, 12);
    expect(sortino(r)).toBeCloseTo(Math.sqrt(252), 10);
    expect(sortino(r)).toBeCloseTo(15.87451, 5);
  });
  it('is null when no day lost, and 0 downside for no data', () => {
    expect(sortino([0.01, 0, 0.02])).toBeNull();
    expect(downsideDeviation([])).toBe(0);
  });
});

describe('Calmar', () => {
  it('CAGR / max drawdown: 20% / 10% = 2; null without a drawdown', () => {
    expect(calmar(0.2, 0.1)).toBeCloseTo(2, 12);
    expect(calmar(0.2, 0)).toBeNull();
  });
});

describe('alpha, beta, information ratio', () => {
  it('an exact line y = 2x + 0.001: beta 2, alpha 0.001 × 252 = 0.252', () => {
    const x = [0.01, 0.02, 0.03, 0.04];
    const y = x.map((v) => 2 * v + 0.001);
    const m = relativeMetrics(y, x);
    expect(m.beta).toBeCloseTo(2, 12);
    expect(m.alpha).toBeCloseTo(0.252, 10);
    // Active = y − x = 0.011, 0.021, 0.031, 0.041: mean 0.026; deviations ±0.015, ±0.005;
    // Σd² = 0.0005; sample var 0.0005/3; TE = √(0.0005/3) × √252 = 0.204939;
    // IR = 0.026 / √(0.0005/3) × √252 = 0.026 × √1512000 = 31.97048.
    expect(m.trackingError).toBeCloseTo(0.204939, 6);
    expect(m.informationRatio).toBeCloseTo(31.97048, 4);
    expect(m.days).toBe(4);
  });

  it('a noisy pair by hand: beta = Sxy/Sxx = 0.0004/0.0005 = 0.8, alpha = (0.005 − 0.8 × 0.005) × 252', () => {
    // x mean 0.005, y mean 0.005; dx = .005, −.015, .015, −.005; dy = .015, −.015, .005, −.005.
    const m = relativeMetrics([0.02, -0.01, 0.01, 0], [0.01, -0.01, 0.02, 0]);
    expect(m.beta).toBeCloseTo(0.8, 12);
    expect(m.alpha).toBeCloseTo(0.001 * 252, 10);
  });

  it('excess returns over a risk-free rate: 2.52%/yr = 0.0001/day moves the intercept to 0.0011', () => {
    // y − rf = 2(x − rf) + 0.001 + rf, so the intercept is 0.001 + 0.0001.
    const x = [0.01, 0.02, 0.03, 0.04];
    const m = relativeMetrics(x.map((v) => 2 * v + 0.001), x, 0.0252);
    expect(m.beta).toBeCloseTo(2, 12);
    expect(m.alpha).toBeCloseTo(0.0011 * 252, 10);
  });

  it('a flat benchmark has no beta; identical series have no tracking error', () => {
    expect(relativeMetrics([0.01, 0.02], [0, 0]).beta).toBeNull();
    expect(relativeMetrics([0.01, 0.02], [0.01, 0.02]).informationRatio).toBeNull();
    expect(() => relativeMetrics([0.01], [])).toThrow();
  });
});
