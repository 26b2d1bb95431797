import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { isLeft } from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import { readBarCsv, writeBarCsv } from '../../../src/adapters/bars/barCsv.js';
import { BarRowParser } from '../../../src/adapters/bars/barCsvParser.js';
import { importFiles, type ImportSource } from '../../../src/adapters/importers/index.js';
import { toDayBars } from '../../../src/domain/bars.js';

// Real public data sets (read in place under $ASHARE_FIXTURES_DIR, never copied): imported, written as
// the canonical bar CSV, and read back — by the reader, which parses plain rows from bytes in place,
// and line by line through the text path. Both must give back exactly the imported bars.
const fixtures = process.env.ASHARE_FIXTURES_DIR;
const SETS: readonly [string, ImportSource, string][] = [
  ['sse50_tushare_2025', 'tushare-csv', 'daily_prices_sse_50.csv'],
  ['csi300_baostock_2020_2025', 'baostock-csv', 'daily_bars.csv.gz'],
  ['tdx_lday_2011_2017', 'tdx', 'vipdoc'],
];
const dir = mkdtempSync(join(tmpdir(), 'barcsv-real-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
if (!fixtures) console.log('skipping bar CSV real-data round trips: ASHARE_FIXTURES_DIR is not set');

describe.each(SETS)('%s through the canonical bar CSV', (set, source, file) => {
  const path = fixtures ? join(fixtures, set, file) : '';
  it.skipIf(!fixtures || !existsSync(path))('reads back every imported bar, from bytes and from text alike', async () => {
    const imported = await importFiles(source, path, source === 'tdx' ? { includeIndices: true } : {});
    if (isLeft(imported)) throw new Error(imported.left.message);
    const days = toDayBars(imported.right.rows);
    const out = join(dir, `${set}.csv.gz`);
    await writeBarCsv(out, days);

    const viaBytes = await readBarCsv(out);
    if (isLeft(viaBytes)) throw new Error(viaBytes.left.message);
    expect(viaBytes.right.rows).toBe(imported.right.rows.length);
    expect(viaBytes.right.days).toEqual(days);

    const text = gunzipSync(readFileSync(out)).toString('utf8').split('\n');
    const parser = new BarRowParser();
    expect(parser.header(text[0]!)).toBeUndefined();
    for (let i = 1; i < text.length; i++) expect(parser.row(text[i]!, 0, text[i]!.length, i + 1)).toBeUndefined();
    const viaText = parser.finish();
    expect('days' in viaText && viaText.days).toEqual(days);
  }, 120_000);
});
