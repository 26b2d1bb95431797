import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DayBars } from '../../../src/domain/bars.js';
import { smaCrossover } from '../../../src/domain/strategy/smaCrossover.js';
import { addCalendarDays, type TradingDay } from '../../../src/domain/tradingDay.js';

const SYMS = ['000001.SZ', '600000.SH', '688001.SH'];

function bars(day: number, closes: ReadonlyArray<number | null>): DayBars {
  const present = SYMS.map((s, i) => [s, closes[i]] as const).filter((x): x is readonly [string, number] => x[1] !== null);
  const c = present.map((x) => x[1]);
  return {
    day: addCalendarDays('2024-01-01' as TradingDay, day), symbols: present.map((x) => x[0]), open: c, high: c, low: c, close: c,
    volume: c.map(() => 1), amountFen: c.map(() => 0), preClose: c.map(() => null), isSt: c.map(() => 0 as const),
  };
}

/** Reference: recompute both SMAs from the full history of the days each symbol traded. */
function referenceCrossings(fast: number, slow: number, days: ReadonlyArray<ReadonlyArray<number | null>>): Array<Record<string, 1 | -1>> {
  const hist = new Map<string, number[]>();
  const prevRel = new Map<string, number>();
  return days.map((closes) => {
    const out: Record<string, 1 | -1> = {};
    SYMS.forEach((s, i) => {
      const c = closes[i];
      if (c === null || c === undefined) return;
      const h = hist.get(s) ?? [];
      h.push(c);
      hist.set(s, h);
      if (h.length < slow) return;
      const sum = (k: number): number => h.slice(-k).reduce((a, b) => a + b, 0);
      const lhs = sum(fast) * slow, rhs = sum(slow) * fast;
      const rel = Math.sign(lhs - rhs);
      const prev = prevRel.get(s);
      if (prev !== undefined && rel > 0 && prev <= 0) out[s] = 1;
      if (prev !== undefined && rel <= 0 && prev > 0) out[s] = -1;
      prevRel.set(s, rel);
    });
    return out;
  });
}

describe('smaCrossover against a from-scratch reference', () => {
  // Invariant: the ring-buffer running sums give exactly the crossings that recomputing both SMAs
  // from each symbol's own traded days gives — suspended days skipped, ties counted as "not above".
  it('reports the same crossings every day (property)', () => {
    const windows = fc.integer({ min: 1, max: 5 }).chain((fast) => fc.tuple(fc.constant(fast), fc.integer({ min: fast + 1, max: fast + 6 })));
    const day = fc.array(fc.option(fc.integer({ min: 1, max: 12 }).map((x) => x * 1_000), { nil: null, freq: 6 }), { minLength: 3, maxLength: 3 });
    fc.assert(fc.property(windows, fc.array(day, { maxLength: 40 }), ([fast, slow], days) => {
      const strat = smaCrossover({ fast, slow });
      const expected = referenceCrossings(fast, slow, days);
      let s = strat.init();
      days.forEach((closes, i) => {
        s = strat.onBars(s, bars(i, closes));
        const got: Record<string, 1 | -1> = {};
        for (const [sym, c] of s.crossings) got[sym] = c.dir;
        expect(got).toEqual(expected[i]);
      });
    }), { numRuns: 500 });
  });
});
