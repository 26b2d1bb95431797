import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../../src/adapters/importers/index.js';

// The `symbol` option filters: a file or folder of many codes imports that one only (issue 15 item 6).
const dir = mkdtempSync(join(tmpdir(), 'ashare-symbol-filter-'));

/** One TDX record: 2024-01-02, prices in 0.01 CNY, amount CNY, volume shares. */
function tdxRecord(close: number): Buffer {
  const b = Buffer.alloc(32);
  b.writeUInt32LE(20240102, 0);
  for (const o of [4, 8, 12, 16]) b.writeUInt32LE(close, o);
  b.writeFloatLE(close * 1000, 20);
  b.writeUInt32LE(1000, 24);
  return b;
}

describe('importFiles with the symbol option', () => {
  it('a Tushare CSV with a code column: only that code, the others counted', async () => {
    const p = join(dir, 'two.csv');
    writeFileSync(p, ['ts_code,trade_date,open,high,low,close,pre_close,change,pct_chg,vol,amount',
      '600000.SH,20240102,10,10,10,10,10,0,0,100,100', '000001.SZ,20240102,9,9,9,9,9,0,0,100,90',
      '600000.SH,20240103,10,10,10,10,10,0,0,100,100'].join('\n'));
    const r = await importFiles('tushare-csv', p, { symbol: 'sh.600000' });
    if (isLeft(r)) throw new Error(r.left.message);
    expect(r.right.rows.map((b) => `${b.symbol} ${b.day}`)).toEqual(['600000.SH 2024-01-02', '600000.SH 2024-01-03']);
    expect(r.right.otherSymbolRows).toBe(1);
  });

  it('a TDX folder: only that code\'s file is read; a bad code is refused', async () => {
    const lday = join(dir, 'vipdoc', 'sh', 'lday');
    mkdirSync(lday, { recursive: true });
    writeFileSync(join(lday, 'sh600000.day'), tdxRecord(1000));
    writeFileSync(join(lday, 'sh600519.day'), tdxRecord(150000));
    const r = await importFiles('tdx', join(dir, 'vipdoc'), { symbol: '600519.SH' });
    if (isLeft(r)) throw new Error(r.left.message);
    expect(r.right.rows.map((b) => b.symbol)).toEqual(['600519.SH']);
    expect(r.right.files).toBe(1);
    const bad = await importFiles('tdx', join(dir, 'vipdoc'), { symbol: '600519' });
    expect(isLeft(bad) && bad.left.code).toBe('IMPORT_OPTIONS_INVALID');
  });
});
