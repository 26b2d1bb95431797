import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLeft, type Either } from 'fp-ts/lib/Either.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { importFiles, type ImportError, type ImportResult } from '../../../src/adapters/importers/index.js';
import type { Bar } from '../../../src/domain/bars.js';

// Real public data sets (read in place under $ASHARE_FIXTURES_DIR, never copied); figures from each
// set's PROVENANCE.md and the TDX MANIFEST.csv.
const fixtures = process.env.ASHARE_FIXTURES_DIR;
const set = (name: string): string => (fixtures ? join(fixtures, name) : '');
const TUSHARE = set('sse50_tushare_2025'), BAOSTOCK = set('csi300_baostock_2020_2025'), TDX = set('tdx_lday_2011_2017');
const have = (p: string): boolean => !!fixtures && existsSync(p);
if (!fixtures) console.log('skipping importer real-data tests: ASHARE_FIXTURES_DIR is not set');

const ok = (r: Either<ImportError, ImportResult>): ImportResult => {
  if (isLeft(r)) throw new Error(r.left.message);
  return r.right;
};
const key = (b: Bar): string => `${b.symbol}|${b.day}`;
const distinct = (rows: readonly Bar[], f: (b: Bar) => string): string[] => [...new Set(rows.map(f))].sort();
const get = (rows: readonly Bar[], symbol: string, day: string): Bar | undefined => rows.find((b) => b.symbol === symbol && b.day === day);

describe.skipIf(!have(TUSHARE))('sse50_tushare_2025 (tushare-csv)', () => {
  let main: ImportResult, late: ImportResult;
  beforeAll(async () => {
    main = ok(await importFiles('tushare-csv', join(TUSHARE, 'daily_prices_sse_50.csv'), { strict: true }));
    late = ok(await importFiles('tushare-csv', join(TUSHARE, 'daily_prices_sse_50_20251009_20251119.csv'), { strict: true }));
  });

  it('main file: 9,968 rows, 50 symbols, 200 dates, 2025-01-02 … 2025-10-31', () => {
    expect(main.rows).toHaveLength(9968);
    expect(distinct(main.rows, (b) => b.symbol)).toHaveLength(50);
    const days = distinct(main.rows, (b) => b.day);
    expect([days.length, days[0], days.at(-1)]).toEqual([200, '2025-01-02', '2025-10-31']);
    expect(new Set(main.rows.map(key)).size).toBe(9968);
  });

  it('second file: 1,500 rows, 50 symbols, 30 dates, 2025-10-09 … 2025-11-19; the 850 overlapping rows are identical', () => {
    expect(late.rows).toHaveLength(1500);
    expect(distinct(late.rows, (b) => b.symbol)).toHaveLength(50);
    const days = distinct(late.rows, (b) => b.day);
    expect([days.length, days[0], days.at(-1)]).toEqual([30, '2025-10-09', '2025-11-19']);
    const byKey = new Map(main.rows.map((b) => [key(b), b]));
    const overlap = late.rows.filter((b) => byKey.has(key(b)));
    expect(overlap).toHaveLength(850);
    for (const b of overlap) expect(byKey.get(key(b))).toEqual(b);
  });

  it('spot values in canonical units', () => {
    // 600028.SH,20250102,6.67,6.73,6.52,6.56,6.68,…,1719786.77 lots,1136783.089 thousand CNY
    expect(get(main.rows, '600028.SH', '2025-01-02')).toEqual({ symbol: '600028.SH', day: '2025-01-02', open: 6670, high: 6730, low: 6520, close: 6560, volume: 171_978_677, amountFen: 113_678_308_900, preClose: 6680, isSt: 0 });
    // Ex-dividend: pre_close 46.24 is the ex-rights reference, the previous close was 48.24.
    const cmb = main.rows.filter((b) => b.symbol === '600036.SH');
    const i = cmb.findIndex((b) => b.day === '2025-07-11');
    expect([cmb[i]!.preClose, cmb[i - 1]!.close]).toEqual([46_240, 48_240]);
    // Suspended days are absent: 50 × 200 − 9,968 = 32. (PROVENANCE names 601211.SH for 2025-05-26 … 06-05;
    // the file has 601211.SH on those days — the 10-day gap 2025-05-26 … 06-09 is 688041.SH's, 601211.SH misses 02-06/07.)
    const missing = (s: string, from: string, to: string): number => main.rows.filter((b) => b.symbol === s && b.day >= from && b.day <= to).length;
    expect([missing('688041.SH', '2025-05-26', '2025-06-09'), missing('601211.SH', '2025-02-06', '2025-02-07'), missing('601211.SH', '2025-05-26', '2025-06-05')]).toEqual([0, 0, 8]);
  });
});

