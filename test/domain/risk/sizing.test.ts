import { describe, expect, it } from 'vitest';
import {
  FixedFractionParamsSchema, FractionalKellyParamsSchema, VolatilityTargetParamsSchema, estimateKelly, fixedFraction,
  fractionalKelly, fractionalKellyWeight, kellyFraction, roundDownToLot, volatilityTarget,
} from '../../../src/domain/risk/sizingStops.js';

const MAIN = { minBuy: 100, step: 100 };
const STAR = { minBuy: 200, step: 1 };
const EQUITY = 100_000_000; // 1,000,000 CNY in fen
const TEN = 10_000; // 10.00 CNY in 0.001 CNY

describe('roundDownToLot', () => {
  it('rounds down to round lots on the main board and to single shares above 200 on STAR', () => {
    expect(roundDownToLot(12_345, MAIN)).toBe(12_300);
    expect(roundDownToLot(99, MAIN)).toBe(0);
    expect(roundDownToLot(201, STAR)).toBe(201);
    expect(roundDownToLot(199, STAR)).toBe(0);
  });
});

describe('fixedFraction', () => {
  it('10% of 1,000,000 CNY at 10.00 → 10,000 shares', () => {
    expect(fixedFraction({ fraction: 0.1 }, EQUITY, TEN, MAIN)).toBe(10_000);
  });
  it('rounds down to the lot: 5% of 100,000 CNY at 33.33 → 150.0… → 100 shares', () => {
    expect(fixedFraction({ fraction: 0.05 }, 10_000_000, 33_330, MAIN)).toBe(100);
  });
  it('STAR: 5% of 100,000 CNY at 33.33 → 150 shares is below the 200 minimum → 0; 10% → 300 shares', () => {
    expect(fixedFraction({ fraction: 0.05 }, 10_000_000, 33_330, STAR)).toBe(0);
    expect(fixedFraction({ fraction: 0.1 }, 10_000_000, 33_330, STAR)).toBe(300); // 10,000 / 33.33 = 300.03
  });
  it('STAR keeps single shares: 10% of 100,000 CNY at 45.67 → 218 shares', () => {
    expect(fixedFraction({ fraction: 0.1 }, 10_000_000, 45_670, STAR)).toBe(218); // 218.96
  });
  it('returns 0 for non-positive equity and throws on a non-positive price', () => {
    expect(fixedFraction({ fraction: 0.1 }, 0, TEN, MAIN)).toBe(0);
    expect(fixedFraction({ fraction: 0.1 }, -5, TEN, MAIN)).toBe(0);
    expect(() => fixedFraction({ fraction: 0.1 }, EQUITY, 0, MAIN)).toThrow(RangeError);
  });
});

describe('volatilityTarget', () => {
  it('1,000,000 CNY, price 10.00, ATR 0.50, risk 1%, multiple 2 → 10,000 shares', () => {
    expect(volatilityTarget({ riskPerTradeFraction: 0.01, atrMultiple: 2 }, EQUITY, TEN, 500, MAIN)).toBe(10_000);
  });
  it('fractional multiple: risk 0.5%, 1.5 × ATR 0.37 → 5,000 / 0.555 = 9,009.0 → 9,000 shares', () => {
    expect(volatilityTarget({ riskPerTradeFraction: 0.005, atrMultiple: 1.5 }, EQUITY, TEN, 370, MAIN)).toBe(9_000);
  });
  it('STAR: same budget at 45.67 with ATR 0.37 ×1.5 → 9,009 single shares', () => {
    expect(volatilityTarget({ riskPerTradeFraction: 0.005, atrMultiple: 1.5 }, EQUITY, 45_670, 370, STAR)).toBe(9_009);
  });
  it('caps at what the whole equity buys when the ATR is tiny', () => {
    // risk 10,000 CNY / (1 × 0.001) = 10,000,000 shares; equity buys 100,000 at 10.00
    expect(volatilityTarget({ riskPerTradeFraction: 0.01, atrMultiple: 1 }, EQUITY, TEN, 1, MAIN)).toBe(100_000);
  });
  it('throws on a zero ATR (unbounded size)', () => {
    expect(() => volatilityTarget({ riskPerTradeFraction: 0.01, atrMultiple: 2 }, EQUITY, TEN, 0, MAIN)).toThrow(RangeError);
  });
});

