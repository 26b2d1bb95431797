import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../src/domain/bars.js';
import type { Finding } from '../../../src/domain/data/finding.js';
import { validateBars } from '../../../src/domain/data/validator.js';
import type { SecuritySymbol } from '../../../src/domain/symbol.js';
import type { TradingDay } from '../../../src/domain/tradingDay.js';
import { rules } from './validatorFixtures.js';

const dir = process.env.ASHARE_FIXTURES_DIR;
const FILE = 'sse50_tushare_2025/daily_prices_sse_50.csv';
if (!dir) console.log(`skipping the SSE-50 validator tests: ASHARE_FIXTURES_DIR is not set (they read $ASHARE_FIXTURES_DIR/${FILE})`);

/** Tushare `daily` → canonical units: CNY → 0.001 CNY, lots → shares, thousand CNY → fen. */
function parseTushareDaily(text: string): Bar[] {
  const [header, ...lines] = text.trim().split('\n');
  const col = new Map(header!.split(',').map((h, i) => [h, i]));
  const milli = (s: string) => Math.round(Number(s) * 1000);
  return lines.map((l) => {
    const c = l.split(',');
    const get = (name: string) => c[col.get(name)!]!;
    const d = get('trade_date');
    return {
      symbol: get('ts_code') as SecuritySymbol, day: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` as TradingDay,
      open: milli(get('open')), high: milli(get('high')), low: milli(get('low')), close: milli(get('close')),
      volume: Math.round(Number(get('vol')) * 100), amountFen: Math.round(Number(get('amount')) * 100_000),
      preClose: milli(get('pre_close')), isSt: 0,
    };
  });
}

const count = (fs: readonly Finding[]) => fs.reduce<Record<string, number>>((a, f) => ({ ...a, [`${f.kind}/${f.severity}`]: (a[`${f.kind}/${f.severity}`] ?? 0) + 1 }), {});

describe.skipIf(!dir)('validateBars on SSE-50 2025 (Tushare)', () => {
  const rows = dir ? parseTushareDaily(readFileSync(join(dir, FILE), 'utf8')) : [];
  const baseline = validateBars(rows, { rules });

  it('the untouched file has no OHLC, duplicate, order, calendar-day or band findings', () => {
    console.log(`SSE-50 2025: ${rows.length} rows; findings by kind/severity:`, count(baseline));
    const hard = baseline.filter((f) => ['OHLC_INCONSISTENT', 'DUPLICATE', 'OUT_OF_ORDER', 'NOT_TRADING_DAY', 'BAND_VIOLATION'].includes(f.kind));
    expect(hard).toEqual([]);
    // Ex-rights days are in the file (pre_close ≠ previous close) and pass the band check on pre_close.
    const prev = new Map<string, number>();
    let exRights = 0;
    for (const r of rows) {
      const p = prev.get(r.symbol);
      if (p !== undefined && r.preClose !== p) exRights++;
      prev.set(r.symbol, r.close);
    }
    console.log(`  ex-rights/ex-dividend rows (pre_close ≠ previous close): ${exRights}`);
    expect(exRights).toBeGreaterThan(0);
  });

  it('agrees with the later Tushare export on the 850 overlapping rows (2025-10-09…10-31)', () => {
    const later = parseTushareDaily(readFileSync(join(dir!, 'sse50_tushare_2025/daily_prices_sse_50_20251009_20251119.csv'), 'utf8'));
    const f = validateBars(rows, { rules, secondary: later });
    expect(f.filter((x) => x.kind === 'SOURCE_DISAGREEMENT')).toEqual([]);
    // A 1% close error and a ×1.5 volume in the second source are seen.
    const i = later.findIndex((r) => r.symbol === '600519.SH' && r.day === '2025-10-20');
    const bent = later.map((r, j) => (j === i ? { ...r, close: r.close + Math.round(r.close / 100), volume: Math.round(r.volume * 1.5) } : r));
    expect(validateBars(rows, { rules, secondary: bent }).filter((x) => x.kind === 'SOURCE_DISAGREEMENT'))
      .toMatchObject([{ symbol: '600519.SH', day: '2025-10-20', details: { fields: 'close,volume' } }]);
  });

  it('flags exactly the four injected faults, with the right kinds', () => {
    // Four rows of different symbols on 2025-06-16, each given one fault.
    const at = (symbol: string) => rows.findIndex((r) => r.symbol === symbol && r.day === '2025-06-16');
    const [iNeg, iSwap, iDup, iJump] = ['600028.SH', '600030.SH', '600036.SH', '601318.SH'].map(at) as [number, number, number, number];
    const faulty = rows.slice();
    faulty[iNeg] = { ...rows[iNeg]!, low: -rows[iNeg]!.low }; // a negative price
    faulty[iSwap] = { ...rows[iSwap]!, high: rows[iSwap]!.low, low: rows[iSwap]!.high }; // high < low
    const jumped = Math.round((rows[iJump]!.close * 1.4) / 10) * 10;
    faulty[iJump] = { ...rows[iJump]!, close: jumped, high: jumped }; // +40%
    const dup = { ...rows[iDup]! }; // the same symbol-day again, straight after the original
    const [neg, swap, jump] = [faulty[iNeg]!, faulty[iSwap]!, faulty[iJump]!];
    faulty.splice(iDup + 1, 0, dup);
    const injected = new Set<Bar>([neg, swap, dup, jump]);

    // Findings are compared by the row object they point at (the insertion shifts later lines).
    const key = (fs: readonly Finding[], rs: readonly Bar[]) => fs.map((f) => ({ f, row: f.line === undefined ? undefined : rs[f.line] }));
    const before = key(baseline, rows);
    const after = key(validateBars(faulty, { rules }), faulty);
    const id = (x: { f: Finding; row?: Bar | undefined }) => `${x.f.kind}|${x.f.symbol}|${x.f.day}|${x.row && injected.has(x.row) ? 'injected' : ''}`;
    const beforeIds = new Set(before.map(id));
    const added = after.filter((x) => !beforeIds.has(id(x)));
    const afterIds = new Set(after.map(id));
    expect(before.filter((x) => !afterIds.has(id(x)))).toEqual([]); // nothing the clean file had went away
    expect(new Set(added.map((x) => x.row))).toEqual(injected);
    const kindsOf = (row: Bar) => added.filter((x) => x.row === row).map((x) => x.f.kind);
    expect(kindsOf(neg)).toEqual(['OHLC_INCONSISTENT']);
    expect(kindsOf(swap)).toEqual(['OHLC_INCONSISTENT']);
    expect(kindsOf(dup)).toEqual(['DUPLICATE']);
    expect(kindsOf(jump)).toEqual(['BAND_VIOLATION', 'OUTLIER']);
    for (const x of added) console.log('  injected:', x.f.kind, x.f.symbol, x.f.day, JSON.stringify(x.f.details));
  });
});
