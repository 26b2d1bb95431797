import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadMarketRules } from '../../../src/adapters/market/marketRulesFile.js';
import { decimalToInt } from '../../../src/domain/money.js';
import type { MarketRules } from '../../../src/domain/rules/index.js';
import { addCalendarDays, type TradingDay } from '../../../src/domain/tradingDay.js';

// The rule tables against public real data under $ASHARE_FIXTURES_DIR (read in place, never copied).
const fixtures = process.env.ASHARE_FIXTURES_DIR;
const path = (...p: string[]): string => (fixtures ? join(fixtures, ...p) : '');
const BAOSTOCK = path('csi300_baostock_2020_2025', 'daily_bars.csv.gz');
const SSE50 = path('sse50_tushare_2025', 'daily_prices_sse_50.csv');
const CALENDAR = path('cn_trade_calendar_1990_2026', 'calendar.json');
const skipReason = (file: string): string | null =>
  !fixtures ? 'ASHARE_FIXTURES_DIR is not set' : !existsSync(file) ? `${file} does not exist` : null;
if (!fixtures) console.log('skipping the market-rules real-data checks: ASHARE_FIXTURES_DIR is not set');
else for (const f of [BAOSTOCK, SSE50, CALENDAR]) if (!existsSync(f)) console.log(`skipping the market-rules check on ${f}: it does not exist`);

const rules: MarketRules = (() => {
  const r = loadMarketRules();
  if (r._tag === 'Left') throw new Error(r.left.message);
  return r.right;
})();
const milli = (s: string): number => decimalToInt(s, 1000, 'halfUp');
/** Column indexes of a CSV header, by name; a missing column is a broken fixture. */
const columns = (header: string, names: readonly string[]): number[] => {
  const col = header.split(',');
  return names.map((k) => {
    const i = col.indexOf(k);
    if (i < 0) throw new Error(`column ${k} missing from ${header}`);
    return i;
  });
};

describe.skipIf(skipReason(BAOSTOCK) !== null)('csi300_baostock_2020_2025: closes inside the band', () => {
  it('every traded close lies in its band; closes at the edges are the PROVENANCE limit-up/limit-down counts', () => {
    const lines = gunzipSync(readFileSync(BAOSTOCK)).toString('utf8').split('\n');
    const [iCode, iDate, iStatus, iPre, iClose, iSt] = columns(lines[0]!, ['code', 'date', 'tradestatus', 'preclose', 'close', 'isST']) as [number, number, number, number, number, number];
    const firstRow = new Map<string, string>();
    const n = { traded: 0, up: 0, down: 0, noLimit: 0, listingDayBand: 0, listingUp: 0, listingDown: 0 };
    const outside: string[] = [];
    const firstRowUp: string[] = [];
    for (let li = 1; li < lines.length; li++) {
      if (lines[li] === '') continue;
      const c = lines[li]!.split(',');
      const code = c[iCode]!;
      const symbol = `${code.slice(3)}.${code.slice(0, 2).toUpperCase()}`;
      const day = c[iDate] as TradingDay;
      if (!firstRow.has(symbol)) firstRow.set(symbol, day);
      if (c[iStatus] !== '1') continue; // suspended: OHLC = preclose, no trade
      n.traded++;
      const first = firstRow.get(symbol)!;
      // A first row after the data set's first day is the listing day (PROVENANCE: 27 symbols list inside the window).
      const listDay = first > '2020-01-02' ? (first as TradingDay) : null;
      const l = rules.priceLimits({ symbol, day, refPrice: milli(c[iPre]!), isSt: c[iSt] === '1', listDay });
      if (l === null) { n.noLimit++; continue; }
      const close = milli(c[iClose]!);
      if (close > l.up || close < l.down) outside.push(`${symbol} ${day} close ${close} band ${l.down}–${l.up}`);
      if (listDay === day) {
        n.listingDayBand++;
        if (close === l.up) n.listingUp++;
        if (close === l.down) n.listingDown++;
      } else {
        if (close === l.up) n.up++;
        if (close === l.down) n.down++;
        if (close === l.up && first === day) firstRowUp.push(`${symbol} ${day}`);
      }
    }
    console.log(`baostock CSI-300: ${n.traded} traded rows; ${n.noLimit} on IPO no-limit days; ${n.up} closes at limit-up, ${n.down} at limit-down`
      + ` on ordinary days; ${n.listingDayBand} listing days under the +44%/−36% band (${n.listingUp} closed at +44%, ${n.listingDown} at −36%)`);
    expect(outside).toEqual([]);
    // PROVENANCE.md counts 2,071 / 674 over rows that have a previous row in the file; the one extra
    // limit-up here is a symbol's first row of the data set (no listing: it traded before 2020-01-02).
    expect(firstRowUp).toEqual(['300413.SZ 2020-01-02']);
    expect([n.up - firstRowUp.length, n.down]).toEqual([2071, 674]);
    expect(n.noLimit).toBe(60);
    expect(n.traded).toBe(296_331 - 362);
  });
});

