import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { scanBarCsv } from '../../../src/adapters/bars/barCsv.js';
import { BarRowParser, type RowAdmission } from '../../../src/adapters/bars/barCsvParser.js';
import { readByteBlocks, readTextBlocks } from '../../../src/adapters/bars/textLines.js';
import type { DayBars } from '../../../src/domain/bars.js';

/*
 * The bar reader parses plainly well-formed rows from bytes in place and hands every other row to the
 * text path. Invariant: for any sequence of lines — well-formed, odd (12., 007.50, empty pre_close) or
 * wrong (signs, extra decimals, fields missing or extra, off-tick, non-ASCII) — the byte path answers
 * every row exactly as the text path does (the same message or none) and yields the same days.
 */

const dir = mkdtempSync(join(tmpdir(), 'barbytes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A tick of 0.01 CNY for SH codes and none for SZ, and one refused code: admission answers cached per symbol.
const admission: RowAdmission = {
  symbol: (s) => (s.startsWith('688999') ? { problem: `${s} is refused` } : { tickMilli: s.endsWith('.SH') ? 10 : 0 }),
  day: (d) => (d === '2024-01-06' ? 'not a trading day' : undefined),
};

/** A price in 0.001 CNY written as the files write it: 2 decimals on the cent, else 3, sometimes as `12.` or `007.50`. */
const spell = (milli: number, style: number): string => {
  const whole = Math.floor(milli / 1000), frac = milli % 1000;
  if (style === 1 && frac === 0) return `${whole}.`;
  if (style === 2) return `00${whole}.${String(frac).padStart(3, '0')}0`;
  return frac % 10 === 0 ? `${whole}.${String(frac / 10).padStart(2, '0')}` : `${whole}.${String(frac).padStart(3, '0')}`;
};
const milli = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 9_999 }).map((v) => v * 10) }, fc.integer({ min: 1, max: 99_999 }));
const oddPrice = fc.constantFrom('10.0001', '10.005', '-1.00', '+1.00', '', ' 1.00', '1e3', '0', '0.00', '.5', '1.2.3', '１.00',
  '1234567890123.00', '99999999999999999', '10.0010', '12.34567');
const odd = <T>(ok: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ weight: 20, arbitrary: ok }, { weight: 1, arbitrary: bad });
const whole = odd(fc.nat({ max: 2_000_000_000 }).map(String), fc.constantFrom('100.', '100.0', '-5', '', '1e5', '12345678901234', '007', '+3'));
const amount = odd(fc.nat({ max: 99_999_999 }).map((v) => `${v}.${String(v % 100).padStart(2, '0')}`),
  fc.constantFrom('12.', '12.345', '12.340', '-1', '', '1234567890123.45', '7'));
const symbol = odd(fc.constantFrom('600000.SH', '000001.SZ', '510300.SH', '830799.BJ'), fc.constantFrom('688999.SH', '60000.SH', '600000.sh', '600000.SHX'));
const date = odd(fc.constantFrom('2024-01-02', '2024-01-03', '2024-01-05'), fc.constantFrom('2024-01-06', '2024-1-04', '2024/01/04'));
const st = odd(fc.constantFrom('0', '1'), fc.constantFrom('2', '', '01'));

