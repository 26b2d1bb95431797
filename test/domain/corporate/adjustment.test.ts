import { describe, expect, it } from 'vitest';
import { backwardFactorsFromBars, hfqPrice, hfqSeries, qfqPrice, qfqSeries } from '../../../src/domain/corporate/index.js';

const bar = (c: number) => ({ open: c, high: c, low: c, close: c });

describe('hfq / qfq (Tushare convention: hfq = raw × adj; qfq = raw × adj / adj(anchor))', () => {
  it('prices', () => {
    expect(hfqPrice(10_000, 2.5)).toBe(25_000);
    expect(qfqPrice(10_000, 2.5, 5)).toBe(5_000);
  });

  it('qfq anchors on the last element by default, so the latest bar keeps its raw price', () => {
    const q = qfqSeries([bar(20_000), bar(10_000)], [1, 2]);
    expect(q.map((b) => b.close)).toEqual([10_000, 10_000]);
    expect(qfqSeries([bar(20_000), bar(10_000)], [1, 2], 1).map((b) => b.close)).toEqual([20_000, 20_000]);
  });

  it('hfq scales every field of the bar', () => {
    expect(hfqSeries([{ open: 1, high: 2, low: 0.5, close: 1.5 }], [4])).toEqual([{ open: 4, high: 8, low: 2, close: 6 }]);
  });

  it('rejects misaligned arrays and factors that are not positive and finite', () => {
    expect(() => hfqSeries([bar(1)], [])).toThrow(RangeError);
    expect(() => hfqSeries([bar(1)], [0])).toThrow(RangeError);
    expect(() => qfqSeries([bar(1)], [1], Number.NaN)).toThrow(RangeError);
    expect(() => qfqSeries([], [])).toThrow(RangeError); // no anchor to take
  });
});

describe('backwardFactorsFromBars', () => {
  it('steps on the ex-date by close(t−1) / preClose(t) and holds between events', () => {
    // 13.00 close, then 10送3: the exchange's reference preClose is 10.00 → factor × 1.3.
    const rows = [
      { close: 12_500, preClose: null }, { close: 13_000, preClose: 12_500 }, { close: 10_200, preClose: 10_000 },
      { close: 10_300, preClose: 10_200 }, { close: 10_100, preClose: 10_100 },
    ];
    expect(backwardFactorsFromBars(rows)).toEqual([1, 1, 1.3, 1.3, 1.3 * (10_300 / 10_100)]);
    expect(backwardFactorsFromBars(rows, 2)[2]).toBeCloseTo(2.6, 12);
  });

  it('the back-adjusted series has the exchange\'s returns: hfq(t)/hfq(t−1) = close(t)/preClose(t)', () => {
    const rows = [
      { close: 20_000, preClose: 19_800 }, { close: 21_000, preClose: 20_000 }, { close: 13_500, preClose: 13_720 },
      { close: 13_600, preClose: 13_500 }, { close: 6_900, preClose: 6_800 },
    ];
    const f = backwardFactorsFromBars(rows);
    const h = hfqSeries(rows.map((r) => bar(r.close)), f);
    for (let t = 1; t < rows.length; t++) expect(h[t]!.close / h[t - 1]!.close).toBeCloseTo(rows[t]!.close / rows[t]!.preClose, 12);
    // and the forward-adjusted series keeps today's raw prices.
    expect(qfqSeries(rows.map((r) => bar(r.close)), f).at(-1)!.close).toBe(6_900);
  });

  it('an empty series gives no factors; a non-positive start or price throws', () => {
    expect(backwardFactorsFromBars([])).toEqual([]);
    expect(() => backwardFactorsFromBars([], 0)).toThrow(RangeError);
    expect(() => backwardFactorsFromBars([{ close: 10, preClose: null }, { close: 10, preClose: 0 }])).toThrow(RangeError);
  });
});
