import { beforeAll, describe, expect, it } from 'vitest';
import type { Bar, DayBars } from '../../../src/domain/bars.js';
import { canonicalJson } from '../../../src/domain/canonicalJson.js';
import { canonicalHash } from '../../../src/domain/hash.js';
import { dailyLimitBand, limitPrices } from '../../../src/domain/market/board.js';
import { divRound } from '../../../src/domain/money.js';
import { generateMarket, type SyntheticMarket } from '../../../src/domain/synthetic/index.js';
import type { TradingDay } from '../../../src/domain/tradingDay.js';
import { weekdayOf } from '../../../src/domain/tradingDay.js';
import { realCalendar, rowsOf } from './syntheticFixtures.js';

const calendar = realCalendar();
const canonical = (m: SyntheticMarket): string =>
  canonicalJson({ instruments: m.instruments, dividends: m.dividends, days: [...m.days] });

describe('generateMarket: determinism', () => {
  it('same seed → identical canonical JSON; different seed → different', () => {
    const a = canonical(generateMarket({ symbols: 30, days: 60, seed: 7, calendar }));
    const b = canonical(generateMarket({ symbols: 30, days: 60, seed: 7, calendar }));
    const c = canonical(generateMarket({ symbols: 30, days: 60, seed: 8, calendar }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });
  it('pins the hash of a small market: any change to the generator shows up here (update deliberately)', () => {
    const m = generateMarket({ symbols: 10, days: 20, seed: 1, calendar });
    expect(canonicalHash({ instruments: m.instruments, dividends: m.dividends, days: [...m.days] })).toMatchInlineSnapshot(`"70e79368dcb8e40211b27b93ab8b1aa5f2cdee94600536750e548adc42d044d8"`);
  });
  it('iterating `days` twice yields the same bars (the generator restarts)', () => {
    const m = generateMarket({ symbols: 20, days: 30, seed: 'abc', calendar });
    expect(canonicalJson([...m.days])).toBe(canonicalJson([...m.days]));
  });
  it('refuses sizes outside its range', () => {
    expect(() => generateMarket({ symbols: 0, days: 10, seed: 1, calendar })).toThrow(RangeError);
    expect(() => generateMarket({ symbols: 10_001, days: 10, seed: 1, calendar })).toThrow(RangeError);
    expect(() => generateMarket({ symbols: 10, days: 0, seed: 1, calendar })).toThrow(RangeError);
  });
});

describe('generateMarket: calendar and universe', () => {
  it('starts on 2022-01-04 and uses only the calendar trading days', () => {
    const m = generateMarket({ symbols: 5, days: 300, seed: 1, calendar });
    expect(m.tradingDays[0]).toBe('2022-01-04');
    expect(m.tradingDays.every((d) => calendar.isTradingDay(d))).toBe(true);
    expect(m.tradingDays).toEqual(calendar.range(m.tradingDays[0]!, m.tradingDays.at(-1)!));
    expect([...m.days].map((b) => b.day)).toEqual(m.tradingDays);
  });
  it('continues with weekdays after the calendar ends (2026-12-31)', () => {
    const m = generateMarket({ symbols: 3, days: 30, seed: 1, startDay: '2026-12-01' as TradingDay, calendar });
    const after = m.tradingDays.filter((d) => d > '2026-12-31');
    expect(after[0]).toBe('2027-01-01');
    expect(after.every((d) => weekdayOf(d) <= 5)).toBe(true);
  });
  it('draws unique codes from every stock board, ascending, with a few ST main-board names', () => {
    const m = generateMarket({ symbols: 200, days: 1, seed: 3, calendar });
    const syms = m.instruments.map((i) => i.symbol);
    expect(new Set(syms).size).toBe(200);
    expect([...syms].sort()).toEqual(syms);
    expect(new Set(m.instruments.map((i) => i.board))).toEqual(new Set(['SSE_MAIN', 'SZSE_MAIN', 'CHINEXT', 'STAR', 'BSE']));
    for (const i of m.instruments) {
      const re = { SSE_MAIN: /^60[0135]\d{3}\.SH$/, SZSE_MAIN: /^00[0-3]\d{3}\.SZ$/, CHINEXT: /^30[01]\d{3}\.SZ$/, STAR: /^688\d{3}\.SH$/, BSE: /^920\d{3}\.BJ$/ }[i.board];
      expect(i.symbol).toMatch(re);
      expect(i.listDay < m.tradingDays[0]!).toBe(true);
    }
    const st = m.instruments.filter((i) => i.isSt);
    expect(st.length).toBeGreaterThan(0);
    expect(st.length).toBeLessThan(20);
    expect(st.every((i) => i.board === 'SSE_MAIN' || i.board === 'SZSE_MAIN')).toBe(true);
  });
});

describe('generateMarket: a default-sized market (50 symbols × 250 days) has the cases a backtest must meet', () => {
  let m: SyntheticMarket;
  let days: DayBars[];
  let rows: Bar[];
  const board = new Map<string, string>();
  const limits = (r: Bar) => limitPrices(r.preClose!, dailyLimitBand(board.get(r.symbol) as never, r.isSt === 1, r.day), 10);
  beforeAll(() => {
    m = generateMarket({ symbols: 50, days: 250, seed: 2024, calendar });
    days = [...m.days];
    rows = rowsOf(days);
    for (const i of m.instruments) board.set(i.symbol, i.board);
  });

  it('limit-up, sealed limit-up, limit-down and sealed limit-down days exist', () => {
    const up = rows.filter((r) => r.close === limits(r).up);
    const down = rows.filter((r) => r.close === limits(r).down);
    expect(up.length).toBeGreaterThan(5);
    expect(down.length).toBeGreaterThan(5);
    expect(up.some((r) => r.open === r.close && r.high === r.close && r.low === r.close)).toBe(true);
    expect(up.some((r) => r.low < r.close)).toBe(true); // and boards that traded below the limit before closing on it
    expect(down.some((r) => r.open === r.close && r.high === r.close && r.low === r.close)).toBe(true);
  });

  it('ST rows carry isSt = 1 and a 5% band before 2026-07-06', () => {
    const st = rows.filter((r) => r.isSt === 1);
    expect(st.length).toBeGreaterThan(0);
    for (const r of st) expect(limits(r).up).toBe(limitPrices(r.preClose!, 500, 10).up);
  });

  it('suspensions: runs of days with no row, after which preClose is the last close before them', () => {
    const last = new Map<string, { close: number; dayIndex: number }>();
    const divDays = new Set(m.dividends.map((d) => `${d.symbol} ${d.exDay}`));
    let gaps = 0;
    days.forEach((b, di) => {
      b.symbols.forEach((s, i) => {
        const prev = last.get(s);
        if (prev && di - prev.dayIndex > 1) gaps++;
        if (prev && !divDays.has(`${s} ${b.day}`)) expect(b.preClose[i]).toBe(prev.close);
        last.set(s, { close: b.close[i]!, dayIndex: di });
      });
    });
    expect(gaps).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(50 * 250);
  });

  it('dividends: ex-day preClose = round_half_up(prev close − cash, 0.01) (§7.2)', () => {
    expect(m.dividends.length).toBeGreaterThan(3);
    for (const dv of m.dividends) {
      const mine = rows.filter((r) => r.symbol === dv.symbol);
      const k = mine.findIndex((r) => r.day === dv.exDay);
      expect(k).toBeGreaterThanOrEqual(0); // the stock trades on its ex-day
      if (k === 0) continue; // the symbol's first bar: its previous close lies before the window
      const prevClose = mine[k - 1]!.close;
      const expected = divRound(prevClose * 1000 - dv.cashPerShareMicro, 10_000, 'halfUp') * 10;
      expect(mine[k]!.preClose).toBe(expected);
      expect(expected).toBeLessThan(prevClose);
    }
  });
});
