import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { importFiles, type ImportError, type ImportResult } from '../../../src/adapters/importers/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ashare-import-csv-'));
let n = 0;
const file = (text: string, name = `f${n++}.csv`): string => { const p = join(dir, name); writeFileSync(p, text); return p; };
const ok = (r: Either<ImportError, ImportResult>): ImportResult => {
  if (isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

const TUSHARE = 'ts_code,trade_date,open,high,low,close,pre_close,change,pct_chg,vol,amount\n'
  + '600028.SH,20250102,6.67,6.73,6.52,6.56,6.68,-0.12,-1.7964,1719786.77,1136783.089\n'
  + '600036.SH,20250711,46.50,47.10,46.20,46.90,46.24,0.66,1.4273,1000,46500.0005\n';

describe('tushare-csv', () => {
  it('converts lots ×100 to shares, thousand CNY ×100,000 to fen, YYYYMMDD to a day, prices to 0.001 CNY', async () => {
    const r = ok(await importFiles('tushare-csv', file(TUSHARE)));
    expect(r.rows).toEqual([
      { symbol: '600028.SH', day: '2025-01-02', open: 6670, high: 6730, low: 6520, close: 6560, volume: 171_978_677, amountFen: 113_678_308_900, preClose: 6680, isSt: 0 },
      // 46,500.0005 thousand CNY = 46,500,000.5 CNY = 4,650,000,050 fen exactly
      { symbol: '600036.SH', day: '2025-07-11', open: 46500, high: 47100, low: 46200, close: 46900, volume: 100_000, amountFen: 4_650_000_050, preClose: 46240, isSt: 0 },
    ]);
    expect(r).toMatchObject({ files: 1, suspendedRows: 0, problems: [] });
  });

  it('accepts the pro_bar shape: pandas index column, other column order', async () => {
    const p = file(',ts_code,trade_date,close,open,high,low,pre_close,change,pct_chg,vol,amount\n0,000001.SZ,20250103,11.5,11.4,11.6,11.3,11.4,0.1,0.877,10,12.3456789\n');
    const r = ok(await importFiles('tushare-csv', p));
    expect(r.rows[0]).toMatchObject({ symbol: '000001.SZ', open: 11400, close: 11500, volume: 1000, amountFen: 1_234_568 });
  });

  it('reports a malformed row with file and line and keeps the others; strict refuses the file', async () => {
    const lines = TUSHARE.split('\n');
    const p = file([lines[0], lines[1], '600000.SH,2025013x,1,1,1,1,1,0,0,1,1', '600000.SH,20250102,9,8,7,9,9,0,0,1,1', 'short,row', lines[2], ''].join('\n'));
    const r = ok(await importFiles('tushare-csv', p));
    expect(r.rows.map((b) => b.symbol)).toEqual(['600028.SH', '600036.SH']);
    expect(r.problems).toEqual([
      { file: p, line: 3, message: 'bad date "2025013x"' },
      { file: p, line: 4, message: expect.stringContaining('OHLC is inconsistent') },
      { file: p, line: 5, message: 'expected 11 fields, found 2' },
    ]);
    const s = await importFiles('tushare-csv', p, { strict: true });
    expect(isLeft(s) && s.left).toMatchObject({ code: 'IMPORT_INVALID', file: p, line: 3 });
  });

  it('reports a header without the required columns at line 1', async () => {
    const p = file('ts_code,trade_date,open,close\n600000.SH,20250102,1,1\n');
    const r = ok(await importFiles('tushare-csv', p));
    expect(r.rows).toEqual([]);
    expect(r.problems[0]).toMatchObject({ file: p, line: 1, message: expect.stringContaining('missing column high, low, vol, amount') });
  });
});

describe('baostock-csv', () => {
  const HEAD = 'volume,code,psTTM,high,adjustflag,tradestatus,pbMRQ,preclose,pctChg,open,close,peTTM,isST,turn,pcfNcfTTM,low,date,amount,time\n';
  it('keeps shares and CNY, maps sh./sz. codes, isST, and counts tradestatus=0 rows as suspended', async () => {
    const p = file(HEAD
      + '153023187,sz.000001,2.46,16.9500,3,1,1.22,16.4500,2.55,16.6500,16.8700,11.69,0,0.78,-55.9,16.5500,2020-01-02,2571196482.1450,2020-01-02\n'
      + ',sz.000063,1.33,29.3200,3,0,3.12,29.3200,,29.3200,29.3200,31.75,0,,46.6,29.3200,2021-03-31,,2021-03-31\n'
      + '0,sh.600515,1,3.0000,3,0,1,3.0000,0,3.0000,3.0000,1,1,,1,3.0000,2021-03-31,0.0000,2021-03-31\n'
      + '500,sh.600515,1,3.1500,3,1,1,3.0000,5,3.0000,3.1500,1,1,0.1,1,3.0000,2021-04-01,1530.0000,2021-04-01\n');
    const r = ok(await importFiles('baostock-csv', p));
    expect(r.suspendedRows).toBe(2);
    expect(r.rows).toEqual([
      { symbol: '000001.SZ', day: '2020-01-02', open: 16650, high: 16950, low: 16550, close: 16870, volume: 153_023_187, amountFen: 257_119_648_215, preClose: 16450, isSt: 0 },
      { symbol: '600515.SH', day: '2021-04-01', open: 3000, high: 3150, low: 3000, close: 3150, volume: 500, amountFen: 153_000, preClose: 3000, isSt: 1 },
    ]);
  });

  it('reads a .gz file and a folder (recursive, sorted, only *.csv / *.csv.gz)', async () => {
    const sub = join(dir, 'bs-folder', 'nested');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(dir, 'bs-folder', 'b.csv.gz'), gzipSync(HEAD + '100,sh.600000,1,10.1,3,1,1,10,1,10,10.1,1,0,1,1,10,2020-01-03,1010,2020-01-03\n'));
    writeFileSync(join(sub, 'a.csv'), HEAD + '200,sz.000002,1,20.2,3,1,1,20,1,20,20.2,1,0,1,1,20,2020-01-02,4040,2020-01-02\n');
    writeFileSync(join(dir, 'bs-folder', 'readme.txt'), 'not a csv');
    const r = ok(await importFiles('baostock-csv', join(dir, 'bs-folder')));
    expect(r.files).toBe(2);
    expect(r.rows.map((b) => [b.symbol, b.volume, b.amountFen])).toEqual([['600000.SH', 100, 101_000], ['000002.SZ', 200, 404_000]]);
  });
});

describe('jqdata-csv', () => {
  it('maps .XSHG/.XSHE, volume shares, money CNY, paused=1 suspended', async () => {
    const p = file('date,code,open,close,high,low,volume,money,paused,high_limit,low_limit,avg,pre_close\n'
      + '2024-01-02,600000.XSHG,6.60,6.65,6.70,6.55,12345600.0,82000000.125,0.0,7.26,5.94,6.64,6.60\n'
      + '2024-01-02,000001.XSHE,9.20,9.20,9.20,9.20,0.0,0.0,1.0,10.12,8.28,9.2,9.20\n');
    const r = ok(await importFiles('jqdata-csv', p));
    expect(r.suspendedRows).toBe(1);
    expect(r.rows).toEqual([{ symbol: '600000.SH', day: '2024-01-02', open: 6600, high: 6700, low: 6550, close: 6650, volume: 12_345_600, amountFen: 8_200_000_013, preClose: 6600, isSt: 0 }]);
  });

  it('takes the security from the symbol option or the file name when there is no code column', async () => {
    const body = ',open,close,high,low,volume,money\n2024-01-02 00:00:00,1.234,1.240,1.250,1.230,1000,1236.5\n';
    const a = ok(await importFiles('jqdata-csv', file(body), { symbol: '510050.XSHG' }));
    expect(a.rows[0]).toMatchObject({ symbol: '510050.SH', day: '2024-01-02', open: 1234, close: 1240, amountFen: 123_650 });
    const b = ok(await importFiles('jqdata-csv', file(body, '159915.XSHE.csv')));
    expect(b.rows[0]!.symbol).toBe('159915.SZ');
    const c = ok(await importFiles('jqdata-csv', file(body)));
    expect(c.problems[0]).toMatchObject({ line: 1, message: expect.stringContaining('no code column') });
    const d = await importFiles('jqdata-csv', file(body), { symbol: '510050' });
    expect(isLeft(d) && d.left.code).toBe('IMPORT_OPTIONS_INVALID');
  });
});

describe('wind-csv', () => {
  it('reads case-insensitive headers, volume shares, amt CNY; no-volume days are suspended', async () => {
    const p = file('WINDCODE,DATE,OPEN,HIGH,LOW,CLOSE,VOLUME,AMT\n'
      + '600519.SH,2024/01/02,1715.00,1718.19,1678.10,1685.01,3215644,5440082500.00\n'
      + '600519.SH,2024/01/03,1685.01,1685.01,1685.01,1685.01,0,0\n');
    const r = ok(await importFiles('wind-csv', p));
    expect(r.suspendedRows).toBe(1);
    expect(r.rows).toEqual([{ symbol: '600519.SH', day: '2024-01-02', open: 1_715_000, high: 1_718_190, low: 1_678_100, close: 1_685_010, volume: 3_215_644, amountFen: 544_008_250_000, preClose: null, isSt: 0 }]);
  });
});

describe('generic csv', () => {
  it('follows the column map and its units', async () => {
    const p = file('code,trade_date,o,h,l,c,v,amt,st,state\n300750.SZ,2024-05-06,190.5,195,189,194.2,1234.5,2400.1234,1,T\n300750.SZ,2024-05-07,1,1,1,1,0,0,0,S\n');
    const r = await importFiles('csv', p, {
      columns: { symbol: 'code', date: 'trade_date', open: 'o', high: 'h', low: 'l', close: 'c', volume: 'v', amount: 'amt', isSt: 'st', suspended: { column: 'state', values: ['S'] }, volumeUnit: 'lots', amountUnit: 'thousand' },
    });
    expect(isRight(r) && r.right.rows).toEqual([{ symbol: '300750.SZ', day: '2024-05-06', open: 190_500, high: 195_000, low: 189_000, close: 194_200, volume: 123_450, amountFen: 240_012_340, preClose: null, isSt: 1 }]);
    expect(isRight(r) && r.right.suspendedRows).toBe(1);
    const noMap = await importFiles('csv', p);
    expect(isLeft(noMap) && noMap.left.code).toBe('IMPORT_OPTIONS_INVALID');
  });

  it('reports a missing path and an empty folder', async () => {
    const m = await importFiles('tushare-csv', join(dir, 'nope.csv'));
    expect(isLeft(m) && m.left.code).toBe('IMPORT_NOT_FOUND');
    mkdirSync(join(dir, 'empty'));
    const e = await importFiles('tushare-csv', join(dir, 'empty'));
    expect(isLeft(e) && e.left.code).toBe('IMPORT_NO_FILES');
  });
});
