import { describe, expect, it } from 'vitest';
import type { DayBars } from '../../../src/domain/bars.js';
import { admitCode, dayStatus, firstBarProblem, offTickFields } from '../../../src/domain/rules/barAdmission.js';
import type { TradingDay } from '../../../src/domain/tradingDay.js';
import { rules } from '../data/validatorFixtures.js';

// The admission rules every traded bar must pass (issue 15 items 1, 3, 4), as the market store's
// bars meet them when a backtest loads them (the CSV reader checks the same rules row by row).
const day = (d: string, symbols: string[], open: number[]): DayBars => ({
  day: d, symbols, open, high: open.map((p) => p + 10), low: open.map((p) => p - 10), close: open,
  volume: open.map(() => 100), amountFen: open.map((p) => p * 10), preClose: open.map(() => null), isSt: open.map(() => 0 as const),
});

describe('bar admission', () => {
  it('codes: boards and ticks from the tables; unassigned codes have none', () => {
    expect(admitCode(rules, '600000.SH')).toEqual({ assigned: true, board: 'SSE_MAIN', tickMilli: 10 });
    expect(admitCode(rules, '510300.SH')).toEqual({ assigned: true, board: 'FUND', tickMilli: 1 });
    expect(admitCode(rules, '000300.SH')).toEqual({ assigned: true, board: 'INDEX', tickMilli: null });
    expect(admitCode(rules, '123456.SH')).toEqual({ assigned: false });
    expect(admitCode(rules, '302001.SZ')).toEqual({ assigned: false });
  });

  it('days: trading, closed (weekend, holiday) and uncovered (beyond the table)', () => {
    const s = (d: string) => dayStatus(rules.calendar, d as TradingDay);
    expect([s('2024-01-02'), s('2024-01-06'), s('2024-02-12'), s('1980-01-02'), s('2030-01-02')]).toEqual(['trading', 'closed', 'closed', 'uncovered', 'uncovered']);
  });

  it('ticks: every OHLC field off the tick is named', () => {
    expect(offTickFields({ open: 10_005, high: 10_010, low: 9_990, close: 10_001 }, 10)).toEqual(['open', 'close']);
    expect(offTickFields({ open: 3_456, high: 3_502, low: 3_441, close: 3_499 }, 1)).toEqual([]);
  });

  it('firstBarProblem: the first bar in day then symbol order, with symbol, day and why', () => {
    const good = day('2024-01-02', ['000001.SZ', '600000.SH'], [9_390, 6_580]);
    expect(firstBarProblem([good], rules)).toBeUndefined();
    expect(firstBarProblem([good, day('2024-01-03', ['000001.SZ', '600000.SH'], [9_390, 6_585])], rules))
      .toEqual({ symbol: '600000.SH', day: '2024-01-03', problem: 'open 6.585, high 6.595, low 6.575, close 6.585 are off the 0.01 CNY price tick (adjusted prices? orders need raw exchange prices)' });
    expect(firstBarProblem([good, day('2024-01-03', ['123456.SH'], [9_390])], rules)?.problem).toMatch(/^123456\.SH is not an assigned A-share code/);
    expect(firstBarProblem([good, day('2024-01-03', ['123456.SH'], [9_390])], rules, { knownSymbols: new Set(['123456.SH']) })).toBeUndefined();
    const sat = [good, day('2024-01-06', ['600000.SH'], [6_580])];
    expect(firstBarProblem(sat, rules)?.problem).toBe('2024-01-06 is not a trading day (the exchange was closed: a Saturday)');
    expect(firstBarProblem(sat, rules, { allowNonTradingDays: true })).toBeUndefined();
    expect(firstBarProblem([day('2030-01-02', ['600000.SH'], [6_580])], rules, { allowNonTradingDays: true })?.problem)
      .toBe('the exchange calendar (config/market/holidays.yaml, 1990-12-19 … 2026-12-31) does not cover 2030-01-02');
  });
});
