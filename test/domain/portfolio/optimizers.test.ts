import { describe, expect, it } from 'vitest';
import {
  covariance, dailyReturns, equalWeight, inverseVolatility, meanVariance, meanVarianceUtility, projectCappedSimplex,
  riskContributions, riskParity,
} from '../../../src/domain/portfolio/index.js';

const sum = (w: readonly number[]): number => w.reduce((a, x) => a + x, 0);

describe('projectCappedSimplex', () => {
  it('shifts by a common τ: (0.5, 0.5, 0.5) → thirds; (1, 0, 0) with cap 0.5 → (0.5, 0.25, 0.25)', () => {
    expect(projectCappedSimplex([0.5, 0.5, 0.5], 0, 1).map((x) => +x.toFixed(12))).toEqual([1 / 3, 1 / 3, 1 / 3].map((x) => +x.toFixed(12)));
    const w = projectCappedSimplex([1, 0, 0], 0, 0.5);
    expect(w[0]).toBeCloseTo(0.5, 12);
    expect(w[1]).toBeCloseTo(0.25, 12);
    expect(w[2]).toBeCloseTo(0.25, 12);
  });
  it('throws on an empty set', () => {
    expect(() => projectCappedSimplex([1, 2], 0, 0.4)).toThrow(RangeError);
  });
});

describe('equalWeight / inverseVolatility', () => {
  it('1/n each', () => expect(equalWeight(4)).toEqual([0.25, 0.25, 0.25, 0.25]));
  it('σ = (0.1, 0.2): w ∝ (10, 5) → (2/3, 1/3)', () => {
    const w = inverseVolatility([0.1, 0.2]);
    expect(w[0]).toBeCloseTo(2 / 3, 14);
    expect(w[1]).toBeCloseTo(1 / 3, 14);
  });
  it('equal vols → equal weights; σ ≤ 0 throws', () => {
    expect(inverseVolatility([0.3, 0.3, 0.3]).every((x) => Math.abs(x - 1 / 3) < 1e-15)).toBe(true);
    expect(() => inverseVolatility([0.1, 0])).toThrow(RangeError);
  });
});

describe('covariance', () => {
  it('sample covariance with the T − 1 denominator; shrinkage scales the off-diagonal', () => {
    // a = (1, 2, 3), b = (2, 4, 6): var a = 1, var b = 4, cov = 2.
    const S = covariance([[1, 2, 3], [2, 4, 6]]);
    expect(S).toEqual([[1, 2], [2, 4]]);
    expect(covariance([[1, 2, 3], [2, 4, 6]], { shrinkage: 0.25 })).toEqual([[1, 1.5], [1.5, 4]]);
  });
  it('daily returns', () => {
    expect(dailyReturns([100, 110, 99])).toEqual([0.10000000000000009, -0.09999999999999998]);
  });
});

describe('riskParity', () => {
  it('equal vol, correlated → equal weights', () => {
    const r = riskParity([[0.04, 0.02], [0.02, 0.04]]);
    expect(r.converged).toBe(true);
    expect(r.weights[0]).toBeCloseTo(0.5, 12);
  });
  it('uncorrelated → inverse volatility (σ = 0.1, 0.2 → 2/3, 1/3)', () => {
    const r = riskParity([[0.01, 0], [0, 0.04]]);
    expect(r.weights[0]).toBeCloseTo(2 / 3, 10);
    expect(r.weights[1]).toBeCloseTo(1 / 3, 10);
  });
  it('three correlated assets: every risk contribution is 1/3', () => {
    const cov = [[0.04, 0.006, 0.012], [0.006, 0.09, -0.009], [0.012, -0.009, 0.0225]];
    const r = riskParity(cov);
    expect(r.converged).toBe(true);
    expect(sum(r.weights)).toBeCloseTo(1, 12);
    for (const rc of riskContributions(cov, r.weights)) expect(rc).toBeCloseTo(1 / 3, 9);
  });
});

