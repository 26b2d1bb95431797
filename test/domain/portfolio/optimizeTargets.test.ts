import { describe, expect, it } from 'vitest';
import type { DayBars } from '../../../src/domain/bars.js';
import { newReturnsWindow, optimizeTargets, pushReturns, recentReturns, type OptimizeOptions } from '../../../src/domain/portfolio/index.js';

const opts = (optimizer: OptimizeOptions['optimizer']): OptimizeOptions => ({ optimizer, riskAversion: 5, maxWeight: 1, minObservations: 4, shrinkage: 0 });
// A's returns alternate ±1%, B's ±2% in step (perfectly correlated, twice the volatility).
const A = [0.01, -0.01, 0.01, -0.01, 0.01, -0.01];
const B = A.map((r) => 2 * r);
const returnsOf = (s: string) => (s === 'A' ? A : s === 'B' ? B : []);
const targets = new Map([['A', 0.45], ['B', 0.45]]);

describe('optimizeTargets', () => {
  it('equal leaves the strategy weights as they are', () => {
    expect(optimizeTargets(targets, returnsOf, opts('equal'))).toBe(targets);
  });

  it('inverse volatility: half the volatility, twice the weight; the invested budget (0.9) is kept', () => {
    const w = optimizeTargets(targets, returnsOf, opts('inverse-vol'));
    expect(w.get('A')).toBeCloseTo(0.6, 12);
    expect(w.get('B')).toBeCloseTo(0.3, 12);
  });

  it('risk parity on two perfectly correlated assets equalises risk contributions: weights ∝ 1/σ as well', () => {
    const w = optimizeTargets(targets, returnsOf, opts('risk-parity'));
    expect(w.get('A')! / w.get('B')!).toBeCloseTo(2, 6);
    expect(w.get('A')! + w.get('B')!).toBeCloseTo(0.9, 9);
  });

  it('too short a common history keeps the strategy weights (a new listing has no covariance yet)', () => {
    const short = (s: string) => (s === 'A' ? A : B.slice(0, 3));
    expect(optimizeTargets(targets, short, opts('inverse-vol'))).toBe(targets);
  });

  it('mean-variance stays long-only, within the budget and the cap', () => {
    const w = optimizeTargets(targets, returnsOf, { ...opts('mean-variance'), maxWeight: 0.7 });
    const total = [...w.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(0.9, 9);
    for (const x of w.values()) { expect(x).toBeGreaterThanOrEqual(0); expect(x).toBeLessThanOrEqual(0.7 * 0.9 + 1e-9); }
  });
});

describe('returns window', () => {
  const day = (d: string, closes: Record<string, number>): DayBars => {
    const symbols = Object.keys(closes).sort();
    const c = symbols.map((s) => closes[s]!);
    return { day: d, symbols, open: c, high: c, low: c, close: c, volume: c.map(() => 1), amountFen: c.map(() => 1), preClose: c.map(() => null), isSt: c.map(() => 0 as const) };
  };
  it('keeps the last N close-to-close returns per symbol, oldest first; a missing day is skipped', () => {
    const w = newReturnsWindow(3);
    pushReturns(w, day('2025-01-02', { '600000.SH': 100, '000001.SZ': 10 }));
    pushReturns(w, day('2025-01-03', { '600000.SH': 110, '000001.SZ': 11 }));
    pushReturns(w, day('2025-01-06', { '600000.SH': 99 }));
    pushReturns(w, day('2025-01-07', { '600000.SH': 99, '000001.SZ': 11 }));
    pushReturns(w, day('2025-01-08', { '600000.SH': 198 }));
    expect(recentReturns(w, '600000.SH').map((x) => +x.toFixed(6))).toEqual([-0.1, 0, 1]);
    expect(recentReturns(w, '000001.SZ').map((x) => +x.toFixed(6))).toEqual([0.1, 0]);
    expect(recentReturns(w, '688001.SH')).toEqual([]);
  });
});
