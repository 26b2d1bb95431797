import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../synthetic/syntheticFixtures.js';
import { suspensionKey } from '../../../src/domain/data/finding.js';
import { validateBars } from '../../../src/domain/data/validator.js';
import { generateMarket } from '../../../src/domain/synthetic/marketGenerator.js';
import { planEvents } from '../../../src/domain/synthetic/syntheticEvents.js';
import { drawUniverse } from '../../../src/domain/synthetic/syntheticUniverse.js';
import type { TradingDay } from '../../../src/domain/tradingDay.js';
import { rules } from './validatorFixtures.js';

const STARTS = ['2022-01-04', '2023-06-01', '2024-09-02', '2025-03-03'] as TradingDay[];

describe('validateBars on clean synthetic data', () => {
  // Invariant: the synthetic market obeys every rule the validator checks (sound OHLC, turnover
  // inside volume × [low, high], one ascending row per symbol-day on trading days, closes inside the
  // band around preClose with dividends as ex-rights references, gaps only where the generator
  // suspended the stock), and its returns, news jumps and limit runs included, are not outliers at
  // |robust z| > 8 unless they end at the limit price. So clean data yields no finding at all.
  it('yields zero findings', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 2, max: 160 }),
      fc.constantFrom(...STARTS),
      (seed, symbols, days, startDay) => {
        const m = generateMarket({ seed, symbols, days, startDay, calendar: rules.calendar });
        // The generator's own suspension plan is the complete list of known suspensions.
        const u = drawUniverse(seed, symbols, m.tradingDays[0]!, rules.calendar);
        const plan = planEvents(seed, u, m.tradingDays);
        const suspensions = new Set<string>();
        u.instruments.forEach((ins, s) => m.tradingDays.forEach((d, i) => {
          if (plan.suspended[s * m.tradingDays.length + i] === 1) suspensions.add(suspensionKey(ins.symbol, d));
        }));
        const listDays = new Map(m.instruments.map((i) => [i.symbol as string, i.listDay]));
        expect(validateBars(rowsOf(m.days), { rules, suspensions, listDays })).toEqual([]);
      },
    ), { numRuns: 40, seed: 20_250_105 });
  });
});
