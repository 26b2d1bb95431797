import { describe, expect, it } from 'vitest';
import { INDICATORS, findIndicator, sma, macd, kdj, type Ohlcv } from '../../../src/domain/indicators/index.js';

const REQUIRED = ['sma', 'ema', 'wma', 'dema', 'tema', 'macd', 'rsi', 'bollinger', 'atr', 'adx', 'cci', 'stochastic', 'kdj',
  'williamsR', 'obv', 'mfi', 'roc', 'momentum', 'trix', 'bias', 'psy', 'vr', 'parabolicSar', 'donchian', 'keltner', 'vwap',
  'rollingStd', 'zscore'];

describe('INDICATORS registry', () => {
  it('lists every required indicator once, with its parameter names', () => {
    const names = INDICATORS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of REQUIRED) expect(names, n).toContain(n);
    expect(findIndicator('macd')!.params).toEqual({ fast: 12, slow: 26, signal: 9 });
    expect(findIndicator('bollinger')!.params).toEqual({ period: 20, k: 2 });
    expect(findIndicator('kdj')!.params).toEqual({ n: 9, m1: 3, m2: 3 });
    expect(findIndicator('stochastic')!.params).toEqual({ n: 14, m1: 3, m2: 3 });
    for (const s of INDICATORS) {
      const single = Object.keys(s.params);
      if (single.length === 1) expect(single, s.name).toEqual(['period']);
    }
  });
  it('rejects an unknown parameter by name, and bad values', () => {
    expect(() => findIndicator('sma')!.create({ length: 3 })).toThrow(/sma has no parameter 'length'/);
    expect(() => findIndicator('sma')!.create({ period: 0 })).toThrow(/period must be an integer >= 1/);
    expect(() => findIndicator('sma')!.create({ period: 2.5 })).toThrow(/period/);
    expect(() => findIndicator('bollinger')!.create({ k: -1 })).toThrow(/k must be/);
  });
  it('runs close-input indicators on bar.close, in named columns', () => {
    const bars: Ohlcv[] = [1, 2, 3].map((c) => ({ open: 0, high: 9, low: 0, close: c, volume: 1 }));
    expect(findIndicator('sma')!.batch(bars, { period: 2 })).toEqual({ value: [null, 1.5, 2.5] });
    expect(Object.keys(findIndicator('macd')!.batch(bars))).toEqual(['dif', 'dea', 'hist']);
  });
});

describe('bad input never corrupts state', () => {
  it('a non-finite value throws and the indicator goes on as if it never came', () => {
    const s = sma(2);
    s.update(1);
    expect(() => s.update(Number.NaN)).toThrow(RangeError);
    expect(s.update(3)).toBe(2);
    const m = macd();
    expect(() => m.update(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    const k = kdj();
    expect(() => k.update({ open: 1, high: Number.NaN, low: 1, close: 1, volume: 0 })).toThrow(RangeError);
  });
});
