import { isLeft } from 'fp-ts/lib/Either.js';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { D, DAYS, bar, cleanTempDirs, openOrThrow, sampleBars, tempDir, unwrap } from './storeFixtures.js';

afterEach(cleanTempDirs);

const storeIn = () => openOrThrow({ path: join(tempDir(), 'market.sqlite'), create: true });
const all = { from: '2000-01-01', to: '2099-12-31' };

describe('market store: versioned upserts', () => {
  it('importing the same rows twice changes nothing the second time', () => {
    const s = storeIn();
    expect(unwrap(s.upsertBars(sampleBars(), { source: 'csv', knownFrom: '2024-01-06' }))).toEqual({ inserted: 12, updated: 0, unchanged: 0 });
    const before = s.bars(all);
    const statusBefore = s.status();
    expect(unwrap(s.upsertBars(sampleBars(), { source: 'csv', knownFrom: '2024-01-07' }))).toEqual({ inserted: 0, updated: 0, unchanged: 12 });
    expect(s.bars(all)).toEqual(before);
    expect(s.status()).toEqual(statusBefore);
    s.close();
  });

  it('returns bars ordered by day then symbol, filtered by symbols and days', () => {
    const s = storeIn();
    unwrap(s.upsertBars(sampleBars().reverse(), { source: 'csv', knownFrom: '2024-01-06' }));
    const got = s.bars({ symbols: ['600519.SH', '000001.SZ'], from: '2024-01-03', to: '2024-01-04' });
    expect(got.map((b) => `${b.day} ${b.symbol}`)).toEqual([
      '2024-01-03 000001.SZ', '2024-01-03 600519.SH', '2024-01-04 000001.SZ', '2024-01-04 600519.SH',
    ]);
    const days = s.dayBars({ from: '2024-01-02', to: '2024-01-02' });
    expect(days).toHaveLength(1);
    expect(days[0]!.symbols).toEqual(['000001.SZ', '300750.SZ', '600519.SH']);
    expect(s.lastDay()).toBe('2024-01-05');
    expect(s.lastDay('600519.SH')).toBe('2024-01-05');
    expect(s.lastDay('688001.SH')).toBeUndefined();
    expect(s.symbols()).toEqual(['000001.SZ', '300750.SZ', '600519.SH']);
    s.close();
  });

  it('a changed value adds a version; asOf before the change sees the old value, after it the new', () => {
    const s = storeIn();
    unwrap(s.upsertBars(sampleBars(), { source: 'csv', knownFrom: '2024-01-06' }));
    const corrected = bar('600519.SH', '2024-01-03', 12_345);
    expect(unwrap(s.upsertBars([corrected], { source: 'vendor-fix', knownFrom: '2024-02-01' }))).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    const q = { symbols: ['600519.SH'], from: '2024-01-03', to: '2024-01-03' };
    expect(s.bars({ ...q, asOf: '2024-01-31' })[0]!.close).toBe(10_010);
    expect(s.bars({ ...q, asOf: '2024-02-01' })[0]!.close).toBe(12_345);
    expect(s.bars(q)[0]!.close).toBe(12_345);
    expect(s.bars({ ...q, asOf: '2024-01-05' })).toEqual([]); // nothing was known yet
    // The old value re-imported later is a newer version again (the latest word wins), not a no-op.
    expect(unwrap(s.upsertBars([bar('600519.SH', '2024-01-03', 10_010)], { source: 'csv', knownFrom: '2024-03-01' })).updated).toBe(1);
    expect(s.bars(q)[0]!.close).toBe(10_010);
    expect(s.bars({ ...q, asOf: '2024-02-15' })[0]!.close).toBe(12_345);
    const t = s.status().tables['bars']!;
    expect(t.versions).toBe(14);
    expect(t.keys).toBe(12);
    expect(t.sources).toEqual(['csv', 'vendor-fix']);
    s.close();
  });

  it('refuses a batch with a bad row whole and leaves the store unchanged', () => {
    const s = storeIn();
    unwrap(s.upsertBars(sampleBars(), { source: 'csv', knownFrom: '2024-01-06' }));
    const before = s.bars(all), status = s.status();
    const batch = [bar('600519.SH', '2024-01-08', 11_000), bar('000001.SZ', '2024-01-08', -5)];
    const r = s.upsertBars(batch, { source: 'csv', knownFrom: '2024-01-09' });
    expect(isLeft(r) && r.left.code).toBe('STORE_BAD_ROW');
    expect(isLeft(r) && r.left.message).toMatch(/row 2 .*open -5 is not a positive integer price.*nothing was written/);
    for (const bad of [
      [bar('600519.SH', '2024-01-08', 11_000), bar('600519.SH', '2024-01-08', 11_001)], // repeated key
      [bar('600519', '2024-01-08', 11_000)],
      [bar('600519.SH', '2024-02-30', 11_000)],
      [bar('600519.SH', '2024-01-08', 11_000, { high: 10_000 })],
    ]) expect(isLeft(s.upsertBars(bad, { source: 'csv', knownFrom: '2024-01-09' }))).toBe(true);
    expect(isLeft(s.upsertBars(sampleBars(), { source: '', knownFrom: '2024-01-09' }))).toBe(true);
    expect(s.bars(all)).toEqual(before);
    expect(s.status()).toEqual(status);
    s.close();
  });

  it('versions instruments, ST history, calendar, dividends, adjustment factors and fundamentals', () => {
    const s = storeIn();
    const kf = { source: 'tushare', knownFrom: '2024-01-01' };
    const inst = { symbol: '600519.SH', name: '贵州茅台', listDay: D('2001-08-27'), delistDay: null, status: 'L', industry: '白酒', board: 'main' };
    unwrap(s.upsertInstruments([inst], kf));
    unwrap(s.upsertInstruments([{ ...inst, industry: '饮料制造' }], { ...kf, knownFrom: '2024-06-01' }));
    expect(s.instruments('2024-03-01')[0]!.industry).toBe('白酒');
    expect(s.instruments()[0]!.industry).toBe('饮料制造');
    unwrap(s.upsertStHistory([
      { symbol: '000001.SZ', fromDay: D('2023-05-04'), isSt: 1, label: 'ST' },
      { symbol: '000001.SZ', fromDay: D('2024-05-06'), isSt: 0, label: null },
    ], kf));
    expect(s.stHistory({ symbols: ['000001.SZ'] }).map((r) => r.isSt)).toEqual([1, 0]);
    unwrap(s.upsertCalendar(DAYS.map((d) => ({ day: D(d), isOpen: true })).concat([{ day: D('2024-01-06'), isOpen: false }]), kf));
    expect(s.calendar()).toEqual(DAYS);
    unwrap(s.upsertDividends([{ symbol: '600519.SH', exDay: D('2024-06-19'), payDay: D('2024-06-19'), recordDay: D('2024-06-18'),
      cashPerShareMicro: 30_876_000, bonusPerShareMicro: 0, conversionPerShareMicro: 0 }], kf));
    expect(s.dividends({ symbols: ['600519.SH'] })[0]!.cashPerShareMicro).toBe(30_876_000);
    unwrap(s.upsertAdjFactors([{ symbol: '600519.SH', day: D('2024-01-02'), factor: 8.4 }], kf));
    expect(s.adjFactors(all)).toEqual([{ symbol: '600519.SH', day: '2024-01-02', factor: 8.4 }]);
    const report = { symbol: '600519.SH', period: '2023-12-31', announcedDay: '2024-04-03', values: { epsMicro: 59_490_000 } };
    expect(unwrap(s.upsertFundamentals([report], { source: 'tushare' })).inserted).toBe(1);
    expect(unwrap(s.upsertFundamentals([report], { source: 'tushare' })).unchanged).toBe(1);
    unwrap(s.upsertFundamentals([{ ...report, announcedDay: '2024-05-10', values: { epsMicro: 59_500_000 } }], { source: 'tushare' }));
    expect(s.fundamentals('2024-04-02')).toEqual([]);
    expect(s.fundamentals('2024-04-03')[0]!.values.epsMicro).toBe(59_490_000);
    expect(s.fundamentals()[0]!.values.epsMicro).toBe(59_500_000);
    expect(isLeft(s.upsertFundamentals([{ ...report, period: '2023-12-30' }], { source: 'x' }))).toBe(true);

    const st = s.status();
    expect(Object.fromEntries(Object.entries(st.tables).map(([k, v]) => [k, [v.versions, v.keys]]))).toEqual({
      bars: [0, 0], adj_factors: [1, 1], dividends: [1, 1], calendar: [5, 5], instruments: [2, 1], st_history: [2, 2], fundamentals: [2, 1],
    });
    expect(st.tables['calendar']).toMatchObject({ firstDay: '2024-01-02', lastDay: '2024-01-06', sources: ['tushare'] });
    expect(st.writes).toBe(8);
    s.close();
  });

  it('read-only stores refuse writes; a missing store is STORE_NOT_FOUND', () => {
    const path = join(tempDir(), 'm.sqlite');
    openOrThrow({ path, create: true }).close();
    const ro = openOrThrow({ path, readonly: true });
    const r = ro.upsertBars(sampleBars(), { source: 'csv', knownFrom: '2024-01-06' });
    expect(isLeft(r) && r.left.code).toBe('STORE_READONLY');
    ro.close();
    const missing = openOrThrow.bind(null, { path: join(tempDir(), 'none.sqlite') });
    expect(missing).toThrow(/does not exist/);
  });
});
