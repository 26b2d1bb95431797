import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dailyLimitBand, limitPrices } from '../../../src/domain/market/board.js';
import { generateMarket } from '../../../src/domain/synthetic/index.js';
import type { TradingDay } from '../../../src/domain/tradingDay.js';
import { realCalendar, rowsOf } from './syntheticFixtures.js';

const calendar = realCalendar();

// Invariant defended: every generated bar is a bar an exchange could print — prices on the 0.01 tick,
// low ≤ open, close ≤ high, all inside the board's daily band around the reference price, volume in
// whole lots and turnover between volume × low and volume × high — for any seed, size and start date.
describe('generateMarket properties', () => {
  it('OHLC, tick, band, lot and amount invariants hold on every bar', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 25 }), fc.integer({ min: 1, max: 60 }),
        fc.constantFrom('2015-01-05', '2020-08-03', '2021-01-04', '2026-06-15', '2026-12-15'),
        (seed, symbols, ndays, start) => {
          const m = generateMarket({ symbols, days: ndays, seed, startDay: start as TradingDay, calendar });
          const board = new Map(m.instruments.map((i) => [i.symbol as string, i]));
          const bad: string[] = [];
          for (const r of rowsOf(m.days)) {
            const inst = board.get(r.symbol)!;
            const { up, down } = limitPrices(r.preClose!, dailyLimitBand(inst.board, inst.isSt, r.day), 10);
            const ok = [r.open, r.high, r.low, r.close, r.preClose!].every((p) => Number.isSafeInteger(p) && p > 0 && p % 10 === 0)
              && r.low <= r.open && r.low <= r.close && r.open <= r.high && r.close <= r.high
              && down <= r.low && r.high <= up
              && r.volume >= 100 && r.volume % 100 === 0
              && Number.isSafeInteger(r.amountFen)
              && r.amountFen * 10 >= r.volume * r.low - 5 && r.amountFen * 10 <= r.volume * r.high + 5
              && r.isSt === (inst.isSt ? 1 : 0);
            if (!ok) bad.push(JSON.stringify(r));
          }
          expect(bad).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });
});
