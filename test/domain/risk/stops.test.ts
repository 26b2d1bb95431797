import { describe, expect, it } from 'vitest';
import { StopRulesSchema, evaluateStops, stopRulesFrom, updateHighest, type StopPosition } from '../../../src/domain/risk/sizingStops.js';
import type { TradingDay } from '../../../src/domain/tradingDay.js';

const DAY = '2026-03-10' as TradingDay;
const pos: StopPosition = {
  symbol: '600519.SH', qty: 1_000, sellable: 1_000, entryPriceMilli: 10_000, entryDay: '2026-03-02' as TradingDay, highestCloseMilli: 12_000,
};
const bar = (low: number, high: number, close = (low + high) / 2) => ({ low, high, close });

describe('evaluateStops: each kind on either side of its level', () => {
  it('FIXED 3%: level 9.700; low 9.700 triggers, 9.710 does not', () => {
    const d = evaluateStops(pos, bar(9_700, 10_100), DAY, 3, { fixedPct: 0.03 });
    expect(d).toMatchObject({ symbol: '600519.SH', day: DAY, kind: 'FIXED', triggerPriceMilli: 9_700, qty: 1_000 });
    expect(d!.blockedBy).toBeUndefined();
    expect(evaluateStops(pos, bar(9_710, 10_100), DAY, 3, { fixedPct: 0.03 })).toBeNull();
  });
  it('TRAILING 10% from highest close 12.000: level 10.800', () => {
    expect(evaluateStops(pos, bar(10_800, 11_500), DAY, 3, { trailingPct: 0.1 })).toMatchObject({ kind: 'TRAILING', triggerPriceMilli: 10_800 });
    expect(evaluateStops(pos, bar(10_801, 11_500), DAY, 3, { trailingPct: 0.1 })).toBeNull();
  });
  it('ATR 2 × 0.250 below entry 10.000: level 9.500', () => {
    const rules = { atr: { multiple: 2, atrMilli: 250 } };
    expect(evaluateStops(pos, bar(9_500, 10_000), DAY, 3, rules)).toMatchObject({ kind: 'ATR', triggerPriceMilli: 9_500 });
    expect(evaluateStops(pos, bar(9_501, 10_000), DAY, 3, rules)).toBeNull();
  });
  it('TAKE_PROFIT 20% uses the high: level 12.000', () => {
    expect(evaluateStops(pos, bar(11_000, 12_000), DAY, 3, { takeProfitPct: 0.2 })).toMatchObject({ kind: 'TAKE_PROFIT', triggerPriceMilli: 12_000 });
    expect(evaluateStops(pos, bar(11_000, 11_999), DAY, 3, { takeProfitPct: 0.2 })).toBeNull();
    // a low under the take-profit level does not matter; only the high does
    expect(evaluateStops(pos, bar(9_800, 11_999, 11_990), DAY, 3, { takeProfitPct: 0.2 })).toBeNull();
  });
  it('TIME: exits at the close once held maxHoldingDays, not a day before', () => {
    expect(evaluateStops(pos, bar(10_000, 10_200, 10_150), DAY, 20, { maxHoldingDays: 20 })).toMatchObject({ kind: 'TIME', triggerPriceMilli: 10_150, qty: 1_000 });
    expect(evaluateStops(pos, bar(10_000, 10_200, 10_150), DAY, 19, { maxHoldingDays: 20 })).toBeNull();
  });
  it('loss stops use the low, not the close', () => {
    expect(evaluateStops(pos, bar(9_600, 10_300, 10_200), DAY, 3, { fixedPct: 0.03 })).toMatchObject({ kind: 'FIXED' });
  });
  it('no rules → nothing', () => {
    expect(evaluateStops(pos, bar(1_000, 20_000), DAY, 99, {})).toBeNull();
  });
});

