import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readBarCsv, writeBarCsv, type BarFileError } from '../../../src/adapters/bars/barCsv.js';
import { loadHolidayCalendar } from '../../../src/adapters/market/calendarFile.js';
import { canonicalJson } from '../../../src/domain/canonicalJson.js';
import type { DayBars } from '../../../src/domain/bars.js';
import { generateMarket } from '../../../src/domain/synthetic/index.js';

const dir = mkdtempSync(join(tmpdir(), 'barcsv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text?: string): string => {
  const p = join(dir, name);
  if (text !== undefined) writeFileSync(p, text);
  return p;
};
const cal = (() => { const r = loadHolidayCalendar(); if (r._tag === 'Left') throw new Error(r.left.message); return r.right; })();
let seq = 0;
const HEADER = 'symbol,date,open,high,low,close,volume,amount,pre_close,is_st';

const day1: DayBars = {
  day: '2024-01-02', symbols: ['000001.SZ', '510300.SH', '600000.SH'],
  open: [9_390, 3_456, 6_580], high: [9_420, 3_502, 6_600], low: [9_210, 3_441, 6_500], close: [9_210, 3_499, 6_550],
  volume: [1_158_030_00, 12_345_600, 25_000], amountFen: [10_733_927_532, 4_290_000_00, 16_312_500], preClose: [9_390, 3_450, null], isSt: [0, 0, 1],
};
const day2: DayBars = {
  day: '2024-01-03', symbols: ['000001.SZ', '600000.SH'],
  open: [9_200, 6_555], high: [9_220, 6_600], low: [9_150, 6_555], close: [9_200, 6_600], volume: [0, 100], amountFen: [0, 66_000],
  preClose: [9_210, 6_550], isSt: [0, 1],
};

async function ok(p: string) {
  const r = await readBarCsv(p);
  if (r._tag === 'Left') throw new Error(r.left.message);
  return r.right;
}
async function bad(text: string): Promise<BarFileError> {
  const r = await readBarCsv(file(`bad-${++seq}.csv`, text));
  if (r._tag === 'Right') throw new Error('expected an error');
  return r.left;
}

describe('writeBarCsv', () => {
  it('writes the canonical layout: 2 decimals for stocks, 3 for funds, amount in CNY, empty unknown pre_close', async () => {
    const p = file('w.csv');
    await writeBarCsv(p, [day1, day2]);
    expect(readFileSync(p, 'utf8').split('\n')).toEqual([
      HEADER,
      '000001.SZ,2024-01-02,9.39,9.42,9.21,9.21,115803000,107339275.32,9.39,0',
      '510300.SH,2024-01-02,3.456,3.502,3.441,3.499,12345600,4290000.00,3.450,0',
      '600000.SH,2024-01-02,6.58,6.60,6.50,6.55,25000,163125.00,,1',
      '000001.SZ,2024-01-03,9.20,9.22,9.15,9.20,0,0.00,9.21,0',
      '600000.SH,2024-01-03,6.555,6.60,6.555,6.60,100,660.00,6.55,1',
      '',
    ]);
  });
  it('refuses days out of order and symbols out of order', async () => {
    await expect(writeBarCsv(file('o.csv'), [day2, day1])).rejects.toThrow(/strictly ascending/);
    await expect(writeBarCsv(file('o2.csv'), [{ ...day2, symbols: ['600000.SH', '000001.SZ'] }])).rejects.toThrow(/strictly ascending/);
  });
});

describe('readBarCsv round trip', () => {
  it('write then read gives identical DayBars (hand-made days)', async () => {
    const p = file('rt.csv');
    await writeBarCsv(p, [day1, day2]);
    const r = await ok(p);
    expect(r).toEqual({ days: [day1, day2], rows: 5, symbols: 3 });
  });
  it('write then read gives identical DayBars (a synthetic market, gzip)', async () => {
    const m = generateMarket({ symbols: 40, days: 60, seed: 5, calendar: cal });
    const p = file('rt.csv.gz');
    await writeBarCsv(p, m.days);
    expect(gunzipSync(readFileSync(p)).toString('utf8').startsWith(HEADER + '\n')).toBe(true);
    const r = await ok(p);
    expect(canonicalJson(r.days)).toBe(canonicalJson([...m.days]));
    expect(r.symbols).toBe(40);
  });
  it('rows sorted by symbol then date, or shuffled, group into the same days', async () => {
    await writeBarCsv(file('perm-src.csv'), [day1, day2]);
    const lines = readFileSync(file('perm-src.csv'), 'utf8').trim().split('\n').slice(1);
    const bySymbol = [...lines].sort();
    const shuffled = [lines[3], lines[0], lines[4], lines[2], lines[1]];
    for (const rows of [bySymbol, shuffled]) {
      const r = await ok(file(`perm-${++seq}.csv`, [HEADER, ...rows].join('\r\n') + '\r\n'));
      expect(r.days).toEqual([day1, day2]);
    }
  });
  it('accepts columns in any order, without the optional ones, with a BOM and more decimals (rounded half-up)', async () => {
    const r = await ok(file('min.csv', '\ufeffdate,symbol,close,open,high,low,amount,volume\n2024-01-02,600519.SH,1700.0005,1700,1701.1234,1699.9999,17000000.005,10000'));
    expect(r.days).toEqual([{
      day: '2024-01-02', symbols: ['600519.SH'], open: [1_700_000], high: [1_701_123], low: [1_700_000], close: [1_700_001],
      volume: [10_000], amountFen: [1_700_000_001], preClose: [null], isSt: [0],
    }]);
  });
  it('reads a gzip-compressed file written by another tool', async () => {
    const p = file('ext.csv.gz');
    writeFileSync(p, gzipSync(`${HEADER}\n600000.SH,2024-01-02,6.58,6.60,6.50,6.55,25000,163125.00,,0\n`));
    expect((await ok(p)).rows).toBe(1);
  });
});

describe('readBarCsv validation: one sentence naming the file and the line', () => {
  const row = '600000.SH,2024-01-02,6.58,6.60,6.50,6.55,25000,163125.00,6.50,0';
  const withRow = (r: string) => `${HEADER}\n${row.replace('2024-01-02', '2024-01-01')}\n${r}\n`;
  it.each([
    ['unknown column', `${HEADER},turnover\n${row}`, 1, /unknown header column "turnover"/],
    ['missing column', 'symbol,date,open,high,low,close,volume\n', 1, /header is missing column "amount"/],
    ['duplicate column', 'symbol,date,open,high,low,close,volume,amount,close\n', 1, /lists column "close" twice/],
    ['empty file', '', 1, /empty/],
    ['field count', withRow('600000.SH,2024-01-02,6.58'), 3, /expected 10 fields, found 3/],
    ['bad symbol', withRow(row.replace('600000.SH', '600000')), 3, /bad symbol "600000"/],
    ['bad date', withRow(row.replace('2024-01-02', '2024-02-30')), 3, /bad date "2024-02-30"/],
    ['non-numeric price', withRow(row.replace('6.58', '6x58')), 3, /open is not a number: "6x58"/],
    ['non-positive price', withRow(row.replace(',6.50,6.55', ',0.00,6.55')), 3, /low must be positive/],
    ['negative price', withRow(row.replace(',6.55,', ',-6.55,')), 3, /close must be positive/],
    ['OHLC: close above high', withRow(row.replace(',6.55,', ',6.61,')), 3, /OHLC is inconsistent/],
    ['OHLC: open below low', withRow(row.replace('6.58,', '6.49,')), 3, /OHLC is inconsistent/],
    ['negative volume', withRow(row.replace(',25000,', ',-100,')), 3, /volume must not be negative/],
    ['fractional volume', withRow(row.replace(',25000,', ',25000.5,')), 3, /volume is not a whole number/],
    ['negative amount', withRow(row.replace(',163125.00,', ',-1.00,')), 3, /amount must not be negative/],
    ['price out of range (1e308)', withRow(row.replace('6.58', '1e308')), 3, /open is out of range .*"1e308"/],
    ['amount out of range', withRow(row.replace(',163125.00,', ',1e308,')), 3, /amount is out of range .*"1e308"/],
    ['price in exponent notation', withRow(row.replace('6.58', '6.58e0')), 3, /open must be written as a plain decimal/],
    ['bad pre_close', withRow(row.replace(',6.50,0', ',abc,0')), 3, /pre_close is not a number/],
    ['bad is_st', withRow(row.replace(/,0$/, ',2')), 3, /is_st must be 0 or 1, got "2"/],
    ['duplicate (symbol, date)', `${HEADER}\n${row}\n${row.replace('600000', '600001')}\n${row}\n`, 4, /duplicate bar for 600000\.SH on 2024-01-02 \(first at line 2\)/],
  ])('%s', async (_name, text, line, re) => {
    const e = await bad(text);
    expect(e.code).toBe('BARS_INVALID');
    expect(e.line).toBe(line);
    expect(e.message).toMatch(re);
    expect(e.message).toMatch(new RegExp(`^${e.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} line ${line}: [^\\n]+\\.$`));
  });
  it('reports the earliest duplicate line when rows arrive out of order', async () => {
    const other = row.replace('2024-01-02', '2024-01-03');
    const e = await bad(`${HEADER}\n${other}\n${row}\n${other}\n${row}\n`);
    expect([e.line, e.message]).toEqual([4, expect.stringMatching(/duplicate bar for 600000\.SH on 2024-01-03 \(first at line 2\)/)]);
  });
  it('a missing file is BARS_NOT_FOUND; a corrupt .gz is BARS_INVALID', async () => {
    const r = await readBarCsv(join(dir, 'nope.csv'));
    expect(r._tag === 'Left' && r.left).toMatchObject({ code: 'BARS_NOT_FOUND', line: 0 });
    const g = await readBarCsv(file('corrupt.csv.gz', 'not gzip at all'));
    expect(g._tag === 'Left' && g.left).toMatchObject({ code: 'BARS_INVALID', line: 0, message: expect.stringMatching(/not a valid gzip file/) });
  });
});