describe.skipIf(skipReason(SSE50) !== null)('sse50_tushare_2025: ex-rights days use pre_close', () => {
  it('the 74 ex-rights days take pre_close as the reference, and every close lies inside its band', () => {
    const lines = readFileSync(SSE50, 'utf8').trim().split('\n');
    const [iCode, iDate, iClose, iPre] = columns(lines[0]!, ['ts_code', 'trade_date', 'close', 'pre_close']) as [number, number, number, number];
    const rows = lines.slice(1).map((l) => l.split(','))
      .map((c) => ({ symbol: c[iCode]!, day: `${c[iDate]!.slice(0, 4)}-${c[iDate]!.slice(4, 6)}-${c[iDate]!.slice(6)}` as TradingDay, close: milli(c[iClose]!), pre: milli(c[iPre]!) }))
      .sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : a.day < b.day ? -1 : 1));
    const outside: string[] = [];
    let exRights = 0, exRightsOutsideRawBand = 0, up = 0, down = 0;
    rows.forEach((r, i) => {
      const prev = i > 0 && rows[i - 1]!.symbol === r.symbol ? rows[i - 1]! : null;
      const l = rules.priceLimits({ symbol: r.symbol, day: r.day, refPrice: r.pre, isSt: false, listDay: null })!;
      if (r.close > l.up || r.close < l.down) outside.push(`${r.symbol} ${r.day}`);
      if (r.close === l.up) up++;
      if (r.close === l.down) down++;
      if (prev && prev.close !== r.pre) {
        exRights++;
        // The raw previous close would give a different band: the reference matters on these days.
        const raw = rules.priceLimits({ symbol: r.symbol, day: r.day, refPrice: prev.close, isSt: false, listDay: null })!;
        if (raw.up !== l.up || raw.down !== l.down) exRightsOutsideRawBand++;
      }
    });
    console.log(`Tushare SSE-50 2025: ${rows.length} rows, ${exRights} ex-rights days (${exRightsOutsideRawBand} with a band that differs from the raw previous close's), ${up} closes at limit-up, ${down} at limit-down`);
    expect(rows.length).toBe(9_968);
    expect(exRights).toBe(74);
    expect(outside).toEqual([]);
  });
});

describe.skipIf(skipReason(CALENDAR) !== null)('cn_trade_calendar_1990_2026: the project calendar', () => {
  it('equals calendar.json for every year it covers', () => {
    const open = (JSON.parse(readFileSync(CALENDAR, 'utf8')) as string[]).map((s) => `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}`);
    const { firstDay, lastDay } = rules.calendar;
    expect([firstDay, lastDay]).toEqual([open[0], open.at(-1)]);
    expect(rules.calendar.range(firstDay, lastDay)).toEqual(open);
    const set = new Set(open);
    const diff: string[] = [];
    for (let d = firstDay; d <= lastDay; d = addCalendarDays(d, 1)) if (rules.calendar.isTradingDay(d) !== set.has(d)) diff.push(d);
    expect(diff).toEqual([]);
  });
});
