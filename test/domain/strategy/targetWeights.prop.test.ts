import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { momentum } from '../../../src/domain/strategy/momentum.js';
import { multiFactor } from '../../../src/domain/strategy/multiFactor.js';
import type { StrategyFundamentalsView } from '../../../src/domain/strategy/targetWeights.js';
import { closesOn, dayN, holding } from './fixtures.js';

const SYMS = ['000001.SZ', '000002.SZ', '600000.SH', '600519.SH', '688001.SH'];

/** Random markets: per day, each symbol trades (close 1…100 CNY) or is suspended (null). */
const marketArb = fc.array(fc.array(fc.option(fc.integer({ min: 1_000, max: 100_000 })), { minLength: SYMS.length, maxLength: SYMS.length }), { minLength: 1, maxLength: 12 });
const fundArb = fc.array(fc.option(fc.record({
  pe: fc.option(fc.double({ min: -100, max: 100, noNaN: true })), pb: fc.constant(null),
  roe: fc.option(fc.double({ min: -0.5, max: 0.5, noNaN: true })), industry: fc.option(fc.constantFrom('bank', 'tech')),
})), { minLength: SYMS.length, maxLength: SYMS.length });

describe('target-weight strategies: targets are ≥ 0, sum to 1, hold ≤ topN names that traded today; clone replays identically', () => {
  it('momentum and multiFactor', () => {
    fc.assert(fc.property(marketArb, fundArb, fc.integer({ min: 1, max: 4 }), fc.boolean(), (market, funds, topN, neutral) => {
      const f: StrategyFundamentalsView = { get: (s) => funds[SYMS.indexOf(s)] ?? undefined };
      const strats = [
        momentum({ lookback: 3, skip: 1, topN, schedule: 'daily' }),
        multiFactor({ weights: { value: 1, quality: 0.5, momentum: 1, lowVol: 0.5 }, topN, industryNeutral: neutral, lookback: 3, skip: 1, volWindow: 2, schedule: 'daily' }),
      ] as const;
      for (const strat of strats) {
        const s = strat as typeof strats[1];
        let st = s.init();
        let twin: typeof st | null = null;
        market.forEach((row, i) => {
          const bars = closesOn(dayN(i), Object.fromEntries(SYMS.flatMap((sym, j) => (row[j] === null ? [] : [[sym, row[j]! / 1000]]))));
          st = s.onBars(st, bars);
          if (twin) twin = s.onBars(twin, bars);
          if (i === 0) twin = s.clone(st);
          const t = s.targets(st, bars, holding([]), f);
          if (twin) expect(s.targets(twin, bars, holding([]), f)).toEqual(t);
          if (t === null) return;
          const ws = [...t.values()];
          expect(Math.abs(ws.reduce((a, x) => a + x, 0) - 1)).toBeLessThanOrEqual(1e-12);
          expect(ws.every((w) => w > 0)).toBe(true);
          expect(t.size).toBeLessThanOrEqual(topN);
          for (const sym of t.keys()) expect(bars.symbols).toContain(sym);
        });
      }
    }), { numRuns: 200 });
  });
});
