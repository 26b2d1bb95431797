import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { isLeft, type Either } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { importFiles, tdxKindOf, tdxSymbolOf, type ImportError, type ImportResult } from '../../../src/adapters/importers/index.js';
import { asSymbol } from '../../../src/domain/symbol.js';

interface Rec { ymd: number; o: number; h: number; l: number; c: number; amount: number; vol: number }
/** Builds raw 32-byte little-endian TDX records. */
function dayFile(recs: readonly Rec[]): Buffer {
  const b = Buffer.alloc(recs.length * 32);
  recs.forEach((r, i) => {
    const o = i * 32;
    b.writeUInt32LE(r.ymd, o); b.writeUInt32LE(r.o, o + 4); b.writeUInt32LE(r.h, o + 8); b.writeUInt32LE(r.l, o + 12);
    b.writeUInt32LE(r.c, o + 16); b.writeFloatLE(r.amount, o + 20); b.writeUInt32LE(r.vol, o + 24); b.writeUInt32LE(65536, o + 28);
  });
  return b;
}
const root = mkdtempSync(join(tmpdir(), 'ashare-import-tdx-'));
const vipdoc = join(root, 'vipdoc');
for (const m of ['sh', 'sz']) mkdirSync(join(vipdoc, m, 'lday'), { recursive: true });
const put = (name: string, buf: Buffer): string => {
  const p = join(vipdoc, name.slice(0, 2), 'lday', name);
  writeFileSync(p, buf);
  return p;
};
const ok = (r: Either<ImportError, ImportResult>): ImportResult => {
  if (isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

// Stock: 0.01 CNY ints, volume shares; amount float32 CNY (12,345,678 is exact in float32).
const stock = put('sh600000.day', dayFile([
  { ymd: 20170417, o: 1520, h: 1535, l: 1510, c: 1525, amount: 12_345_678, vol: 810_000 },
  { ymd: 20170418, o: 1525, h: 1540, l: 1522, c: 1530, amount: 1.5, vol: 100 },
]));
// ETF: 0.001 CNY ints (sh510050 close raw 2338 = 2.338 CNY).
const etf = put('sh510050.day', dayFile([{ ymd: 20170418, o: 2330, h: 2345, l: 2325, c: 2338, amount: 1_000_000, vol: 427_700 }]));
// Index: 0.01 CNY, volume in lots.
const index = put('sh000001.day', dayFile([{ ymd: 20170418, o: 322_000, h: 323_500, l: 320_000, c: 322_200, amount: 2 ** 37, vol: 188_661_353 }]));
put('sz399001.day', dayFile([{ ymd: 20170418, o: 1_000_000, h: 1_010_000, l: 990_000, c: 1_005_000, amount: 1e11, vol: 5 }]));
// Truncated: one whole record plus 20 bytes.
const cut = put('sz000001.day', Buffer.concat([dayFile([{ ymd: 20170418, o: 905, h: 910, l: 900, c: 905, amount: 9e8, vol: 1000 }]), Buffer.alloc(20)]));

describe('tdx .day', () => {
  it('decodes a stock file: prices ×10 to 0.001 CNY, volume shares, float amount to fen, no pre-close', async () => {
    const r = ok(await importFiles('tdx', stock));
    expect(r.rows).toEqual([
      { symbol: '600000.SH', day: '2017-04-17', open: 15200, high: 15350, low: 15100, close: 15250, volume: 810_000, amountFen: 1_234_567_800, preClose: null, isSt: 0 },
      { symbol: '600000.SH', day: '2017-04-18', open: 15250, high: 15400, low: 15220, close: 15300, volume: 100, amountFen: 150, preClose: null, isSt: 0 },
    ]);
    expect(r).toMatchObject({ files: 1, problems: [], suspendedRows: 0 });
  });

  it('reads fund prices as 0.001 CNY (×1) and index volume as lots ×100, with a note', async () => {
    expect(ok(await importFiles('tdx', etf)).rows[0]).toMatchObject({ symbol: '510050.SH', close: 2338, open: 2330, volume: 427_700 });
    const skipped = ok(await importFiles('tdx', index));
    expect(skipped.rows).toEqual([]);
    expect(skipped.skippedFiles).toEqual([{ file: index, reason: expect.stringContaining('000001.SH is an index') }]);
    const r = ok(await importFiles('tdx', index, { includeIndices: true }));
    expect(r.rows[0]).toMatchObject({ symbol: '000001.SH', close: 3_222_000, volume: 18_866_135_300, amountFen: 13_743_895_347_200 });
    expect(r.notes.join(' ')).toContain('lots converted to shares');
  });

  it('reports a truncated file with its byte offset, keeps its whole records; strict refuses it', async () => {
    const r = ok(await importFiles('tdx', cut));
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]).toMatchObject({ symbol: '000001.SZ', close: 9050 });
    expect(r.problems).toEqual([{ file: cut, line: 2, message: expect.stringContaining('not a multiple of 32: 20 trailing bytes at byte offset 32') }]);
    const s = await importFiles('tdx', cut, { strict: true });
    expect(isLeft(s) && s.left).toMatchObject({ code: 'IMPORT_INVALID', file: cut, line: 2 });
  });

  it('reports a bad record by number and offset and keeps the rest', async () => {
    const p = put('sh600001.day', dayFile([
      { ymd: 20170230, o: 100, h: 100, l: 100, c: 100, amount: 1, vol: 1 },
      { ymd: 20170418, o: 100, h: 90, l: 95, c: 100, amount: 1, vol: 1 },
      { ymd: 20170419, o: 100, h: 100, l: 100, c: 100, amount: 1, vol: 1 },
    ]));
    const r = ok(await importFiles('tdx', p));
    expect(r.rows.map((b) => b.day)).toEqual(['2017-04-19']);
    expect(r.problems.map((x) => [x.line, x.message.slice(0, 30)])).toEqual([[1, 'record 1 at byte offset 0: bad'], [2, 'record 2 at byte offset 32: OH']]);
  });

  it('reads a whole vipdoc folder (sorted, indices skipped and counted) and a .day.gz file', async () => {
    writeFileSync(join(vipdoc, 'sh', 'lday', 'notes.txt'), 'ignored');
    const r = ok(await importFiles('tdx', vipdoc));
    expect([...new Set(r.rows.map((b) => b.symbol))]).toEqual(['510050.SH', '600000.SH', '600001.SH', '000001.SZ']);
    expect(r.skippedFiles).toHaveLength(2);
    expect(r.notes).toContain('2 index file(s) skipped (indices are not tradable; includeIndices imports them).');
    const gz = join(root, 'sz159915.day.gz');
    writeFileSync(gz, gzipSync(dayFile([{ ymd: 20170418, o: 1888, h: 1900, l: 1880, c: 1890, amount: 5, vol: 7 }])));
    expect(ok(await importFiles('tdx', gz)).rows[0]).toMatchObject({ symbol: '159915.SZ', close: 1890, amountFen: 500 });
  });

  it('names securities from file names and classifies codes', () => {
    expect(tdxSymbolOf('/x/sh600000.day')).toBe('600000.SH');
    expect(tdxSymbolOf('/x/bj920118.day')).toBe('920118.BJ');
    expect(tdxSymbolOf('/x/600000.day')).toBeUndefined();
    expect(['000300.SH', '880001.SH', '399006.SZ', '510300.SH', '159915.SZ', '600519.SH', '300014.SZ', '900901.SH', '123001.SZ']
      .map((s) => tdxKindOf(asSymbol(s)))).toEqual(['index', 'index', 'index', 'fund', 'fund', 'stock', 'stock', 'other', 'other']);
  });
});
