import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BarsClosed } from '../../../src/domain/index.js';
import { isValidBarsClosedData } from '../../../src/app/journalio/index.js';

// Invariant: the hand-written BarsClosed check used on journal reads (for speed) gives exactly the
// verdict of the published zod schema, for valid days and for every kind of corruption below.
const symbol = fc.tuple(fc.integer({ min: 0, max: 999_999 }), fc.constantFrom('SH', 'SZ', 'BJ'))
  .map(([n, x]) => `${String(n).padStart(6, '0')}.${x}`);

const validDay = fc.integer({ min: 0, max: 12 }).chain((n) => fc.record({
  day: fc.constantFrom('2021-01-04', '2024-02-29', '2026-12-31'),
  symbols: fc.uniqueArray(symbol, { minLength: n, maxLength: n }),
  open: fc.array(fc.integer({ min: 1, max: 5_000_000 }), { minLength: n, maxLength: n }),
  high: fc.array(fc.integer({ min: 1, max: 5_000_000 }), { minLength: n, maxLength: n }),
  low: fc.array(fc.integer({ min: 1, max: 5_000_000 }), { minLength: n, maxLength: n }),
  close: fc.array(fc.integer({ min: 1, max: 5_000_000 }), { minLength: n, maxLength: n }),
  volume: fc.array(fc.integer({ min: 0, max: 1e12 }), { minLength: n, maxLength: n }),
  amountFen: fc.array(fc.integer({ min: 0, max: 1e14 }), { minLength: n, maxLength: n }),
  preClose: fc.array(fc.option(fc.integer({ min: 1, max: 5_000_000 }), { nil: null }), { minLength: n, maxLength: n }),
  isSt: fc.array(fc.constantFrom(0 as const, 1 as const), { minLength: n, maxLength: n }),
}));

const KEYS = ['day', 'symbols', 'open', 'high', 'low', 'close', 'volume', 'amountFen', 'preClose', 'isSt'] as const;
const BAD_VALUES: unknown[] = [0, -1, 1.5, '1', null, Number.NaN, 2 ** 60, 'x', true, undefined];

const zodVerdict = (data: unknown): boolean => BarsClosed.safeParse({ type: 'BarsClosed', data }).success;

describe('isValidBarsClosedData agrees with the BarsClosed zod schema', () => {
  it('on valid days', () => {
    fc.assert(fc.property(validDay, (d) => {
      expect(isValidBarsClosedData(d)).toBe(true);
      expect(zodVerdict(d)).toBe(true);
    }), { numRuns: 200 });
  });

  it('on days with one field or one element corrupted', () => {
    fc.assert(fc.property(validDay, fc.constantFrom(...KEYS), fc.constantFrom(...BAD_VALUES), fc.nat(), (d, key, bad, pos) => {
      const copy: Record<string, unknown> = structuredClone(d);
      const v = copy[key];
      if (Array.isArray(v) && v.length > 0) v[pos % v.length] = bad;
      else copy[key] = bad;
      expect(isValidBarsClosedData(copy)).toBe(zodVerdict(copy));
    }), { numRuns: 600 });
  });

  it('on structural damage: a missing or extra key, arrays of unequal length', () => {
    fc.assert(fc.property(validDay.filter((d) => d.symbols.length > 0), fc.constantFrom(...KEYS), (d, key) => {
      const missing: Record<string, unknown> = { ...d };
      delete missing[key];
      expect(isValidBarsClosedData(missing)).toBe(false);
      expect(zodVerdict(missing)).toBe(false);
      const extra = { ...d, note: 'x' };
      expect(isValidBarsClosedData(extra)).toBe(zodVerdict(extra));
      if (key !== 'day') {
        const short = { ...d, [key]: (d[key] as unknown[]).slice(1) };
        expect(isValidBarsClosedData(short)).toBe(false);
      }
    }), { numRuns: 200 });
  });
});