describe.skipIf(!have(BAOSTOCK))('csi300_baostock_2020_2025 (baostock-csv)', () => {
  let r: ImportResult;
  beforeAll(async () => { r = ok(await importFiles('baostock-csv', join(BAOSTOCK, 'daily_bars.csv.gz'), { strict: true })); });

  it('296,331 rows: 362 tradestatus=0 suspended, 295,969 bars, 240 symbols, 2020-01-02 … 2025-04-07', () => {
    expect([r.rows.length, r.suspendedRows, r.rows.length + r.suspendedRows, r.problems.length]).toEqual([295_969, 362, 296_331, 0]);
    const symbols = distinct(r.rows, (b) => b.symbol);
    expect(symbols).toEqual(readFileSync(join(BAOSTOCK, 'symbols.txt'), 'utf8').split('\n').map((s) => s.trim()).filter(Boolean).sort());
    const days = distinct(r.rows, (b) => b.day);
    expect([days.length, days[0], days.at(-1)]).toEqual([1273, '2020-01-02', '2025-04-07']);
    expect(new Set(r.rows.map(key)).size).toBe(295_969);
  });

  it('units: volume shares and amount CNY kept, ST flags carried', () => {
    // 153023187,sz.000001,…,preclose 16.4500,…,open 16.6500,close 16.8700,…,low 16.5500,2020-01-02,amount 2571196482.1400
    expect(get(r.rows, '000001.SZ', '2020-01-02')).toEqual({ symbol: '000001.SZ', day: '2020-01-02', open: 16_650, high: 16_950, low: 16_550, close: 16_870, volume: 153_023_187, amountFen: 257_119_648_214, preClose: 16_450, isSt: 0 });
    expect(get(r.rows, '600515.SH', '2021-06-01')?.isSt).toBe(1);
    expect(r.rows.filter((b) => b.isSt === 1).length).toBeLessThanOrEqual(647);
  });

  describe.skipIf(!have(TUSHARE))('agrees with sse50_tushare_2025 on the overlapping stock-days', () => {
    it('3,048 stock-days: open, close, pre_close identical; baostock volume = Tushare vol × 100 (both in shares here)', async () => {
      const ts = ok(await importFiles('tushare-csv', join(TUSHARE, 'daily_prices_sse_50.csv'))).rows;
      const bs = new Map(r.rows.map((b) => [key(b), b]));
      const pairs = ts.filter((b) => bs.has(key(b))).map((t) => [t, bs.get(key(t))!] as const);
      expect(pairs).toHaveLength(3048);
      let maxAmountGap = 0;
      for (const [t, b] of pairs) {
        expect([b.symbol, b.day, b.open, b.close, b.preClose, b.volume]).toEqual([t.symbol, t.day, t.open, t.close, t.preClose, t.volume]);
        maxAmountGap = Math.max(maxAmountGap, Math.abs(b.amountFen - t.amountFen));
      }
      // Tushare writes thousand CNY with 3 decimals (1 CNY resolution): amounts agree to half a yuan.
      expect(maxAmountGap).toBe(50);
    });
  });
});

interface ManifestRow { file: string; records: number; first: string; last: string }
const manifest = (): ManifestRow[] => readFileSync(join(TDX, 'MANIFEST.csv'), 'utf8').trim().split('\n').slice(1).map((l) => {
  const [file, records, first, last] = l.split(',');
  const d = (s: string): string => `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
  return { file: file!, records: Number(records), first: d(first!), last: d(last!) };
});
const tdxSymbol = (file: string): string => { const m = /(sh|sz)(\d{6})\.day$/.exec(file)!; return `${m[2]}.${m[1]!.toUpperCase()}`; };

describe.skipIf(!have(TDX))('tdx_lday_2011_2017 (tdx)', () => {
  let all: ImportResult;
  beforeAll(async () => { all = ok(await importFiles('tdx', join(TDX, 'vipdoc'), { includeIndices: true, strict: true })); });

  it('with indices: 56,739 records in 47 files; per-file counts and first/last dates match MANIFEST.csv', () => {
    expect([all.files, all.rows.length, all.problems.length]).toEqual([47, 56_739, 0]);
    const bySym = new Map<string, Bar[]>();
    for (const b of all.rows) { const a = bySym.get(b.symbol) ?? []; a.push(b); bySym.set(b.symbol, a); }
    const m = manifest();
    expect(m).toHaveLength(47);
    for (const row of m) {
      const bars = bySym.get(tdxSymbol(row.file))!;
      expect([row.file, bars.length, bars[0]!.day, bars.at(-1)!.day]).toEqual([row.file, row.records, row.first, row.last]);
    }
  });

  it('default (stocks and funds): 39 files (37 stocks + 2 ETFs; PROVENANCE says 35 stocks), 8 indices skipped and reported', async () => {
    const r = ok(await importFiles('tdx', join(TDX, 'vipdoc')));
    const indexRecords = manifest().filter((x) => /(sh000|sh880|sz399)/.test(x.file)).reduce((s, x) => s + x.records, 0);
    expect([r.files, r.skippedFiles.length, r.rows.length]).toEqual([39, 8, 56_739 - indexRecords]);
    expect(r.notes).toContain('8 index file(s) skipped (indices are not tradable; includeIndices imports them).');
  });

  it('spot values: unadjusted closes, fund ×1000 prices, index volume lots → shares', () => {
    expect(get(all.rows, '600000.SH', '2017-04-18')).toMatchObject({ close: 15_300, preClose: null });
    expect(get(all.rows, '000001.SZ', '2017-04-18')?.close).toBe(9_050);
    expect(get(all.rows, '510050.SH', '2017-04-18')).toMatchObject({ open: 2_350, high: 2_351, low: 2_336, close: 2_338, volume: 142_334_470 });
    // sh000001 2017-04-18: 188,661,353 lots ≈ 1.89e10 shares; amount float32 211,866,763,264 CNY.
    expect(get(all.rows, '000001.SH', '2017-04-18')).toMatchObject({ close: 3_196_710, volume: 18_866_135_300, amountFen: 21_186_676_326_400 });
  });
});
