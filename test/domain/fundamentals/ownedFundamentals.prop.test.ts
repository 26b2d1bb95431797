import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../src/domain/index.js';
import {
  appendFundamentals, emptyFundamentals, evolveFundamentals, fundamentalsOn, newOwnedFundamentals,
} from '../../../src/domain/fundamentals/index.js';

// Invariant: the engine's owned, in-place store answers exactly like the pure fold, on every day.
const quarter = fc.tuple(fc.integer({ min: 2022, max: 2024 }), fc.constantFrom('03-31', '06-30', '09-30', '12-31')).map(([y, q]) => `${y}-${q}`);
const report = fc.tuple(fc.constantFrom('600000.SH', '000001.SZ', '688001.SH'), quarter, fc.integer({ min: 1, max: 200 }), fc.integer({ min: -5_000_000, max: 5_000_000 }))
  .map(([symbol, period, lag, eps]): DomainEvent => {
    const announced = new Date(Date.parse(`${period}T00:00:00Z`) + lag * 86_400_000).toISOString().slice(0, 10);
    return { type: 'FundamentalsReported', data: { symbol, period, announcedDay: announced, values: { epsMicro: eps } } };
  });

describe('owned fundamentals store', () => {
  it('answers like evolveFundamentals for any journal and day', () => {
    fc.assert(fc.property(fc.array(report, { maxLength: 40 }), fc.integer({ min: 0, max: 1200 }), (events, offset) => {
      let pure = emptyFundamentals;
      const owned = newOwnedFundamentals();
      for (const e of events) { pure = evolveFundamentals(pure, e); appendFundamentals(owned, e); }
      const day = new Date(Date.parse('2022-01-01T00:00:00Z') + offset * 86_400_000).toISOString().slice(0, 10);
      for (const s of ['600000.SH', '000001.SZ', '688001.SH']) expect(fundamentalsOn(owned, s, day)).toEqual(fundamentalsOn(pure, s, day));
    }), { numRuns: 200 });
  });
});
