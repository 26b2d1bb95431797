import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import { readBarCsv, scanBarCsv, writeBarCsv } from '../../../src/adapters/bars/barCsv.js';
import { loadHolidayCalendar } from '../../../src/adapters/market/calendarFile.js';
import type { DayBars } from '../../../src/domain/bars.js';
import { generateMarket } from '../../../src/domain/synthetic/index.js';

// A full-market CSV is checked whole and then streamed a day at a time into the run: the streamed
// days must be exactly the days the holding reader gives, a file by symbol falls back to holding,
// and every problem is reported as the holding reader reports it.
const dir = mkdtempSync(join(tmpdir(), 'barcsv-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cal = (() => { const r = loadHolidayCalendar(); if (r._tag === 'Left') throw new Error(r.left.message); return r.right; })();
const collect = async (xs: AsyncIterable<DayBars>): Promise<DayBars[]> => { const out: DayBars[] = []; for await (const d of xs) out.push(d); return out; };
const HEADER = 'symbol,date,open,high,low,close,volume,amount,pre_close,is_st';

describe('scanBarCsv', () => {
  it('streams the same days as readBarCsv from a file in date order, and again on every call', async () => {
    const m = generateMarket({ symbols: 30, days: 40, seed: 3, startDay: '2024-01-02' as never, calendar: cal });
    const p = join(dir, 'dated.csv');
    await writeBarCsv(p, m.days);
    const whole = await readBarCsv(p);
    const scanned = await scanBarCsv(p);
    if (isLeft(whole) || isLeft(scanned)) throw new Error('unreadable');
    expect(scanned.right.dayList).toEqual(whole.right.days.map((d) => d.day));
    expect(scanned.right.rows).toBe(whole.right.rows);
    expect(scanned.right.symbols).toBe(whole.right.symbols);
    expect(await collect(scanned.right.days())).toEqual(whole.right.days);
    expect(await collect(scanned.right.days())).toEqual(whole.right.days);
  });

  it('reads a file ordered by symbol whole, with the same days', async () => {
    const p = join(dir, 'bysymbol.csv');
    writeFileSync(p, [HEADER,
      '000001.SZ,2024-01-02,9.39,9.42,9.21,9.21,100,921.00,9.39,0', '000001.SZ,2024-01-03,9.20,9.22,9.15,9.20,100,920.00,,0',
      '600000.SH,2024-01-02,6.58,6.60,6.50,6.55,100,655.00,,0', '600000.SH,2024-01-03,6.55,6.60,6.55,6.60,100,660.00,,0', ''].join('\n'));
    const whole = await readBarCsv(p);
    const scanned = await scanBarCsv(p);
    if (isLeft(whole) || isLeft(scanned)) throw new Error('unreadable');
    expect(scanned.right.dayList).toEqual(['2024-01-02', '2024-01-03']);
    expect(await collect(scanned.right.days())).toEqual(whole.right.days);
  });

  it('reports a duplicate bar, and a bad row after a complete day, at the line readBarCsv names', async () => {
    const dup = join(dir, 'dup.csv');
    writeFileSync(dup, [HEADER,
      '000001.SZ,2024-01-02,9.39,9.42,9.21,9.21,100,921.00,,0', '000001.SZ,2024-01-02,9.39,9.42,9.21,9.21,100,921.00,,0',
      '000001.SZ,2024-01-03,9.20,9.22,9.15,9.20,100,920.00,,0', ''].join('\n'));
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, [HEADER,
      '000001.SZ,2024-01-02,9.39,9.42,9.21,9.21,100,921.00,,0', '000001.SZ,2024-01-03,9.20,9.10,9.15,9.20,100,920.00,,0', ''].join('\n'));
    for (const p of [dup, bad]) {
      const a = await readBarCsv(p), b = await scanBarCsv(p);
      expect(isRight(a) || isRight(b)).toBe(false);
      if (isLeft(a) && isLeft(b)) expect(b.left).toEqual(a.left);
    }
  });
});