describe('Kelly', () => {
  it('kellyFraction(0.55, 1.5) = 0.55 − 0.45 / 1.5 = 0.25', () => {
    expect(kellyFraction(0.55, 1.5)).toBeCloseTo(0.25, 12);
    expect(kellyFraction(0.5, 1)).toBe(0);
    expect(kellyFraction(0.4, 1)).toBeCloseTo(-0.2, 12);
    expect(() => kellyFraction(1.1, 1)).toThrow(RangeError);
    expect(() => kellyFraction(0.5, 0)).toThrow(RangeError);
  });
  it('half Kelly 0.125 capped at 0.1 → 10,000 shares at 10.00 on 1,000,000 CNY', () => {
    const p = { winRate: 0.55, payoff: 1.5, fraction: 0.5, cap: 0.1 };
    expect(fractionalKellyWeight(p)).toBe(0.1);
    expect(fractionalKelly(p, EQUITY, TEN, MAIN)).toBe(10_000);
  });
  it('half Kelly under the cap: 0.125 of 1,000,000 CNY at 10.00 → 12,500 shares', () => {
    const p = { winRate: 0.55, payoff: 1.5, fraction: 0.5, cap: 0.2 };
    expect(fractionalKellyWeight(p)).toBe(0.125);
    expect(fractionalKelly(p, EQUITY, TEN, MAIN)).toBe(12_500);
  });
  it('no edge (f* ≤ 0) → 0 shares', () => {
    expect(fractionalKelly({ winRate: 0.5, payoff: 1, fraction: 0.5, cap: 0.2 }, EQUITY, TEN, MAIN)).toBe(0);
    expect(fractionalKelly({ winRate: 0.3, payoff: 1.2, fraction: 1, cap: 0.2 }, EQUITY, TEN, MAIN)).toBe(0);
  });
  it('STAR lot: 0.1 of 100,000 CNY at 45.67 → 218 shares', () => {
    expect(fractionalKelly({ winRate: 0.55, payoff: 1.5, fraction: 0.5, cap: 0.1 }, 10_000_000, 45_670, STAR)).toBe(218);
  });
  it('estimateKelly: 3 wins of avg 300, 2 losses of avg 100 → p 0.6, b 3', () => {
    const trades = [300, -50, 200, -150, 400].map((pnl) => ({ pnl }));
    expect(estimateKelly(trades, 5)).toEqual({ p: 0.6, b: 3 });
  });
  it('estimateKelly: null when too few trips, no losses or no wins; scratches count against p', () => {
    expect(estimateKelly([{ pnl: 1 }, { pnl: -1 }])).toBeNull(); // default minimum 20
    expect(estimateKelly([{ pnl: 1 }, { pnl: 2 }], 2)).toBeNull();
    expect(estimateKelly([{ pnl: -1 }, { pnl: -2 }], 2)).toBeNull();
    expect(estimateKelly([{ pnl: 2 }, { pnl: -1 }, { pnl: 0 }, { pnl: 0 }], 4)).toEqual({ p: 0.25, b: 2 });
  });
});

describe('param schemas', () => {
  it('accept valid params and report bad ones with their path', () => {
    expect(FixedFractionParamsSchema.parse({ fraction: 0.05 })).toEqual({ fraction: 0.05 });
    expect(VolatilityTargetParamsSchema.safeParse({ riskPerTradeFraction: 0.01, atrMultiple: 2 }).success).toBe(true);
    const bad = FractionalKellyParamsSchema.safeParse({ winRate: 1.2, payoff: 0, fraction: 0.5, cap: 0.1 });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['payoff', 'winRate']);
    expect(FixedFractionParamsSchema.safeParse({ fraction: 0.05, extra: 1 }).success).toBe(false);
  });
});
