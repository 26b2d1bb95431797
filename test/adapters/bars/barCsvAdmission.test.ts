import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBarCsv, type BarFileChecks } from '../../../src/adapters/bars/barCsv.js';
import { loadMarketRules } from '../../../src/adapters/market/marketRulesFile.js';

// Issue 15 items 1, 3, 4: with the market rules given, the bar reader refuses at the edge what the
// engine cannot trade on — prices off the tick, days the exchange was closed or the calendar does
// not cover, codes no board holds — each in one sentence naming file, line, symbol and day.
const rules = (() => { const r = loadMarketRules(); if (r._tag === 'Left') throw new Error(r.left.message); return r.right; })();
const dir = mkdtempSync(join(tmpdir(), 'barcsv-admission-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HEADER = 'symbol,date,open,high,low,close,volume,amount,pre_close,is_st';
const GOOD = [
  '600000.SH,2024-01-02,6.58,6.60,6.50,6.55,25000,163125.00,6.50,0',
  '510300.SH,2024-01-02,3.456,3.502,3.441,3.499,12345600,4290000.00,3.450,0', // a fund: 0.001 tick
  '600000.SH,2024-01-03,6.55,6.60,6.55,6.60,100,660.00,6.55,0',
];
let seq = 0;
async function read(rows: string[], checks: BarFileChecks | null = { rules }) {
  const p = join(dir, `f${++seq}.csv`);
  writeFileSync(p, [HEADER, ...rows].join('\n') + '\n');
  return { path: p, r: await readBarCsv(p, checks ?? undefined) };
}
async function refused(rows: string[], checks?: BarFileChecks) {
  const { path, r } = await read(rows, checks ?? { rules });
  if (r._tag === 'Right') throw new Error('expected the file to be refused');
  expect(r.left.code).toBe('BARS_INVALID');
  expect(r.left.message.startsWith(`${path} line ${r.left.line}: `)).toBe(true);
  expect(r.left.message.trim().split('\n')).toHaveLength(1);
  return r.left;
}

describe('readBarCsv with the market rules', () => {
  it('accepts raw prices on the tick: 0.01 for stocks, 0.001 for funds', async () => {
    const { r } = await read(GOOD);
    expect(r._tag).toBe('Right');
  });

  it('item 1: a stock price off the 0.01 tick (3 decimals, or 4 that round onto it) names file, line, symbol, day and field', async () => {
    const e = await refused([...GOOD, '600000.SH,2024-01-04,6.605,6.62,6.58,6.60,100,660.00,6.60,0']);
    expect(e.line).toBe(5);
    expect(e.message).toMatch(/600000\.SH/);
    expect(e.message).toMatch(/2024-01-04/);
    expect(e.message).toMatch(/open "?6\.605"? .*off the 0\.01 CNY price tick/);
    // 4 decimals (forward-adjusted vendor data) that would round half-up onto the tick are still off it.
    const q = await refused(['000001.SZ,2015-01-05,9.9718,10.1527,9.7286,9.9905,286043643,456538784.64,9.8783,0']);
    expect(q.line).toBe(2);
    expect(q.message).toMatch(/000001\.SZ 2015-01-05: .*open "?9\.9718"?/);
    const r = await refused(['600000.SH,2024-01-02,6.5800,6.6001,6.50,6.58,25000,163125.00,6.50,0']);
    expect(r.message).toMatch(/high "?6\.6001"?/);
    // A fund off its 0.001 tick.
    expect((await refused(['510300.SH,2024-01-02,3.4565,3.502,3.441,3.499,12345600,4290000.00,3.450,0'])).message).toMatch(/0\.001 CNY price tick/);
  });

  it('item 3: a weekend or holiday row names line and day; --allow-non-trading-days keeps it', async () => {
    const sat = '600000.SH,2024-01-06,6.60,6.62,6.58,6.60,100,660.00,6.60,0';
    const e = await refused([...GOOD, sat]);
    expect(e.line).toBe(5);
    expect(e.message).toMatch(/600000\.SH 2024-01-06: 2024-01-06 is not a trading day .*Saturday/);
    const h = await refused(['600000.SH,2024-01-01,6.60,6.62,6.58,6.60,100,660.00,6.60,0']);
    expect(h.message).toMatch(/2024-01-01 is not a trading day .*holiday/);
    const { r } = await read([...GOOD, sat], { rules, allowNonTradingDays: true });
    expect(r._tag === 'Right' && r.right.days.map((d) => d.day)).toEqual(['2024-01-02', '2024-01-03', '2024-01-06']);
  });

  it('item 3: a stray row dated 1980 or 2030 is outside the calendar, even with --allow-non-trading-days', async () => {
    for (const day of ['1980-01-02', '2030-01-02']) {
      for (const allow of [false, true]) {
        const e = await refused([...GOOD, `600000.SH,${day},6.60,6.62,6.58,6.60,100,660.00,6.60,0`], { rules, allowNonTradingDays: allow });
        expect(e.line).toBe(5);
        expect(e.message).toContain(`600000.SH ${day}: the exchange calendar`);
        expect(e.message).toMatch(/does not cover/);
        expect(e.message).toContain('1990-12-19 … 2026-12-31');
      }
    }
  });

  it('item 4: an unassigned code (123456.SH) is refused with file and line, unless the instruments file lists it', async () => {
    const row = '123456.SH,2024-01-03,6.60,6.62,6.58,6.60,100,660.00,6.60,0';
    const e = await refused([...GOOD, row]);
    expect(e.line).toBe(5);
    expect(e.message).toMatch(/123456\.SH is not an assigned A-share code/);
    const { r } = await read([...GOOD, row], { rules, knownSymbols: new Set(['123456.SH']) });
    expect(r._tag).toBe('Right');
    // An index (a board without a tick row) is an assigned code; its values are not tick-checked.
    expect((await read(['000300.SH,2024-01-02,3431.1234,3440.5,3420.25,3431.1,100,100.00,,0'])).r._tag).toBe('Right');
  });

  it('without the rules the reader stays a format reader (export round trips, tests of the format)', async () => {
    const { r } = await read(['600000.SH,2024-01-06,6.605,6.62,6.58,6.60,100,660.00,6.60,0', '123456.SH,1980-01-02,1,1,1,1,1,1.00,,0'], null);
    expect(r._tag).toBe('Right');
  });
});