describe('meanVariance', () => {
  const diag = (v: number, n: number): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? v : 0)));
  // μ = (0.10, 0.05), Σ = 0.04·I, λ = 10. On w₂ = 1 − w₁ the derivative is 0.05 + 0.4 − 0.8·w₁ → w₁ = 0.5625.
  it('interior optimum (0.5625, 0.4375)', () => {
    const r = meanVariance([0.1, 0.05], diag(0.04, 2), { riskAversion: 10 });
    expect(r.converged).toBe(true);
    expect(r.weights[0]).toBeCloseTo(0.5625, 9);
    expect(r.weights[1]).toBeCloseTo(0.4375, 9);
  });
  it('cap binding: maxWeight 0.55 → (0.55, 0.45)', () => {
    const r = meanVariance([0.1, 0.05], diag(0.04, 2), { riskAversion: 10, maxWeight: 0.55 });
    expect(r.weights[0]).toBeCloseTo(0.55, 9);
    expect(r.weights[1]).toBeCloseTo(0.45, 9);
  });
  it('λ = 1: unconstrained w₁ = 1.125, long-only corner (1, 0)', () => {
    const r = meanVariance([0.1, 0.05], diag(0.04, 2), { riskAversion: 1 });
    expect(r.weights[0]).toBeCloseTo(1, 9);
    expect(Math.abs(r.weights[1]!)).toBeLessThan(1e-9);
  });
  // μ = (0.1, 0.1, −0.1), Σ = 0.04·I, λ = 5: wᵢ = (μᵢ − γ)/0.2 with Σw = 1 → γ = −1/30 → (2/3, 2/3, −1/3).
  it('long-short reaches (2/3, 2/3, −1/3); long-only drops the short leg to (1/2, 1/2, 0)', () => {
    const ls = meanVariance([0.1, 0.1, -0.1], diag(0.04, 3), { riskAversion: 5, longOnly: false });
    expect(ls.weights.map((x) => +x.toFixed(8))).toEqual([0.66666667, 0.66666667, -0.33333333]);
    const lo = meanVariance([0.1, 0.1, -0.1], diag(0.04, 3), { riskAversion: 5 });
    expect(lo.weights[0]).toBeCloseTo(0.5, 9);
    expect(lo.weights[2]).toBeCloseTo(0, 9);
  });
  // μ = (0.10, 0.08, 0.06), Σ = 0.04·I, λ = 10: all three held (0.3833, 0.3333, 0.2833); with K = 2 keep
  // assets 0 and 1 and re-solve: 0.18 − 2γ = 0.4 → γ = −0.11 → (0.525, 0.475, 0).
  it('maxPositions keeps the K largest and re-solves', () => {
    const all = meanVariance([0.1, 0.08, 0.06], diag(0.04, 3), { riskAversion: 10 });
    expect(all.weights[2]).toBeCloseTo(0.2833333333, 8);
    const two = meanVariance([0.1, 0.08, 0.06], diag(0.04, 3), { riskAversion: 10, maxPositions: 2 });
    expect(two.weights[0]).toBeCloseTo(0.525, 9);
    expect(two.weights[1]).toBeCloseTo(0.475, 9);
    expect(two.weights[2]).toBe(0);
  });
  it('beats every grid point on a correlated 3-asset problem (optimality check)', () => {
    const mu = [0.08, 0.12, 0.05], cov = [[0.04, 0.01, 0.0], [0.01, 0.09, 0.02], [0.0, 0.02, 0.03]];
    const r = meanVariance(mu, cov, { riskAversion: 4, maxWeight: 0.6 });
    const best = meanVarianceUtility(mu, cov, 4, r.weights);
    for (let a = 0; a <= 60; a++) for (let b = 0; b <= 60; b++) {
      const c = 100 - a - b;
      if (c < 0 || c > 60) continue;
      expect(meanVarianceUtility(mu, cov, 4, [a / 100, b / 100, c / 100])).toBeLessThanOrEqual(best + 1e-12);
    }
  });
  it('rejects infeasible caps and bad parameters', () => {
    expect(() => meanVariance([0.1, 0.1], diag(0.04, 2), { riskAversion: 1, maxWeight: 0.4 })).toThrow(RangeError);
    expect(() => meanVariance([0.1, 0.1], diag(0.04, 2), { riskAversion: 0 })).toThrow();
  });
});
