import { describe, expect, it } from 'vitest';
import {
  assertCorporateAction, dividendAmountFen, distributedShares, exRightsReferencePrice, type CorporateAction, type ExRightsTerms,
} from '../../../src/domain/corporate/index.js';
import type { SecuritySymbol } from '../../../src/domain/symbol.js';
import type { TradingDay } from '../../../src/domain/tradingDay.js';

const terms = (t: Partial<ExRightsTerms>): ExRightsTerms => ({ cashPerShareMicro: 0, bonusPerShareMicro: 0, conversionPerShareMicro: 0, ...t });

// ref = (prev − cash + rightsPrice × rights) ÷ (1 + bonus + conversion + rights), half-up to the tick (§7.2).
describe('exRightsReferencePrice', () => {
  it('S54 worked example: 23.46 before 10配3 at 11.00 → (23.46 + 3.30) / 1.3 = 20.5846… → 20.58', () => {
    expect(exRightsReferencePrice(23_460, terms({ rightsPerShareMicro: 300_000, rightsPriceMilli: 11_000 }))).toBe(20_580);
  });

  it('cash only: 10.00 − 0.50 = 9.50; 15.37 − 0.3456 = 15.0244 → 15.02', () => {
    expect(exRightsReferencePrice(10_000, terms({ cashPerShareMicro: 500_000 }))).toBe(9_500);
    expect(exRightsReferencePrice(15_370, terms({ cashPerShareMicro: 345_600 }))).toBe(15_020);
  });

  it('cash only, exactly half a tick: 10.00 − 0.005 = 9.995 rounds half-up to 10.00; 0.0051 → 9.9949 → 9.99', () => {
    expect(exRightsReferencePrice(10_000, terms({ cashPerShareMicro: 5_000 }))).toBe(10_000);
    expect(exRightsReferencePrice(10_000, terms({ cashPerShareMicro: 5_100 }))).toBe(9_990);
  });

  it('bonus only: 13.00 before 10送3 → 10.00; 20.00 before 10送5 → 13.333… → 13.33', () => {
    expect(exRightsReferencePrice(13_000, terms({ bonusPerShareMicro: 300_000 }))).toBe(10_000);
    expect(exRightsReferencePrice(20_000, terms({ bonusPerShareMicro: 500_000 }))).toBe(13_330);
  });

  it('cash + bonus + conversion: 30.00, 10派2 送2 转3 → (30 − 0.2) / 1.5 = 19.8666… → 19.87', () => {
    expect(exRightsReferencePrice(30_000, terms({ cashPerShareMicro: 200_000, bonusPerShareMicro: 200_000, conversionPerShareMicro: 300_000 }))).toBe(19_870);
  });

  it('everything at once: 10.00, cash 0.10, 10送1, 10配2 at 5.00 → (10 − 0.1 + 1.0) / 1.3 = 8.3846… → 8.38', () => {
    expect(exRightsReferencePrice(10_000, terms({
      cashPerShareMicro: 100_000, bonusPerShareMicro: 100_000, rightsPerShareMicro: 200_000, rightsPriceMilli: 5_000,
    }))).toBe(8_380);
  });

  it('a fund tick of 0.001: 1.234 − 0.012 = 1.222; 1.000 before 10送1 → 0.90909… → 0.909', () => {
    expect(exRightsReferencePrice(1_234, terms({ cashPerShareMicro: 12_000 }), 1)).toBe(1_222);
    expect(exRightsReferencePrice(1_000, terms({ bonusPerShareMicro: 100_000 }), 1)).toBe(909);
  });

  it('no action leaves the close; large prices stay exact (BigInt)', () => {
    expect(exRightsReferencePrice(1_467_980, terms({}))).toBe(1_467_980);
    expect(exRightsReferencePrice(9_999_990, terms({ cashPerShareMicro: 1, bonusPerShareMicro: 1 }))).toBe(9_999_980);
  });

  it('throws on malformed terms or a non-positive reference', () => {
    expect(() => exRightsReferencePrice(10_000, terms({ rightsPerShareMicro: 300_000 }))).toThrow(RangeError);
    expect(() => exRightsReferencePrice(10_000, terms({ cashPerShareMicro: -1 }))).toThrow(RangeError);
    expect(() => exRightsReferencePrice(10_000, terms({ cashPerShareMicro: 0.5 }))).toThrow(RangeError);
    expect(() => exRightsReferencePrice(0, terms({}))).toThrow(RangeError);
    expect(() => exRightsReferencePrice(10_000, terms({}), 0)).toThrow(RangeError);
    expect(() => exRightsReferencePrice(100, terms({ cashPerShareMicro: 100_000 }))).toThrow(/not a positive price/);
  });
});

describe('per-holding amounts', () => {
  it('cash rounds down to the fen: 1,234 shares × 0.123456 = 152.344704 CNY → 15,234 fen', () => {
    expect(dividendAmountFen(1_234, 123_456)).toBe(15_234);
  });
  it('new shares round down: 1,234 × 0.3 = 370.2 → 370; 33 × 0.15 = 4.95 → 4', () => {
    expect(distributedShares(1_234, 300_000)).toBe(370);
    expect(distributedShares(33, 150_000)).toBe(4);
  });
});

describe('assertCorporateAction', () => {
  const ok: CorporateAction = {
    symbol: '600036.SH' as SecuritySymbol, recordDay: '2025-07-10' as TradingDay, exDay: '2025-07-11' as TradingDay,
    payDay: '2025-07-11' as TradingDay, cashPerShareMicro: 2_000_000, bonusPerShareMicro: 0, conversionPerShareMicro: 0,
  };
  it('accepts a well-formed action and names the broken field otherwise', () => {
    expect(() => assertCorporateAction(ok)).not.toThrow();
    expect(() => assertCorporateAction({ ...ok, payDay: '2025-07-10' as TradingDay })).toThrow(/pay day/);
    expect(() => assertCorporateAction({ ...ok, recordDay: '2025-07-11' as TradingDay })).toThrow(/record day/);
    expect(() => assertCorporateAction({ ...ok, bonusPerShareMicro: -3 })).toThrow(/bonusPerShareMicro/);
    expect(() => assertCorporateAction({ ...ok, rightsPerShareMicro: 300_000 })).toThrow(/rightsPriceMilli/);
  });
});
