import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  evaluateStops, fixedFraction, fractionalKelly, fractionalKellyWeight, volatilityTarget, type StopPosition,
} from '../../../src/domain/risk/sizingStops.js';
import { rateFromFraction } from '../../../src/domain/money.js';
import type { TradingDay } from '../../../src/domain/tradingDay.js';

/**
 * Invariants defended: every size is a valid buy lot (0, or ≥ minBuy and minBuy + k × step) and
 * never costs more than equity; the fractional-Kelly weight stays in [0, cap]; a stop never sells
 * more than the sellable quantity (T+1), and sells nothing on a suspended day.
 */

const lotArb = fc.constantFrom({ minBuy: 100, step: 100 }, { minBuy: 200, step: 1 }, { minBuy: 100, step: 1 });
const equityArb = fc.integer({ min: -1_000_000, max: 10_000_000_000_000 }); // up to 100 bn CNY in fen
const priceArb = fc.integer({ min: 1, max: 5_000_000 }); // 0.001 … 5,000 CNY
const fracArb = fc.double({ min: 1e-6, max: 1, noNaN: true });

function isLotValid(q: number, lot: { minBuy: number; step: number }): boolean {
  return q === 0 || (Number.isSafeInteger(q) && q >= lot.minBuy && (q - lot.minBuy) % lot.step === 0);
}
const affordable = (q: number, equityFen: number, priceMilli: number): boolean => q === 0 || BigInt(q) * BigInt(priceMilli) <= BigInt(equityFen) * 10n;

describe('sizing properties', () => {
  it('fixed fraction: lot-valid and within equity / price', () => {
    fc.assert(fc.property(fracArb, equityArb, priceArb, lotArb, (fraction, e, p, lot) => {
      const q = fixedFraction({ fraction }, e, p, lot);
      expect(isLotValid(q, lot)).toBe(true);
      expect(affordable(q, e, p)).toBe(true);
    }));
  });

  it('volatility target: lot-valid, within equity / price, and risk at most the budget', () => {
    fc.assert(fc.property(fracArb, fc.double({ min: 0.1, max: 10, noNaN: true }), equityArb, priceArb, fc.integer({ min: 1, max: 1_000_000 }), lotArb,
      (risk, multiple, e, p, atr, lot) => {
        const q = volatilityTarget({ riskPerTradeFraction: risk, atrMultiple: multiple }, e, p, atr, lot);
        expect(isLotValid(q, lot)).toBe(true);
        expect(affordable(q, e, p)).toBe(true);
        // fractions are taken to the nearest ppb before any money is computed (documented rounding)
        if (q > 0) expect(BigInt(q) * BigInt(rateFromFraction(multiple)) * BigInt(atr) <= BigInt(rateFromFraction(risk)) * BigInt(e) * 10n).toBe(true);
      }));
  });

  it('fractional Kelly: weight within [0, cap]; size lot-valid, within equity / price and the cap', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 100, noNaN: true }), fracArb, fracArb, equityArb, priceArb, lotArb,
      (winRate, payoff, fraction, cap, e, p, lot) => {
        const params = { winRate, payoff, fraction, cap };
        const w = fractionalKellyWeight(params);
        expect(w).toBeGreaterThanOrEqual(0);
        expect(w).toBeLessThanOrEqual(cap + 1e-9);
        const q = fractionalKelly(params, e, p, lot);
        expect(isLotValid(q, lot)).toBe(true);
        expect(affordable(q, e, p)).toBe(true);
        if (q > 0) expect(q * p).toBeLessThanOrEqual((cap + 1e-9) * e * 10);
      }));
  });
});

describe('stop properties', () => {
  const posArb = fc.record({
    qty: fc.integer({ min: 0, max: 1_000_000 }), sellRatio: fc.double({ min: 0, max: 1, noNaN: true }),
    entry: fc.integer({ min: 10, max: 1_000_000 }), highestUp: fc.integer({ min: 0, max: 1_000_000 }),
  }).map(({ qty, sellRatio, entry, highestUp }): StopPosition => ({
    symbol: '688001.SH', qty, sellable: Math.floor(qty * sellRatio), entryPriceMilli: entry,
    entryDay: '2026-01-05' as TradingDay, highestCloseMilli: entry + highestUp,
  }));
  const barArb = fc.tuple(fc.integer({ min: 1, max: 2_000_000 }), fc.integer({ min: 0, max: 500_000 }), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([low, span, at]) => ({ low, high: low + span, close: low + Math.floor(span * at) }));
  const rulesArb = fc.record({
    fixedPct: fc.double({ min: 0.001, max: 0.5, noNaN: true }),
    trailingPct: fc.double({ min: 0.001, max: 0.5, noNaN: true }),
    atr: fc.record({ multiple: fc.double({ min: 0.5, max: 5, noNaN: true }), atrMilli: fc.integer({ min: 1, max: 100_000 }) }),
    takeProfitPct: fc.double({ min: 0.01, max: 3, noNaN: true }),
    maxHoldingDays: fc.integer({ min: 1, max: 250 }),
  }, { requiredKeys: [] });

  it('never sells more than the sellable quantity; blocked decisions sell 0', () => {
    fc.assert(fc.property(posArb, barArb, fc.integer({ min: 0, max: 300 }), rulesArb, (p, b, held, rules) => {
      const d = evaluateStops(p, b, '2026-03-10' as TradingDay, held, rules);
      if (d === null) return;
      expect(d.qty).toBeLessThanOrEqual(p.sellable);
      expect(d.qty).toBeGreaterThanOrEqual(0);
      if (d.blockedBy === 'T1') expect(d.qty).toBe(0);
      else expect(d.qty).toBe(p.sellable);
      if (d.kind === 'TAKE_PROFIT') expect(b.high).toBeGreaterThanOrEqual(d.triggerPriceMilli);
      else if (d.kind !== 'TIME') expect(b.low).toBeLessThanOrEqual(d.triggerPriceMilli);
    }));
  });

  it('a suspended day triggers nothing', () => {
    fc.assert(fc.property(posArb, fc.integer({ min: 0, max: 300 }), rulesArb, (p, held, rules) => {
      expect(evaluateStops(p, null, '2026-03-10' as TradingDay, held, rules)).toBeNull();
    }));
  });
});
