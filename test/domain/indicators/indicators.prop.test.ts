import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  INDICATORS, bollingerBatch, donchianBatch, emaBatch, rollingStdBatch, smaBatch, wmaBatch, zscoreBatch, type Ohlcv,
} from '../../../src/domain/indicators/index.js';

// Invariants defended here:
// 1. batch = incremental: for every registered indicator and random parameters, the batch column equals,
//    bit for bit (Object.is), what a fresh incremental instance returns bar by bar, and `isWarm()` is
//    true exactly when the value is non-null and never turns false again.
// 2. The O(1) rolling tricks (sliding sums and variances with periodic recompute, WMA's weighted-sum
//    update, the monotonic deque) agree with naive O(period) recomputation of each window.

const barArb: fc.Arbitrary<Ohlcv> = fc
  .record({
    open: fc.double({ min: 1, max: 100, noNaN: true }),
    close: fc.double({ min: 1, max: 100, noNaN: true }),
    up: fc.double({ min: 0, max: 5, noNaN: true }),
    down: fc.double({ min: 0, max: 0.99, noNaN: true }),
    volume: fc.integer({ min: 0, max: 1_000_000 }),
    withAmount: fc.boolean(),
  })
  .map(({ open, close, up, down, volume, withAmount }) => {
    const high = Math.max(open, close) + up, low = Math.min(open, close) * (1 - down);
    return { open, high, low, close, volume, ...(withAmount ? { amount: volume * (high + low) / 2 } : {}) };
  });
const barsArb = fc.array(barArb, { minLength: 0, maxLength: 120 });

const paramArb = (name: string): fc.Arbitrary<number> => {
  switch (name) {
    case 'k': case 'multiplier': return fc.double({ min: 0, max: 4, noNaN: true });
    case 'step': return fc.double({ min: 0.001, max: 0.1, noNaN: true });
    case 'max': return fc.double({ min: 0.1, max: 0.5, noNaN: true });
    default: return fc.integer({ min: 1, max: 30 });
  }
};

describe('every registered indicator: batch = incremental', () => {
  for (const spec of INDICATORS) {
    it(spec.name, () => {
      const paramsArb = fc.record(Object.fromEntries(Object.keys(spec.params).map((k) => [k, paramArb(k)])) as Record<string, fc.Arbitrary<number>>);
      fc.assert(fc.property(barsArb, paramsArb, (bars, params) => {
        const cols = spec.batch(bars, params);
        const ind = spec.create(params);
        let wasWarm = false;
        bars.forEach((b, i) => {
          const row = ind.update(b);
          const warm = ind.isWarm();
          expect(warm, `bar ${i}: isWarm vs value`).toBe(row !== null);
          if (wasWarm) expect(warm, `bar ${i}: went cold`).toBe(true);
          wasWarm = warm;
          for (const o of spec.outputs) expect(Object.is(cols[o]![i], row === null ? null : row[o]), `${o} at bar ${i}`).toBe(true);
        });
      }), { numRuns: 60 });
    });
  }
});

// Repeated values make flat and near-flat windows common, where cancellation would show.
const seriesArb = fc.array(fc.oneof(fc.double({ min: -1000, max: 1000, noNaN: true }), fc.constantFrom(0, 0.1, 999.9)), { minLength: 1, maxLength: 150 });
const periodArb = fc.integer({ min: 1, max: 25 });
const windowOf = <T>(xs: readonly T[], i: number, n: number): T[] => xs.slice(i - n + 1, i + 1);
const mean = (w: number[]) => w.reduce((a, v) => a + v, 0) / w.length;
const popStd = (w: number[]) => { const m = mean(w); return Math.sqrt(w.reduce((a, v) => a + (v - m) ** 2, 0) / w.length); };
const near = (a: number | null, b: number, scale: number) => expect(Math.abs(a! - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, scale));

describe('rolling forms agree with naive recomputation', () => {
  it('sma, rollingStd, bollinger, zscore (population σ)', () => {
    fc.assert(fc.property(seriesArb, periodArb, (xs, n) => {
      const s = smaBatch(xs, n), sd = rollingStdBatch(xs, n), bb = bollingerBatch(xs, n, 2), z = zscoreBatch(xs, n);
      xs.forEach((x, i) => {
        if (i < n - 1) { expect([s[i], sd[i], bb[i], z[i]]).toEqual([null, null, null, null]); return; }
        const w = windowOf(xs, i, n), m = mean(w), sig = popStd(w);
        near(s[i]!, m, 1000);
        near(sd[i]!, sig, 1000);
        near(bb[i]!.upper, m + 2 * sig, 1000);
        if (sig > 1e-6) near(z[i]!, (x - m) / sig, 1000 / sig);
      });
    }), { numRuns: 500 });
  });
  it('wma: Σ(k·x_k)/Σk over the window', () => {
    fc.assert(fc.property(seriesArb, periodArb, (xs, n) => {
      const out = wmaBatch(xs, n);
      xs.forEach((_, i) => {
        if (i < n - 1) return expect(out[i]).toBeNull();
        const w = windowOf(xs, i, n);
        near(out[i]!, w.reduce((a, v, k) => a + (k + 1) * v, 0) / ((n * (n + 1)) / 2), 1000 * n);
      });
    }));
  });
  it('ema: the recurrence y = y\' + 2/(n+1)·(x − y\') from y₀ = x₀', () => {
    fc.assert(fc.property(seriesArb, periodArb, (xs, n) => {
      const out = emaBatch(xs, n);
      let y = xs[0]!;
      xs.forEach((x, i) => {
        if (i > 0) y += (2 / (n + 1)) * (x - y);
        if (i < n - 1) expect(out[i]).toBeNull();
        else near(out[i]!, y, 1000);
      });
    }));
  });
  it('donchian: exact HHV / LLV', () => {
    fc.assert(fc.property(barsArb, periodArb, (bars, n) => {
      const out = donchianBatch(bars, n);
      bars.forEach((_, i) => {
        if (i < n - 1) return expect(out[i]).toBeNull();
        const w = windowOf(bars, i, n);
        expect(out[i]!.upper).toBe(Math.max(...w.map((b) => b.high)));
        expect(out[i]!.lower).toBe(Math.min(...w.map((b) => b.low)));
      });
    }));
  });
});
