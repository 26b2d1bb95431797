import { describe, expect, it } from 'vitest';
import { boardOf, dailyLimitBand, limitPrices, lotRule, tickOf, tryBoardOf } from '../../../src/domain/market/board.js';
import type { SecuritySymbol } from '../../../src/domain/symbol.js';
import type { TradingDay } from '../../../src/domain/tradingDay.js';

const sym = (s: string): SecuritySymbol => s as SecuritySymbol;
const day = (s: string): TradingDay => s as TradingDay;

describe('boardOf (ashare-market-rules.md §1.1)', () => {
  it.each([
    ['600519.SH', 'SSE_MAIN'], ['601318.SH', 'SSE_MAIN'], ['603288.SH', 'SSE_MAIN'], ['605499.SH', 'SSE_MAIN'],
    ['688981.SH', 'STAR'], ['689009.SH', 'STAR'],
    ['000001.SH', 'INDEX'], ['000300.SH', 'INDEX'], ['510300.SH', 'FUND'], ['508000.SH', 'FUND'], ['900901.SH', 'B_SHARE'],
    ['000001.SZ', 'SZSE_MAIN'], ['001979.SZ', 'SZSE_MAIN'], ['002594.SZ', 'SZSE_MAIN'], ['003816.SZ', 'SZSE_MAIN'],
    ['300750.SZ', 'CHINEXT'], ['301236.SZ', 'CHINEXT'], ['399001.SZ', 'INDEX'], ['399006.SZ', 'INDEX'],
    ['159915.SZ', 'FUND'], ['161725.SZ', 'FUND'], ['200002.SZ', 'B_SHARE'],
    ['920118.BJ', 'BSE'], ['430047.BJ', 'BSE'], ['830799.BJ', 'BSE'], ['871981.BJ', 'BSE'], ['889999.BJ', 'BSE'],
  ])('%s → %s', (s, b) => expect(boardOf(sym(s))).toBe(b));

  it('000001 is an index on SSE and a stock on SZSE: the suffix decides', () => {
    expect(boardOf(sym('000001.SH'))).toBe('INDEX');
    expect(boardOf(sym('000001.SZ'))).toBe('SZSE_MAIN');
  });

  it('920xxx is BSE only with .BJ (not an SSE B share)', () => {
    expect(tryBoardOf(sym('920118.SH'))).toBeUndefined();
    expect(boardOf(sym('900901.SH'))).toBe('B_SHARE');
  });

  it('unknown prefixes: tryBoardOf is undefined and boardOf throws', () => {
    for (const s of ['110001.SH', '302132.SZ', '600000.BJ', '123456.SZ']) expect(tryBoardOf(sym(s))).toBeUndefined();
    expect(() => boardOf(sym('110001.SH'))).toThrow(/no board known/);
  });
});

describe('dailyLimitBand (§2.1)', () => {
  it('main board 10%, ST 5% through 2026-07-03 and 10% from 2026-07-06', () => {
    expect(dailyLimitBand('SSE_MAIN', false, day('2024-05-06'))).toBe(1000);
    expect(dailyLimitBand('SZSE_MAIN', true, day('2015-03-02'))).toBe(500);
    expect(dailyLimitBand('SSE_MAIN', true, day('2026-07-03'))).toBe(500);
    expect(dailyLimitBand('SZSE_MAIN', true, day('2026-07-03'))).toBe(500);
    expect(dailyLimitBand('SSE_MAIN', true, day('2026-07-06'))).toBe(1000);
    expect(dailyLimitBand('SZSE_MAIN', true, day('2026-07-06'))).toBe(1000);
  });
  it('ChiNext 10% through 2020-08-21, 20% from 2020-08-24, ST included', () => {
    expect(dailyLimitBand('CHINEXT', false, day('2020-08-21'))).toBe(1000);
    expect(dailyLimitBand('CHINEXT', true, day('2020-08-21'))).toBe(1000);
    expect(dailyLimitBand('CHINEXT', false, day('2020-08-24'))).toBe(2000);
    expect(dailyLimitBand('CHINEXT', true, day('2020-08-24'))).toBe(2000);
  });
  it('STAR 20% and BSE 30%, ST or not', () => {
    expect(dailyLimitBand('STAR', true, day('2023-01-03'))).toBe(2000);
    expect(dailyLimitBand('BSE', false, day('2023-01-03'))).toBe(3000);
    expect(dailyLimitBand('BSE', true, day('2026-09-01'))).toBe(3000);
  });
  it('throws for boards with no sourced band', () => {
    expect(() => dailyLimitBand('INDEX', false, day('2024-01-02'))).toThrow(/no daily price-limit band/);
    expect(() => dailyLimitBand('FUND', false, day('2024-01-02'))).toThrow(RangeError);
  });
});

describe('limitPrices (§2.3: half-up to the tick, integer arithmetic)', () => {
  it('10.05 at 10%: 11.055 → 11.06 up, 9.045 → 9.05 down', () => {
    expect(limitPrices(10_050, 1000, 10)).toEqual({ up: 11_060, down: 9_050 });
  });
  it('ST 5% on 10.05: 10.5525 → 10.55, 9.5475 → 9.55', () => {
    expect(limitPrices(10_050, 500, 10)).toEqual({ up: 10_550, down: 9_550 });
  });
  it('exact halves round up on both sides: 2.15 at 10% → 2.365 → 2.37 and 1.935 → 1.94', () => {
    expect(limitPrices(2_150, 1000, 10)).toEqual({ up: 2_370, down: 1_940 });
  });
  it('20% and 30% bands; fund tick 0.001', () => {
    expect(limitPrices(33_330, 2000, 10)).toEqual({ up: 40_000, down: 26_660 }); // 39.996 → 40.00, 26.664 → 26.66
    expect(limitPrices(7_770, 3000, 10)).toEqual({ up: 10_100, down: 5_440 }); // 10.101 → 10.10, 5.439 → 5.44
    expect(limitPrices(3_456, 1000, 1)).toEqual({ up: 3_802, down: 3_110 }); // 3.8016 → 3.802, 3.1104 → 3.110
  });
  it('large prices stay exact (1,800.00 at 10%)', () => {
    expect(limitPrices(1_800_000, 1000, 10)).toEqual({ up: 1_980_000, down: 1_620_000 });
  });
  it('refuses non-integer or non-positive reference prices and bad bands', () => {
    expect(() => limitPrices(10.5, 1000, 10)).toThrow(RangeError);
    expect(() => limitPrices(0, 1000, 10)).toThrow(RangeError);
    expect(() => limitPrices(10_000, 10_000, 10)).toThrow(RangeError);
  });
});

describe('lotRule and tickOf (§3, §2.3)', () => {
  it('round lots on main board and ChiNext, 200+1 on STAR, 100+1 on BSE', () => {
    expect(lotRule('SSE_MAIN')).toEqual({ minBuy: 100, step: 100 });
    expect(lotRule('SZSE_MAIN')).toEqual({ minBuy: 100, step: 100 });
    expect(lotRule('CHINEXT')).toEqual({ minBuy: 100, step: 100 });
    expect(lotRule('STAR')).toEqual({ minBuy: 200, step: 1 });
    expect(lotRule('BSE')).toEqual({ minBuy: 100, step: 1 });
    expect(() => lotRule('INDEX')).toThrow(RangeError);
  });
  it('0.01 tick for stocks, 0.001 for funds', () => {
    expect(tickOf('STAR')).toBe(10);
    expect(tickOf('FUND')).toBe(1);
    expect(() => tickOf('INDEX')).toThrow(RangeError);
  });
});
