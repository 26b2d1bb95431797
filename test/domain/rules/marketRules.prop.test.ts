import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadMarketRules } from '../../../src/adapters/market/marketRulesFile.js';
import { computeFees } from '../../fixtures/referenceFees.js';
import { fen, ratePpb } from '../../../src/domain/money.js';
import type { MarketRules } from '../../../src/domain/rules/index.js';
import type { TradingDay } from '../../../src/domain/tradingDay.js';

const rules: MarketRules = (() => {
  const r = loadMarketRules();
  if (r._tag === 'Left') throw new Error(r.left.message);
  return r.right;
})();
const days = rules.calendar.range('2015-08-03' as TradingDay, '2026-12-31' as TradingDay);
const symbols = ['600519.SH', '000001.SZ', '300750.SZ', '688981.SH'];

describe('MarketRules properties', () => {
  // Invariant: moving the fee schedule from code (now test/fixtures/referenceFees.ts) into fees.yaml changed no charge that
  // the code already made: commission (with its once-per-order minimum), stamp duty and transfer fee.
  it('fees agree with computeFees on every component computeFees knows, from 2015-08-01', () => {
    fc.assert(fc.property(
      fc.constantFrom(...days), fc.constantFrom(...symbols), fc.constantFrom('buy' as const, 'sell' as const),
      fc.integer({ min: 0, max: 10_000_000_000 }), fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
      fc.integer({ min: 0, max: 3_000_000 }), fc.integer({ min: 0, max: 2_000 }),
      (day, symbol, side, notionalFen, prev, rate, minimum) => {
        const f = rules.fees({
          side, symbol, day, notionalFen, previousRawCommissionFen: prev,
          account: { commissionRate: ratePpb(rate), minCommissionFen: minimum, regulatoryFeesInsideCommission: true },
        });
        const old = computeFees(side, fen(notionalFen), day, { rate: ratePpb(rate), minimum: fen(minimum) }, prev);
        expect(f).toEqual({ ...old, handlingFeeFen: 0, regulatoryFeeFen: 0 });
      },
    ), { numRuns: 500 });
  });

  // Invariant: the limits bracket the reference price and lie on the tick.
  it('down ≤ ref ≤ up, both on the tick', () => {
    fc.assert(fc.property(
      fc.constantFrom(...days), fc.constantFrom(...symbols, '920118.BJ'), fc.boolean(), fc.integer({ min: 10, max: 5_000_000 }),
      (day, symbol, isSt, ref) => {
        fc.pre(!(symbol.endsWith('.BJ') && day < '2021-11-15') && !(symbol.startsWith('688') && day < '2019-07-22')); // before those boards opened
        const l = rules.priceLimits({ symbol, day, refPrice: ref, isSt, listDay: null })!;
        const tick = rules.tickMilli(symbol);
        expect(l.down).toBeLessThanOrEqual(ref + tick / 2);
        expect(l.up).toBeGreaterThanOrEqual(ref - tick / 2);
        expect(l.up % tick).toBe(0);
        expect(l.down % tick).toBe(0);
      },
    ), { numRuns: 500 });
  });
});