describe('evaluateStops: T+1, suspension, empty positions', () => {
  it('sells only the sellable quantity', () => {
    expect(evaluateStops({ ...pos, sellable: 400 }, bar(9_000, 10_000), DAY, 3, { fixedPct: 0.03 })).toMatchObject({ kind: 'FIXED', qty: 400 });
  });
  it('a triggered stop on shares all bought today returns qty 0 blocked by T1, with the reason', () => {
    const d = evaluateStops({ ...pos, sellable: 0, entryDay: DAY }, bar(9_000, 10_000), DAY, 0, { fixedPct: 0.03 });
    expect(d).toMatchObject({ kind: 'FIXED', qty: 0, blockedBy: 'T1' });
    expect(d!.reason).toMatch(/T\+1/);
  });
  it('a suspended day (bar null) triggers nothing, even past the time stop', () => {
    expect(evaluateStops(pos, null, DAY, 100, { fixedPct: 0.03, maxHoldingDays: 5 })).toBeNull();
  });
  it('a flat position triggers nothing', () => {
    expect(evaluateStops({ ...pos, qty: 0, sellable: 0 }, bar(1_000, 2_000), DAY, 3, { fixedPct: 0.03 })).toBeNull();
  });
  it('throws on a broken position (sellable above held) or a bad rule', () => {
    expect(() => evaluateStops({ ...pos, sellable: 2_000 }, bar(9_000, 10_000), DAY, 3, { fixedPct: 0.03 })).toThrow(RangeError);
    expect(() => evaluateStops(pos, bar(9_000, 10_000), DAY, 3, { fixedPct: 1.5 })).toThrow(RangeError);
  });
});

describe('evaluateStops: precedence', () => {
  it('loss-side before take-profit before time on the same bar', () => {
    const wide = bar(9_000, 13_000, 11_000);
    expect(evaluateStops(pos, wide, DAY, 30, { fixedPct: 0.03, takeProfitPct: 0.2, maxHoldingDays: 5 })!.kind).toBe('FIXED');
    expect(evaluateStops(pos, wide, DAY, 30, { takeProfitPct: 0.2, maxHoldingDays: 5 })!.kind).toBe('TAKE_PROFIT');
  });
  it('among loss-side stops the highest level wins (a falling price reaches it first)', () => {
    const rules = { fixedPct: 0.03, trailingPct: 0.1, atr: { multiple: 2, atrMilli: 250 } };
    // levels: FIXED 9.700, ATR 9.500, TRAILING 10.800
    expect(evaluateStops(pos, bar(9_000, 10_000), DAY, 3, rules)).toMatchObject({ kind: 'TRAILING', triggerPriceMilli: 10_800 });
    expect(evaluateStops({ ...pos, highestCloseMilli: 10_000 }, bar(9_000, 10_000), DAY, 3, rules)).toMatchObject({ kind: 'FIXED', triggerPriceMilli: 9_700 });
  });
  it('equal loss levels go FIXED, then ATR, then TRAILING', () => {
    // FIXED 3% = 9.700; ATR 1 × 0.300 = 9.700; trailing 3% of 10.000 = 9.700
    const rules = { trailingPct: 0.03, atr: { multiple: 1, atrMilli: 300 }, fixedPct: 0.03 };
    expect(evaluateStops({ ...pos, highestCloseMilli: 10_000 }, bar(9_000, 10_000), DAY, 3, rules)!.kind).toBe('FIXED');
    expect(evaluateStops({ ...pos, highestCloseMilli: 10_000 }, bar(9_000, 10_000), DAY, 3, { trailingPct: 0.03, atr: { multiple: 1, atrMilli: 300 } })!.kind).toBe('ATR');
  });
});

describe('updateHighest and config', () => {
  it('raises the highest close only when the close is higher', () => {
    expect(updateHighest(pos, 12_500).highestCloseMilli).toBe(12_500);
    expect(updateHighest(pos, 11_000)).toBe(pos);
  });
  it('the schema supplies the client default 3% fixed stop and maps to rules with today’s ATR', () => {
    const c = StopRulesSchema.parse({ atrMultiple: 2, maxHoldingDays: 10 });
    expect(c.fixedPct).toBe(0.03);
    expect(stopRulesFrom(c, 250)).toEqual({ fixedPct: 0.03, atr: { multiple: 2, atrMilli: 250 }, maxHoldingDays: 10 });
    expect(stopRulesFrom(c)).toEqual({ fixedPct: 0.03, maxHoldingDays: 10 });
    expect(StopRulesSchema.safeParse({ fixedPct: 0 }).success).toBe(false);
  });
});
