import { describe, expect, it } from 'vitest';
import {
  STAMP_DUTY_SELL, TRANSFER_FEE, computeFees, rateInForce, totalFees, type CommissionTerms,
} from '../../../src/domain/fees/feeSchedule.js';
import { fen, notionalFen, priceMilli, ratePpb, shares } from '../../../src/domain/money.js';
import type { TradingDay } from '../../../src/domain/tradingDay.js';

const day = (s: string): TradingDay => s as TradingDay;
/** 0.025% commission, 5 CNY minimum per order. */
const terms: CommissionTerms = { rate: ratePpb(250_000), minimum: fen(500) };
/** 10,000 shares at 10.00 CNY: turnover 100,000.00 CNY. */
const bigTurnover = notionalFen(priceMilli(10_000), shares(10_000));

describe('computeFees', () => {
  it('turnover of 10,000 shares at 10.00 CNY is 10,000,000 fen', () => {
    expect(bigTurnover).toBe(10_000_000);
  });

  it('stamp duty on a sell is 0.1% on 2023-08-25 (100.00 CNY) and 0.05% from 2023-08-28 (50.00 CNY)', () => {
    expect(computeFees('sell', bigTurnover, day('2023-08-25'), terms).stampDutyFen).toBe(10_000);
    expect(computeFees('sell', bigTurnover, day('2023-08-28'), terms).stampDutyFen).toBe(5_000);
  });

  it('a full sell on 2023-08-28: commission 25.00, stamp 50.00, transfer 1.00 CNY', () => {
    const f = computeFees('sell', bigTurnover, day('2023-08-28'), terms);
    expect(f).toEqual({ commissionFen: 2_500, stampDutyFen: 5_000, transferFeeFen: 100, rawCommissionFen: 2_500 });
    expect(totalFees(f)).toBe(7_600);
  });

  it('transfer fee is 0.02‰ on 2022-04-28 (2.00 CNY) and 0.01‰ from 2022-04-29 (1.00 CNY), on both sides', () => {
    for (const side of ['buy', 'sell'] as const) {
      expect(computeFees(side, bigTurnover, day('2022-04-28'), terms).transferFeeFen).toBe(200);
      expect(computeFees(side, bigTurnover, day('2022-04-29'), terms).transferFeeFen).toBe(100);
    }
  });

  it('buys pay no stamp duty, in either stamp-duty era', () => {
    expect(computeFees('buy', bigTurnover, day('2023-08-25'), terms).stampDutyFen).toBe(0);
    expect(computeFees('buy', bigTurnover, day('2023-08-28'), terms).stampDutyFen).toBe(0);
    expect(computeFees('buy', bigTurnover, day('2010-01-04'), terms).stampDutyFen).toBe(0);
  });

  it('commission: a small order pays the 5.00 CNY minimum, a large one the 0.025% rate', () => {
    const small = notionalFen(priceMilli(10_000), shares(100)); // 1,000.00 CNY → raw 0.25 CNY
    expect(computeFees('buy', small, day('2024-03-01'), terms)).toMatchObject({ commissionFen: 500, rawCommissionFen: 25 });
    const mid = notionalFen(priceMilli(10_000), shares(1_000)); // 10,000.00 CNY → raw 2.50 CNY
    expect(computeFees('buy', mid, day('2024-03-01'), terms)).toMatchObject({ commissionFen: 500, rawCommissionFen: 250 });
    // Break-even: 20,000.00 CNY × 0.025% = 5.00 CNY exactly.
    expect(computeFees('buy', fen(2_000_000), day('2024-03-01'), terms).commissionFen).toBe(500);
    expect(computeFees('buy', bigTurnover, day('2024-03-01'), terms).commissionFen).toBe(2_500);
  });

  it('rounds every fee half-up to the fen', () => {
    // 10,010.00 CNY: stamp 0.05% = 5.005 → 5.01; commission 0.025% = 2.5025 → 2.50 (then the minimum);
    // transfer 0.01‰ = 0.1001 → 0.10.
    const f = computeFees('sell', fen(1_001_000), day('2024-03-01'), terms);
    expect(f).toEqual({ commissionFen: 500, stampDutyFen: 501, transferFeeFen: 10, rawCommissionFen: 250 });
    // 0.5 fen of commission rounds up: 20.00 CNY × 0.025% = 0.005 CNY → 0.01.
    expect(computeFees('buy', fen(2_000), day('2024-03-01'), terms).rawCommissionFen).toBe(1);
  });

  describe('per-order minimum across fills (previousRawCommissionFen)', () => {
    /** Fees of an order filled in pieces, threading the raw commission as a broker would. */
    function commissionsOf(notionals: readonly number[]): { paid: number[]; raw: number } {
      let raw: number | null = null;
      const paid: number[] = [];
      for (const n of notionals) {
        const f = computeFees('buy', fen(n), day('2024-03-01'), terms, raw);
        paid.push(f.commissionFen);
        raw = (raw ?? 0) + f.rawCommissionFen;
      }
      return { paid, raw: raw ?? 0 };
    }

    it('two fills, 10,000 then 20,000 CNY: first pays the 5.00 minimum, second tops up to the 7.50 total', () => {
      // raw 2.50 then 5.00; total raw 7.50 > minimum.
      const { paid, raw } = commissionsOf([1_000_000, 2_000_000]);
      expect(paid).toEqual([500, 250]);
      expect(raw).toBe(750);
      expect(paid[0]! + paid[1]!).toBe(Math.max(raw, 500));
    });

    it('two small fills together under the minimum: the second pays nothing', () => {
      const { paid } = commissionsOf([400_000, 400_000]); // raw 1.00 + 1.00 < 5.00
      expect(paid).toEqual([500, 0]);
    });

    it('total = max(sum of raw, minimum) for several splits of the same order', () => {
      for (const split of [[3_000_000], [1_000_000, 1_000_000, 1_000_000], [100_000, 2_900_000], [2_900_000, 100_000], [5_000, 5_000, 5_000]]) {
        const { paid, raw } = commissionsOf(split);
        expect(paid.reduce((a, b) => a + b, 0)).toBe(Math.max(raw, 500));
      }
    });

    // SRC BUG (src/domain/fees/feeSchedule.ts, computeFees): `previousRawCommissionFen > 0` is used as
    // "there were earlier fills". When the first fill's raw commission rounds to 0 fen (turnover below
    // 20.00 CNY, e.g. 1 share at 10.00), that fill paid the 5.00 minimum but the next fill is priced as
    // if it were the first and pays the minimum again: 10.00 CNY then 10,000.00 CNY gives 5.00 + 5.00 =
    // 10.00 CNY where the per-order rule gives max(0.00 + 2.50, 5.00) = 5.00 CNY.
    // Shrunk counterexample found by review: a first fill whose raw commission rounds to 0 fen used
    // to be mistaken for "no earlier fill", charging the 5 CNY minimum twice.
    it('a first fill whose raw commission rounds to 0 does not make the order pay the minimum twice', () => {
      const { paid, raw } = commissionsOf([1_000, 1_000_000]);
      expect(raw).toBe(250);
      expect(paid.reduce((a, b) => a + b, 0)).toBe(500);
    });
  });
});

describe('rateInForce', () => {
  it('picks the row whose effective date is the latest on or before the day', () => {
    expect(rateInForce(STAMP_DUTY_SELL, day('2023-08-27'))?.rate).toBe(1_000_000);
    expect(rateInForce(STAMP_DUTY_SELL, day('2023-08-28'))?.rate).toBe(500_000);
    expect(rateInForce(STAMP_DUTY_SELL, day('2030-01-01'))?.rate).toBe(500_000);
    expect(rateInForce(TRANSFER_FEE, day('2015-08-01'))?.rate).toBe(20_000);
  });

  it('gives undefined before the first row, and then no fee is charged', () => {
    expect(rateInForce(STAMP_DUTY_SELL, day('2008-09-18'))).toBeUndefined();
    expect(rateInForce(TRANSFER_FEE, day('2015-07-31'))).toBeUndefined();
    expect(computeFees('sell', bigTurnover, day('2008-09-18'), terms)).toMatchObject({ stampDutyFen: 0, transferFeeFen: 0 });
  });

  it('every row names its source', () => {
    for (const r of [...STAMP_DUTY_SELL, ...TRANSFER_FEE]) expect(r.source.length).toBeGreaterThan(0);
  });
});
