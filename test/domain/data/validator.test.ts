import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../src/domain/bars.js';
import { suspensionKey } from '../../../src/domain/data/finding.js';
import { validateBars } from '../../../src/domain/data/validator.js';
import type { TradingDay } from '../../../src/domain/tradingDay.js';
import { bar, rules, series } from './validatorFixtures.js';

const S = '600000.SH';
const base = series(S, '2024-01-02', 30); // 2024-01-02 … 2024-02-07
const kinds = (rows: Bar[], ctx = {}) => validateBars(rows, { rules, ...ctx }).map((f) => [f.kind, f.line ?? f.day]);
const withRow = (i: number, over: Partial<Bar>): Bar[] => base.map((b, j) => (j === i ? { ...b, ...over } : b));

describe('validateBars', () => {
  it('finds nothing in a clean series', () => {
    expect(validateBars(base, { rules })).toEqual([]);
  });

  it('OHLC_INCONSISTENT: high below low, and a non-positive price', () => {
    expect(kinds(withRow(5, { high: base[5]!.low - 10 }))).toEqual([['OHLC_INCONSISTENT', 5]]);
    const f = validateBars(withRow(6, { low: -1 }), { rules });
    expect(f).toMatchObject([{ kind: 'OHLC_INCONSISTENT', severity: 'error', line: 6, details: { problem: 'non-positive price' } }]);
  });

  it('VOLUME_SANITY: negative volume, zero volume, amount outside volume × [low, high]', () => {
    expect(kinds(withRow(3, { volume: -100 }))).toEqual([['VOLUME_SANITY', 3]]);
    expect(kinds(withRow(3, { volume: 0 }))).toEqual([['VOLUME_SANITY', 3]]);
    // 100,000 shares at ≥ 9.95 CNY is ≥ 99,500,000 fen; a tenth of that cannot be right (a unit slip).
    const f = validateBars(withRow(3, { amountFen: base[3]!.amountFen / 10 }), { rules });
    expect(f).toMatchObject([{ kind: 'VOLUME_SANITY', line: 3, details: { problem: 'amount/volume outside [low, high]' } }]);
  });

  it('DUPLICATE: the second row of a symbol-day', () => {
    const rows = [...base.slice(0, 10), base[9]!, ...base.slice(10)];
    expect(validateBars(rows, { rules })).toMatchObject([{ kind: 'DUPLICATE', line: 10, details: { firstLine: 9, identical: true } }]);
  });

  it('OUT_OF_ORDER: a day earlier than one already seen for the symbol', () => {
    const rows = base.slice();
    [rows[11], rows[12]] = [rows[12]!, rows[11]!];
    expect(kinds(rows)).toEqual([['OUT_OF_ORDER', 12]]);
  });

  it('NOT_TRADING_DAY: a weekend row', () => {
    const sat = bar(S, '2024-01-06', 10_000, 10_050);
    expect(kinds([...base.slice(0, 4), sat, ...base.slice(4)])).toEqual([['NOT_TRADING_DAY', 4]]);
  });

  it('CALENDAR_GAP: info when suspensions are unknown, none for a known one, warn for an unlisted one', () => {
    const rows = [...base.slice(0, 8), ...base.slice(9)]; // drop 2024-01-12
    const gap = base[8]!.day;
    expect(validateBars(rows, { rules })).toEqual([{
      kind: 'CALENDAR_GAP', severity: 'info', symbol: S, day: gap, details: { reason: 'missing row, suspensions unknown' },
    }]);
    expect(validateBars(rows, { rules, suspensions: new Set([suspensionKey(S, gap)]) })).toEqual([]);
    expect(validateBars(rows, { rules, suspensions: new Set<string>() })).toMatchObject([{ kind: 'CALENDAR_GAP', severity: 'warn', day: gap }]);
  });

  it('BAND_VIOLATION: a close above limit-up (10% main board, from preClose)', () => {
    const pre = base[24]!.close; // 10.00 CNY → limits 11.00 / 9.00
    const f = validateBars(withRow(25, { close: 11_200, high: 11_250 }), { rules });
    expect(f).toMatchObject([
      { kind: 'BAND_VIOLATION', line: 25, details: { ref: pre, refFrom: 'preClose', up: 11_000, down: 9_000 } },
      { kind: 'OUTLIER', line: 25 },
    ]);
    // Exactly at the limit: neither a violation nor an outlier (a limit move).
    expect(kinds(withRow(25, { close: 11_000, high: 11_000 }))).toEqual([]);
  });

  it('BAND_VIOLATION is explained by an ex-rights preClose and absent on a no-limit day', () => {
    // Ex-dividend day: preClose 8.00 (previous close 10.00 minus 2.00 cash); close 8.20 is +2.5% on the reference.
    const exRights = withRow(25, { preClose: 8_000, open: 8_000, low: 7_950, close: 8_200, high: 8_250, amountFen: 82_000_000 });
    expect(kinds(exRights)).toEqual([]);
    // Without preClose the previous close is the reference, and the same prices break the band.
    expect(kinds(withRow(25, { ...exRights[25], preClose: null })).map((k) => k[0])).toContain('BAND_VIOLATION');
    // Listed on the row's day: an IPO no-limit day (rules return null), +44% is allowed.
    const ipo = bar('603999.SH', '2024-03-01', 14_400, 10_000);
    expect(kinds([ipo], { listDays: new Map([['603999.SH', '2024-03-01' as TradingDay]]) })).toEqual([]);
  });

  it('OUTLIER: a within-band return far outside the symbol’s usual spread (default threshold 15)', () => {
    // 24 returns of ±0.5% → median 0, scale 1.4826 × 0.005 ≈ 0.0074; +9% (below the 11.00 limit) is z ≈ 11.6.
    const f = validateBars(withRow(25, { close: 10_900, high: 10_950 }), { rules, thresholds: { outlierZ: 8 } });
    expect(f).toMatchObject([{ kind: 'OUTLIER', severity: 'warn', line: 25, details: { threshold: 8, window: 24 } }]);
    expect(f[0]!.details.z as number).toBeCloseTo(11.63, 1);
    expect(kinds(withRow(25, { close: 10_900, high: 10_950 }))).toEqual([]); // 11.6 < 15
    // A +3% day is z ≈ 4: not flagged; nor is +9% with under 20 returns of history (row 20 has 19).
    expect(kinds(withRow(25, { close: 10_300, high: 10_350 }), { thresholds: { outlierZ: 8 } })).toEqual([]);
    expect(kinds(withRow(20, { close: 10_950, high: 11_000 }), { thresholds: { outlierZ: 8 } })).toEqual([]);
    // A 40% jump on the same history is z ≈ 45: flagged at the default (and beyond the band).
    const g = validateBars(withRow(25, { close: 14_000, high: 14_050 }), { rules });
    expect(g).toMatchObject([{ kind: 'BAND_VIOLATION', line: 25 }, { kind: 'OUTLIER', line: 25, details: { threshold: 15 } }]);
  });

  it('SOURCE_DISAGREEMENT: close beyond 0.2%, volume beyond ×1.2; agreement within tolerance is silent', () => {
    const secondary = base.map((b, i) => (i === 7 ? { ...b, close: b.close + 100 } : i === 9 ? { ...b, volume: b.volume * 2 } : { ...b, close: b.close + 10 }));
    const f = validateBars(base, { rules, secondary });
    expect(f).toMatchObject([
      { kind: 'SOURCE_DISAGREEMENT', line: 7, details: { fields: 'close' } },
      { kind: 'SOURCE_DISAGREEMENT', line: 9, details: { fields: 'volume', volumeRatio: 2 } },
    ]);
  });

  it('orders findings by symbol, day, kind, line regardless of input order', () => {
    const other = series('000001.SZ', '2024-01-02', 30);
    const rows = [...withRow(5, { volume: -1, high: 1 }), ...other];
    const f = validateBars(rows, { rules });
    expect(f.map((x) => [x.symbol, x.kind])).toEqual([[S, 'OHLC_INCONSISTENT'], [S, 'VOLUME_SANITY']]);
    expect(validateBars(rows.slice().reverse(), { rules }).length).toBeGreaterThan(0);
  });
});