/** A row of four prices ordered low ≤ open, close ≤ high (usually), a field now and then odd, dropped or added. */
const row = fc.record({
  symbol, date, prices: fc.array(milli, { minLength: 4, maxLength: 4 }), styles: fc.array(fc.nat({ max: 9 }), { minLength: 5, maxLength: 5 }),
  swap: fc.boolean(), shuffled: fc.nat({ max: 9 }), oddAt: fc.nat({ max: 19 }), oddPrice, v: whole, a: amount,
  pc: fc.oneof({ weight: 6, arbitrary: milli.map(String) }, fc.constant('')), st,
  shape: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'drop', 'extra', 'crlf'),
}).map((r) => {
  const [l, m1, m2, h] = [...r.prices].sort((x, y) => x - y) as [number, number, number, number];
  let ohlc = [r.swap ? m2 : m1, h, l, r.swap ? m1 : m2].map((v, i) => spell(v, r.styles[i]!));
  if (r.shuffled === 0) ohlc = [ohlc[1]!, ohlc[0]!, ohlc[3]!, ohlc[2]!]; // inconsistent now and then
  const pc = r.pc === '' ? '' : spell(Number(r.pc), r.styles[4]!);
  const fields = [r.symbol, r.date, ...ohlc, r.v, r.a, pc, r.st];
  if (r.oddAt < 5) fields[r.oddAt === 4 ? 8 : 2 + r.oddAt] = r.oddPrice; // one price field odd, half the time
  if (r.shape === 'drop') fields.splice(3, 1);
  if (r.shape === 'extra') fields.push('x');
  return fields.join(',') + (r.shape === 'crlf' ? '\r' : '');
});
const header = fc.constantFrom(
  'symbol,date,open,high,low,close,volume,amount,pre_close,is_st',
  'symbol,date,open,high,low,close,volume,amount,pre_close',
  'symbol,date,open,high,low,close,volume,amount',
  'date,symbol,open,high,low,close,volume,amount,pre_close,is_st',
);

/** Fits a 10-field row to the header's column count (a shorter header drops the optional tail). */
const fit = (line: string, h: string): string => {
  const n = h.split(',').length;
  const cr = line.endsWith('\r') ? '\r' : '';
  const f = (cr ? line.slice(0, -1) : line).split(',');
  if (h.startsWith('date')) [f[0], f[1]] = [f[1]!, f[0]!];
  return (f.length >= 10 ? f.slice(0, n + f.length - 10) : f.slice(0, Math.max(0, n - (10 - f.length)))).join(',') + cr;
};

type Answer = { answers: (string | undefined)[]; days: DayBars[] | { line: number; problem: string }; rows: number };

function run(h: string, lines: string[], bytes: boolean): Answer {
  const p = new BarRowParser(admission);
  const bad = p.header(h);
  if (bad !== undefined) throw new Error(bad);
  const answers = lines.map((l, i) => {
    const end = l.endsWith('\r') ? l.length - 1 : l.length;
    if (!bytes) return p.row(l, 0, end, i + 2);
    const b = Buffer.from(l, 'utf8');
    return p.rowBytes(b, 0, end === l.length ? b.length : b.length - 1, i + 2);
  });
  const done = p.finish();
  return { answers, days: 'days' in done ? done.days : done, rows: p.rows };
}

describe('bar rows from bytes', () => {
  it('answers every row as the text path does, and yields the same days', () => {
    fc.assert(fc.property(header, fc.array(row, { minLength: 10, maxLength: 60 }), (h, rows) => {
      const lines = rows.map((r) => fit(r, h));
      expect(run(h, lines, true)).toEqual(run(h, lines, false));
    }), { numRuns: 400 });
  });

  it('parses plain rows in place to the numbers the text path reads', () => {
    const h = 'symbol,date,open,high,low,close,volume,amount,pre_close,is_st';
    // Rows 1 and 2 admit both symbols and both days (the text path); rows 3 and 4 are read in place.
    const lines = ['600000.SH,2024-01-02,9.00,9.00,9.00,9.00,1,1.00,,0', '000001.SZ,2024-01-03,9.00,9.00,9.00,9.00,1,1.00,,0',
      '000001.SZ,2024-01-02,10.00,10.50,9.80,10.20,1200,12240.50,,1', '600000.SH,2024-01-03,10.,10.5,9.8,10.2,7,0.5,10.20,0'];
    const viaBytes = run(h, lines, true);
    expect(viaBytes.answers).toEqual([undefined, undefined, undefined, undefined]);
    expect(viaBytes.days).toEqual([
      { day: '2024-01-02', symbols: ['000001.SZ', '600000.SH'], open: [10_000, 9_000], high: [10_500, 9_000], low: [9_800, 9_000], close: [10_200, 9_000],
        volume: [1200, 1], amountFen: [1_224_050, 100], preClose: [null, null], isSt: [1, 0] },
      { day: '2024-01-03', symbols: ['000001.SZ', '600000.SH'], open: [9_000, 10_000], high: [9_000, 10_500], low: [9_000, 9_800], close: [9_000, 10_200],
        volume: [1, 7], amountFen: [100, 50], preClose: [null, 10_200], isSt: [0, 0] },
    ]);
  });
});

