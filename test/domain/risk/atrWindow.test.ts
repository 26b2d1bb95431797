import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DayBars } from '../../../src/domain/index.js';
import { atrOf, cloneAtrWindow, newAtrWindow, pushAtr } from '../../../src/domain/risk/atrWindow.js';
import { atrBatch } from '../../../src/domain/indicators/atr.js';

const day = (i: number, rows: { sym: string; h: number; l: number; c: number }[]): DayBars => ({
  day: `2024-01-${String(i + 1).padStart(2, '0')}`, symbols: rows.map((r) => r.sym), open: rows.map((r) => r.c), high: rows.map((r) => r.h),
  low: rows.map((r) => r.l), close: rows.map((r) => r.c), volume: rows.map(() => 1), amountFen: rows.map(() => 1),
  preClose: rows.map(() => null), isSt: rows.map(() => 0 as const),
}) as unknown as DayBars;

describe('AtrWindow (all symbols at once) equals the ATR indicator per symbol', () => {
  it('property: same values as atrBatch, rounded to 0.001 CNY; undefined before warm-up', () => {
    const bar = fc.record({ l: fc.integer({ min: 1000, max: 50_000 }), r: fc.integer({ min: 0, max: 3000 }), c: fc.double({ min: 0, max: 1, noNaN: true }) })
      .map(({ l, r, c }) => ({ h: l + r, l, c: l + Math.round(r * c) }));
    fc.assert(fc.property(fc.array(bar, { minLength: 1, maxLength: 30 }), fc.integer({ min: 2, max: 14 }), (series, period) => {
      const w = newAtrWindow(period);
      series.forEach((b, i) => pushAtr(w, day(i, [{ sym: '600000.SH', ...b }])));
      const ref = atrBatch(series.map((b) => ({ open: b.c, high: b.h, low: b.l, close: b.c, volume: 1 })), period);
      const last = ref[ref.length - 1];
      expect(atrOf(w, '600000.SH')).toBe(last === null || last === undefined ? undefined : Math.round(last));
    }), { numRuns: 300 });
  });

  it('a clone runs on without touching the original', () => {
    const w = newAtrWindow(2);
    for (let i = 0; i < 3; i++) pushAtr(w, day(i, [{ sym: 'A', h: 110, l: 100, c: 105 }]));
    const c = cloneAtrWindow(w);
    pushAtr(c, day(3, [{ sym: 'A', h: 200, l: 100, c: 150 }]));
    expect(atrOf(w, 'A')).toBe(10);
    expect(atrOf(c, 'A')).toBe(55);
  });
});

describe('AtrWindow across an ex-day (issue 18 item 2)', () => {
  const bar = (i: number, pre: number | null, h: number, l: number, c: number): DayBars => ({
    day: `2024-01-${String(i + 1).padStart(2, '0')}`, symbols: ['A'], open: [c], high: [h], low: [l], close: [c], volume: [1], amountFen: [1],
    preClose: [pre], isSt: [0],
  }) as unknown as DayBars;

  it('a 10-for-10 gap is not a true range: the ATR moves to the new price basis (hand-computed)', () => {
    const w = newAtrWindow(2);
    pushAtr(w, bar(0, null, 10_100, 9_900, 10_000));
    pushAtr(w, bar(1, 10_000, 10_100, 9_900, 10_000));
    pushAtr(w, bar(2, 10_000, 10_100, 9_900, 10_000));
    expect(atrOf(w, 'A')).toBe(200);
    // Reference 5.000: ATR 200 × 5,000/10,000 = 100, then TR from the reference max(100, 50, 50) = 100.
    // Measured from the raw close the gap would count: TR 5,050, ATR (200 + 5,050) / 2 = 2,625.
    pushAtr(w, bar(3, 5_000, 5_050, 4_950, 5_000));
    expect(atrOf(w, 'A')).toBe(100);
  });

  it('a cash dividend: the same ATR as on back-adjusted bars, in today\'s prices', () => {
    const w = newAtrWindow(2);
    const rows = [[null, 10_100, 9_900, 10_000], [10_000, 10_200, 9_900, 10_100], [10_100, 10_300, 10_000, 10_200], [9_200, 9_400, 9_100, 9_300]] as const;
    rows.forEach(([pre, h, l, c], i) => pushAtr(w, bar(i, pre, h, l, c)));
    // Back-adjusted: the last bar × 10,200 / 9,200, then the ATR scaled back by 9,200 / 10,200.
    const f = 10_200 / 9_200;
    const ref = atrBatch(rows.map(([, h, l, c], i) => (i < 3 ? { open: c, high: h, low: l, close: c, volume: 1 } : { open: c * f, high: h * f, low: l * f, close: c * f, volume: 1 })), 2);
    expect(atrOf(w, 'A')).toBe(Math.round(ref[ref.length - 1]! / f));
  });
});
