import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { meanVariance, projectCappedSimplex, rebalance, riskContributions, riskParity } from '../../../src/domain/portfolio/index.js';
import { portfolioOf } from './fixtures.js';

/** A random positive-definite covariance: Σ = AᵀA/n + εI. */
const covArb = (n: number) => fc.array(fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: n, maxLength: n }), { minLength: n, maxLength: n })
  .map((a) => a.map((_, i) => a.map((__, j) => a.reduce((s, row) => s + row[i]! * row[j]!, 0) / n + (i === j ? 1e-3 : 0))));

const problemArb = fc.integer({ min: 1, max: 6 }).chain((n) => fc.record({
  mu: fc.array(fc.double({ min: -0.2, max: 0.3, noNaN: true }), { minLength: n, maxLength: n }),
  cov: covArb(n),
  riskAversion: fc.double({ min: 0.5, max: 20, noNaN: true }),
  maxPositions: fc.integer({ min: 1, max: n }),
  capSlack: fc.double({ min: 0, max: 1, noNaN: true }),
}));

describe('optimizer invariants: weights ≥ 0, Σw = 1 ± 1e-9, w ≤ maxWeight, #(w > 0) ≤ maxPositions', () => {
  it('meanVariance (long-only)', () => {
    fc.assert(fc.property(problemArb, ({ mu, cov, riskAversion, maxPositions, capSlack }) => {
      const maxWeight = 1 / maxPositions + capSlack * (1 - 1 / maxPositions); // feasible: K·cap ≥ 1
      const { weights } = meanVariance(mu, cov, { riskAversion, maxWeight, maxPositions });
      expect(Math.abs(weights.reduce((a, x) => a + x, 0) - 1)).toBeLessThanOrEqual(1e-9);
      for (const w of weights) {
        expect(w).toBeGreaterThanOrEqual(0);
        expect(w).toBeLessThanOrEqual(maxWeight + 1e-12);
      }
      expect(weights.filter((w) => w > 0).length).toBeLessThanOrEqual(maxPositions);
    }), { numRuns: 150 });
  });

  it('riskParity: positive weights summing to 1 with equal risk contributions', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }).chain(covArb), (cov) => {
      const { weights, converged } = riskParity(cov);
      expect(converged).toBe(true);
      expect(Math.abs(weights.reduce((a, x) => a + x, 0) - 1)).toBeLessThanOrEqual(1e-9);
      for (const w of weights) expect(w).toBeGreaterThan(0);
      for (const rc of riskContributions(cov, weights)) expect(Math.abs(rc - 1 / cov.length)).toBeLessThan(1e-8);
    }), { numRuns: 150 });
  });

  it('projectCappedSimplex lands in the set', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 10 }), fc.double({ min: 0, max: 1, noNaN: true }), (v, s) => {
      const hi = 1 / v.length + s * (1 - 1 / v.length);
      const w = projectCappedSimplex(v, 0, hi);
      expect(Math.abs(w.reduce((a, x) => a + x, 0) - 1)).toBeLessThanOrEqual(1e-9);
      for (const x of w) expect(x >= 0 && x <= hi).toBe(true);
    }));
  });
});

const SYMS = ['000001.SZ', '300750.SZ', '600000.SH', '688001.SH'];
const lots = (s: string) => (s.startsWith('688') ? { minBuy: 200, step: 1 } : { minBuy: 100, step: 100 });

describe('rebalance never sells more than is sellable nor spends more than cash + sale proceeds', () => {
  it('holds for random portfolios and targets', () => {
    const posArb = fc.record({ qty: fc.integer({ min: 0, max: 50_000 }), todayPct: fc.double({ min: 0, max: 1, noNaN: true }), price: fc.integer({ min: 1_000, max: 500_000 }) });
    fc.assert(fc.property(
      fc.array(posArb, { minLength: SYMS.length, maxLength: SYMS.length }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: SYMS.length, maxLength: SYMS.length }),
      fc.integer({ min: 0, max: 10_000_000_00 }), fc.boolean(),
      (ps, raw, cashFen, investAll) => {
        const positions = ps.map((p, i) => ({ symbol: SYMS[i]!, qty: p.qty, sellable: p.qty - Math.floor(p.qty * p.todayPct), lastPrice: p.price }));
        const pf = portfolioOf(cashFen, positions);
        const total = raw.reduce((a, x) => a + x, 0) || 1;
        const targets = new Map(SYMS.map((s, i) => [s, (raw[i]! / total) * (investAll ? 1 : 0.9)]));
        const price = (s: string) => positions.find((p) => p.symbol === s)!.lastPrice;
        const r = rebalance({
          targets, portfolio: pf, held: SYMS, prices: price, equityFen: pf.equityFen(), lotRuleOf: lots,
          schedule: 'daily', lastRebalanceDay: null, day: '2024-03-04', turnoverThreshold: 0,
        });
        let cash = cashFen;
        let seenBuy = false;
        for (const o of r.orders) {
          const p = positions.find((x) => x.symbol === o.symbol)!;
          expect(o.qty).toBeGreaterThan(0);
          if (o.side === 'sell') {
            expect(seenBuy).toBe(false); // sells first
            expect(o.qty).toBeLessThanOrEqual(p.sellable);
            cash += Math.floor((o.qty * o.refPrice) / 10);
          } else {
            seenBuy = true;
            const { minBuy, step } = lots(o.symbol);
            expect(o.qty >= minBuy && (o.qty - minBuy) % step === 0).toBe(true);
            cash -= Math.ceil((o.qty * o.refPrice) / 10);
          }
        }
        expect(cash).toBeGreaterThanOrEqual(0);
      }), { numRuns: 300 });
  });
});
