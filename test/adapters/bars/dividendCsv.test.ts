import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDividendCsv, writeDividendCsv, type DividendFileError } from '../../../src/adapters/bars/dividendCsv.js';
import { loadHolidayCalendar } from '../../../src/adapters/market/calendarFile.js';
import type { CashDividend } from '../../../src/domain/bars.js';
import { generateMarket } from '../../../src/domain/synthetic/index.js';

const dir = mkdtempSync(join(tmpdir(), 'divcsv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let seq = 0;
const file = (name: string, text?: string): string => {
  const p = join(dir, name);
  if (text !== undefined) writeFileSync(p, text);
  return p;
};
const div = (symbol: string, exDay: string, cashPerShareMicro: number) => ({ symbol, exDay, cashPerShareMicro }) as CashDividend;

describe('dividend CSV', () => {
  it('writes ex-date then symbol order with 6 decimals and reads back the same list', async () => {
    const list = [div('600519.SH', '2024-06-19', 30_876_000), div('000001.SZ', '2024-06-14', 719_000), div('300750.SZ', '2024-06-14', 1), div('000002.SZ', '2024-06-14', 123_456)];
    const p = file('d.csv');
    await writeDividendCsv(p, list);
    expect(readFileSync(p, 'utf8')).toBe([
      'symbol,ex_date,cash_per_share',
      '000001.SZ,2024-06-14,0.719000', '000002.SZ,2024-06-14,0.123456', '300750.SZ,2024-06-14,0.000001', '600519.SH,2024-06-19,30.876000', '',
    ].join('\n'));
    const r = await readDividendCsv(p);
    expect(r._tag === 'Right' && r.right).toEqual([list[1], list[3], list[2], list[0]]);
  });
  it('round-trips the synthetic market dividends through gzip', async () => {
    const cal = loadHolidayCalendar();
    if (cal._tag === 'Left') throw new Error(cal.left.message);
    const m = generateMarket({ symbols: 50, days: 250, seed: 11, calendar: cal.right });
    const p = file('d.csv.gz');
    await writeDividendCsv(p, m.dividends);
    const r = await readDividendCsv(p);
    expect(r._tag === 'Right' && r.right).toEqual(m.dividends);
  });
  it('reads columns in any order and fewer decimals', async () => {
    const r = await readDividendCsv(file('o.csv', 'cash_per_share,symbol,ex_date\n0.5,600000.SH,2024-07-01\n'));
    expect(r._tag === 'Right' && r.right).toEqual([div('600000.SH', '2024-07-01', 500_000)]);
  });

  const H = 'symbol,ex_date,cash_per_share\n';
  const bad = async (text: string): Promise<DividendFileError> => {
    const r = await readDividendCsv(file(`bad-${++seq}.csv`, text));
    if (r._tag === 'Right') throw new Error('expected an error');
    return r.left;
  };
  it.each([
    ['unknown column', 'symbol,ex_date,cash\n', 1, /unknown header column "cash"/],
    ['missing column', 'symbol,ex_date\n', 1, /missing column "cash_per_share"/],
    ['field count', `${H}600000.SH,2024-07-01\n`, 2, /expected 3 fields, found 2/],
    ['bad symbol', `${H}600000.XX,2024-07-01,0.1\n`, 2, /bad symbol "600000.XX"/],
    ['bad date', `${H}600000.SH,20240701x,0.1\n`, 2, /bad ex_date/],
    ['too many decimals', `${H}600000.SH,2024-07-01,0.1234567\n`, 2, /at most 6 decimals/],
    ['non-numeric', `${H}600000.SH,2024-07-01,abc\n`, 2, /not a CNY amount/],
    ['zero cash', `${H}600000.SH,2024-07-01,0\n`, 2, /must be positive/],
    ['duplicate', `${H}600000.SH,2024-07-01,0.1\n600001.SH,2024-07-01,0.1\n600000.SH,2024-07-01,0.2\n`, 4, /duplicate dividend for 600000\.SH on 2024-07-01 \(first at line 2\)/],
  ])('%s', async (_n, text, line, re) => {
    const e = await bad(text);
    expect(e).toMatchObject({ code: 'DIVIDENDS_INVALID', line });
    expect(e.message).toMatch(re);
    expect(e.message.startsWith(`${e.file} line ${line}: `)).toBe(true);
  });
  it('a missing file is DIVIDENDS_NOT_FOUND', async () => {
    const r = await readDividendCsv(join(dir, 'none.csv'));
    expect(r._tag === 'Left' && r.left.code).toBe('DIVIDENDS_NOT_FOUND');
  });
});