describe('readByteBlocks', () => {
  const text = '\ufeffsymbol,date\r\n600000.SH,2024-01-02\n\n中文,行\nlast line without newline';
  it('yields whole lines as bytes, the BOM dropped, as readTextBlocks yields them as text (plain and gzip)', async () => {
    for (const [name, body] of [['t.csv', Buffer.from(text)], ['t.csv.gz', gzipSync(Buffer.from(text))]] as const) {
      const p = join(dir, name);
      writeFileSync(p, body);
      const bytes: Buffer[] = [];
      for await (const b of readByteBlocks(p)) bytes.push(Buffer.from(b));
      let asText = '';
      for await (const t of readTextBlocks(p)) asText += t;
      expect(Buffer.concat(bytes).toString('utf8')).toBe(asText);
      expect(asText.startsWith('symbol')).toBe(true);
      for (const b of bytes.slice(0, -1)) expect(b[b.length - 1]).toBe(10);
    }
  });

  it('splits a file larger than one read only after a newline', async () => {
    const line = '600000.SH,2024-01-02,10.00,10.50,9.80,10.20,1200,12240.50,,0\n';
    const p = join(dir, 'big.csv');
    writeFileSync(p, line.repeat(40_000)); // ~2.5 MB: several 1 MiB reads
    let n = 0, lines = 0;
    for await (const b of readByteBlocks(p)) {
      n++;
      expect(b[b.length - 1]).toBe(10);
      for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) lines++;
    }
    expect(n).toBeGreaterThan(1);
    expect(lines).toBe(40_000);
  });
});

describe('scanning without the columns', () => {
  it('lists the same days, finds the same duplicate, and keeps no prices', async () => {
    const p = join(dir, 'scan.csv');
    writeFileSync(p, ['symbol,date,open,high,low,close,volume,amount',
      '600000.SH,2024-01-02,10.00,10.50,9.80,10.20,1,1.00', '000001.SZ,2024-01-02,10.00,10.50,9.80,10.20,1,1.00',
      '600000.SH,2024-01-03,10.00,10.50,9.80,10.20,1,1.00'].join('\n'));
    const r = await scanBarCsv(p);
    if (r._tag === 'Left') throw new Error(r.left.message);
    expect(r.right.dayList).toEqual(['2024-01-02', '2024-01-03']);
    const days: DayBars[] = [];
    for await (const d of r.right.days()) days.push(d);
    expect(days.map((d) => [d.day, d.symbols, d.close])).toEqual([['2024-01-02', ['000001.SZ', '600000.SH'], [10_200, 10_200]], ['2024-01-03', ['600000.SH'], [10_200]]]);
    const dup = join(dir, 'dup.csv');
    writeFileSync(dup, ['symbol,date,open,high,low,close,volume,amount',
      '600000.SH,2024-01-02,10.00,10.50,9.80,10.20,1,1.00', '000001.SZ,2024-01-02,10.00,10.50,9.80,10.20,1,1.00',
      '600000.SH,2024-01-02,10.00,10.50,9.80,10.20,1,1.00', '600000.SH,2024-01-03,10.00,10.50,9.80,10.20,1,1.00'].join('\n'));
    const d = await scanBarCsv(dup);
    expect(d._tag === 'Left' && d.left.message).toBe(`${dup} line 4: duplicate bar for 600000.SH on 2024-01-02 (first at line 2).`);
  });
});
