import { describe, expect, it } from 'vitest';
import { loadMarketRuleTables } from '../../../src/adapters/market/marketRulesFile.js';
import { canonicalHash } from '../../../src/domain/hash.js';
import { dailyLimitBand, limitPrices, lotRule as boardLotRule, tickOf } from '../../../src/domain/market/board.js';
import { ratePpb } from '../../../src/domain/money.js';
import {
  createMarketRules, defaultAccountFees, isValidLotQty, type AccountFees, type FeeQuery, type MarketRuleTables,
} from '../../../src/domain/rules/index.js';
import type { TradingDay } from '../../../src/domain/tradingDay.js';

// Every expected figure is computed by hand from ashare-market-rules.md; prices in 0.001 CNY, money in fen.
const day = (s: string): TradingDay => s as TradingDay;
const tables: MarketRuleTables = (() => {
  const r = loadMarketRuleTables();
  if (r._tag === 'Left') throw new Error(r.left.message);
  return r.right;
})();
const rules = createMarketRules(tables);
const limits = (symbol: string, d: string, refPrice: number, isSt = false, listDay: string | null = null) =>
  rules.priceLimits({ symbol, day: day(d), refPrice, isSt, listDay: listDay === null ? null : day(listDay) });

const retail: AccountFees = { commissionRate: ratePpb(250_000), minCommissionFen: 500, regulatoryFeesInsideCommission: true };
const separate: AccountFees = { ...retail, regulatoryFeesInsideCommission: false };
const fee = (q: Partial<FeeQuery> & Pick<FeeQuery, 'day'>) =>
  rules.fees({ side: 'sell', symbol: '600519.SH', notionalFen: 10_000_000, account: retail, previousRawCommissionFen: null, ...q });

describe('boards, ticks, lots (§1.1, §2.3, §3)', () => {
  it('the suffix decides: 000001.SH is an index, 000001.SZ a stock; 920 only on .BJ', () => {
    expect(rules.boardOf('000001.SH')).toBe('INDEX');
    expect(rules.boardOf('000001.SZ')).toBe('SZSE_MAIN');
    expect(rules.boardOf('920118.BJ')).toBe('BSE');
    expect(rules.boardOf('430047.BJ')).toBe('BSE');
    expect(rules.boardOf('510300.SH')).toBe('FUND');
    expect(rules.boardOf('159915.SZ')).toBe('FUND');
    expect(() => rules.boardOf('920118.SH')).toThrow(/no board known/);
    expect(() => rules.boardOf('302132.SZ')).toThrow(/no board known/);
    expect(() => rules.boardOf('600519')).toThrow(/suffixed/);
  });

  it('ticks: 0.01 CNY for stocks, 0.001 CNY for funds', () => {
    expect(rules.tickMilli('600519.SH')).toBe(10);
    expect(rules.tickMilli('920118.BJ')).toBe(10);
    expect(rules.tickMilli('510300.SH')).toBe(1);
  });

  it('STAR lots: 150 invalid, 200 and 201 valid; a holding under 200 sells whole', () => {
    const star = rules.lotRule('688981.SH');
    expect(star).toEqual({ minBuy: 200, step: 1 });
    expect(isValidLotQty(star, 'buy', 150)).toBe(false);
    expect(isValidLotQty(star, 'buy', 200)).toBe(true);
    expect(isValidLotQty(star, 'buy', 201)).toBe(true);
    expect(isValidLotQty(star, 'sell', 150, 150)).toBe(true);
    expect(isValidLotQty(star, 'sell', 100, 250)).toBe(false);
    expect(isValidLotQty(star, 'sell', 201, 250)).toBe(true);
  });

  it('main board and ChiNext buy in 100s; the odd part of a holding is sold in one order, alone or with lots', () => {
    const main = rules.lotRule('600519.SH');
    expect(rules.lotRule('300750.SZ')).toEqual({ minBuy: 100, step: 100 });
    expect(isValidLotQty(main, 'buy', 150)).toBe(false);
    expect(isValidLotQty(main, 'buy', 200)).toBe(true);
    expect(isValidLotQty(main, 'sell', 50, 250)).toBe(true);
    expect(isValidLotQty(main, 'sell', 150, 250)).toBe(true);
    expect(isValidLotQty(main, 'sell', 30, 250)).toBe(false);
    expect(isValidLotQty(main, 'sell', 300, 250)).toBe(false);
    expect(rules.lotRule('920118.BJ')).toEqual({ minBuy: 100, step: 1 });
  });

  it('agrees with the hard-coded board.ts rules it replaces, except ChiNext ST before the reform', () => {
    for (const [s, b] of [['600519.SH', 'SSE_MAIN'], ['000001.SZ', 'SZSE_MAIN'], ['300750.SZ', 'CHINEXT'], ['688981.SH', 'STAR'], ['920118.BJ', 'BSE']] as const) {
      expect(rules.lotRule(s)).toEqual(boardLotRule(b));
      expect(rules.tickMilli(s)).toBe(tickOf(b));
      for (const d of ['2020-08-21', '2020-08-24', '2024-05-06', '2026-07-03', '2026-07-06']) {
        for (const st of [false, true]) {
          if (b === 'CHINEXT' && st && d < '2020-08-24') continue; // see the next test
          if (b === 'BSE' && d < '2021-11-15') continue; // BSE opened later: the table has no band, board.ts answers anyway
          expect(limits(s, d, 10_000, st), `${s} ${d} st=${st}`).toEqual(limitPrices(10_000, dailyLimitBand(b, st, day(d)), 10));
        }
      }
    }
  });
});

describe('ChiNext ST before 2020-08-24 (a configurable [U] row)', () => {
  it('is ±5% in price-limits.yaml, where board.ts reads the reference as ±10%', () => {
    expect(limits('300104.SZ', '2020-08-21', 10_000, true)).toEqual({ up: 10_500, down: 9_500 });
    expect(dailyLimitBand('CHINEXT', true, day('2020-08-21'))).toBe(1000);
    const row = tables.priceLimits.bands.find((r) => r.boards.includes('CHINEXT') && r.status === 'st')!;
    expect(row.note).toMatch(/configurable and doubtful/);
  });
});

describe('maximum order size (§3)', () => {
  it('STAR limit 100,000 / market 50,000; main 1,000,000; ChiNext 300,000 / 150,000 only from 2020-08-24', () => {
    expect(rules.maxOrderQty('688981.SH', 'limit', day('2025-01-02'))).toBe(100_000);
    expect(rules.maxOrderQty('688981.SH', 'market', day('2025-01-02'))).toBe(50_000);
    expect(rules.maxOrderQty('600519.SH', 'limit', day('2025-01-02'))).toBe(1_000_000);
    expect(rules.maxOrderQty('300750.SZ', 'limit', day('2020-08-21'))).toBeNull();
    expect(rules.maxOrderQty('300750.SZ', 'limit', day('2020-08-24'))).toBe(300_000);
    expect(rules.maxOrderQty('300750.SZ', 'market', day('2020-08-24'))).toBe(150_000);
    expect(rules.maxOrderQty('920118.BJ', 'market', day('2025-01-02'))).toBe(1_000_000);
  });
});

describe('price limits (§2.1–§2.3)', () => {
  it('rounds half-up to the tick: ref 10.05 × 1.1 = 11.055 → 11.06', () => {
    expect(limits('600519.SH', '2025-01-02', 10_050)).toEqual({ up: 11_060, down: 9_050 });
  });

  it('ChiNext ±10% on 2020-08-21, ±20% from 2020-08-24 (ST included)', () => {
    expect(limits('300750.SZ', '2020-08-21', 10_000)).toEqual({ up: 11_000, down: 9_000 });
    expect(limits('300750.SZ', '2020-08-24', 10_000)).toEqual({ up: 12_000, down: 8_000 });
    expect(limits('300750.SZ', '2020-08-24', 10_000, true)).toEqual({ up: 12_000, down: 8_000 });
  });

  it('main-board ST ±5% on 2026-07-03, ±10% from 2026-07-06', () => {
    expect(limits('600001.SH', '2026-07-03', 10_000, true)).toEqual({ up: 10_500, down: 9_500 });
    expect(limits('000002.SZ', '2026-07-06', 10_000, true)).toEqual({ up: 11_000, down: 9_000 });
  });

  it('STAR IPO: no limit on trading days 1–5, ±20% on day 6 (688981 listed 2020-07-16)', () => {
    expect(limits('688981.SH', '2020-07-16', 27_460, false, '2020-07-16')).toBeNull();
    expect(limits('688981.SH', '2020-07-22', 10_000, false, '2020-07-16')).toBeNull(); // day 5
    expect(limits('688981.SH', '2020-07-23', 10_000, false, '2020-07-16')).toEqual({ up: 12_000, down: 8_000 }); // day 6
  });

  it('IPO days are trading days: a listing on 2020-09-28 reaches day 6 on 2020-10-13 (National Day closure)', () => {
    expect(limits('688500.SH', '2020-10-12', 10_000, false, '2020-09-28')).toBeNull(); // 09-28, 29, 30, 10-09, 10-12
    expect(limits('688500.SH', '2020-10-13', 10_000, false, '2020-09-28')).toEqual({ up: 12_000, down: 8_000 });
  });

  it('BSE: no limit on the listing day only, ±30% from day 2', () => {
    expect(limits('920118.BJ', '2024-06-03', 10_000, false, '2024-06-03')).toBeNull();
    expect(limits('920118.BJ', '2024-06-04', 10_000, false, '2024-06-03')).toEqual({ up: 13_000, down: 7_000 });
  });

  it('main board before 2023-04-10: listing day +44%/−36% of the offer price, ±10% from day 2', () => {
    // 601059.SH listed 2023-02-01 at an offer price of 8.25: 8.25 × 1.44 = 11.88, × 0.64 = 5.28.
    expect(limits('601059.SH', '2023-02-01', 8_250, false, '2023-02-01')).toEqual({ up: 11_880, down: 5_280 });
    expect(limits('601059.SH', '2023-02-02', 11_880, false, '2023-02-01')).toEqual({ up: 13_070, down: 10_690 });
  });

  it('main-board registration IPOs from 2023-04-10: no limit on days 1–5, ±10% on day 6', () => {
    expect(limits('601033.SH', '2023-04-14', 10_000, false, '2023-04-10')).toBeNull();
    expect(limits('601033.SH', '2023-04-17', 10_000, false, '2023-04-10')).toEqual({ up: 11_000, down: 9_000 });
  });

  it('refuses what the tables cannot answer: a fund band, a day before the listing, a day before 1996-12-16', () => {
    expect(() => limits('510300.SH', '2025-01-02', 1_000)).toThrow(/price-limits\.yaml has no band for FUND\/normal/);
    expect(() => limits('688981.SH', '2020-07-15', 10_000, false, '2020-07-16')).toThrow(/before the listing day/);
    expect(() => limits('600519.SH', '1995-06-01', 10_000)).toThrow(/no band for SSE_MAIN\/normal on 1995-06-01/);
  });

  it('an old listing on a day past the calendar needs no calendar', () => {
    expect(limits('688981.SH', '2027-03-01', 10_000, false, '2020-07-16')).toEqual({ up: 12_000, down: 8_000 });
  });
});

describe('fees (§6)', () => {
  it('stamp duty on a sell of 10,000 × 10.00: 100.00 CNY on 2023-08-25, 50.00 CNY on 2023-08-28; none on buys', () => {
    expect(fee({ day: day('2023-08-25') }).stampDutyFen).toBe(10_000);
    expect(fee({ day: day('2023-08-28') }).stampDutyFen).toBe(5_000);
    expect(fee({ day: day('2023-08-28'), side: 'buy' }).stampDutyFen).toBe(0);
    expect(fee({ day: day('2008-04-24'), side: 'buy' }).stampDutyFen).toBe(10_000); // both sides until 2008-09-18
    expect(fee({ day: day('2008-09-19'), side: 'buy' }).stampDutyFen).toBe(0);
  });

  it('funds pay no stamp duty (rqalpha, S26)', () => {
    expect(fee({ day: day('2023-08-28'), symbol: '510300.SH' }).stampDutyFen).toBe(0);
  });

  it('transfer fee on 100,000 CNY: 2.00 CNY on 2022-04-28, 1.00 CNY from 2022-04-29, both sides; BSE 2.50 → 1.00', () => {
    for (const side of ['buy', 'sell'] as const) {
      expect(fee({ day: day('2022-04-28'), side }).transferFeeFen).toBe(200);
      expect(fee({ day: day('2022-04-29'), side }).transferFeeFen).toBe(100);
    }
    expect(fee({ day: day('2022-04-28'), symbol: '830799.BJ' }).transferFeeFen).toBe(250);
    expect(fee({ day: day('2022-04-29'), symbol: '830799.BJ' }).transferFeeFen).toBe(100);
  });

  it('before 2015-08-01: SZSE 0.0255‰ of turnover; SSE par-value fee not charged (no share count in FeeQuery)', () => {
    expect(fee({ day: day('2015-07-31'), symbol: '000001.SZ' }).transferFeeFen).toBe(255);
    expect(fee({ day: day('2015-07-31') }).transferFeeFen).toBe(0);
    expect(fee({ day: day('2015-08-03') }).transferFeeFen).toBe(200);
  });

  it('commission: 0.025% with a 5 CNY minimum charged once per order', () => {
    const first = fee({ day: day('2025-01-02'), notionalFen: 1_000_000 }); // 10,000 CNY → raw 2.50
    expect([first.commissionFen, first.rawCommissionFen]).toEqual([500, 250]);
    const second = fee({ day: day('2025-01-02'), notionalFen: 1_000_000, previousRawCommissionFen: 250 });
    expect(second.commissionFen).toBe(0); // 2.50 + 2.50 = 5.00: still inside the minimum already paid
    const third = fee({ day: day('2025-01-02'), notionalFen: 1_000_000, previousRawCommissionFen: 500 });
    expect(third.commissionFen).toBe(250);
    // A first fill whose raw commission rounded to 0 still paid the minimum: 0 is not null.
    expect(fee({ day: day('2025-01-02'), notionalFen: 1_000, previousRawCommissionFen: 0 }).commissionFen).toBe(0);
  });

  it('§6.5 worked example: sell 10,000 at 10.00 on SSE in 2026, fees separate', () => {
    expect(fee({ day: day('2026-03-02'), account: separate })).toEqual({
      commissionFen: 2_500, stampDutyFen: 5_000, transferFeeFen: 100, handlingFeeFen: 341, regulatoryFeeFen: 200, rawCommissionFen: 2_500,
    });
    // Inside commission (the default account terms): handling and CSRC fees are not charged again.
    expect(fee({ day: day('2026-03-02'), account: defaultAccountFees(tables.fees.commission) })).toMatchObject({ handlingFeeFen: 0, regulatoryFeeFen: 0, commissionFen: 2_500 });
  });

  it('handling fee 0.0487‰ on 2023-08-25, 0.0341‰ from 2023-08-28; BSE 0.25‰ → 0.125‰', () => {
    expect(fee({ day: day('2023-08-25'), account: separate }).handlingFeeFen).toBe(487);
    expect(fee({ day: day('2023-08-28'), account: separate }).handlingFeeFen).toBe(341);
    expect(fee({ day: day('2023-08-25'), account: separate, symbol: '830799.BJ' }).handlingFeeFen).toBe(2_500);
    expect(fee({ day: day('2023-08-28'), account: separate, symbol: '830799.BJ' }).handlingFeeFen).toBe(1_250);
  });

  it('refuses a day before the fee tables begin', () => {
    expect(() => fee({ day: day('2004-06-01') })).toThrow(/fees\.yaml has no stampDuty row for SSE_MAIN on 2004-06-01/);
  });
});

describe('sessions (§5)', () => {
  const phases = (s: string, d: string) => rules.sessions(s, day(d)).map((p) => `${p.phase} ${p.start}-${p.end}${p.acceptsCancels ? '' : ' no-cancel'}${p.acceptsOrders ? '' : ' no-order'}`);
  const opening = ['opening_auction 09:15-09:20', 'opening_auction 09:20-09:25 no-cancel', 'pre_open 09:25-09:30 no-cancel no-order', 'continuous 09:30-11:30'];

  it('SSE stocks: continuous to 15:00 on 2018-08-17, closing call auction from 2018-08-20', () => {
    expect(phases('600519.SH', '2018-08-17')).toEqual([...opening, 'continuous 13:00-15:00']);
    expect(phases('600519.SH', '2018-08-20')).toEqual([...opening, 'continuous 13:00-14:57', 'closing_auction 14:57-15:00 no-cancel']);
  });

  it('SZSE already had its closing auction in 2018; ChiNext after-hours trading from 2020-08-24', () => {
    expect(phases('000001.SZ', '2018-08-17')).toEqual([...opening, 'continuous 13:00-14:57', 'closing_auction 14:57-15:00 no-cancel']);
    expect(phases('300750.SZ', '2020-08-21')).toHaveLength(6);
    expect(phases('300750.SZ', '2020-08-24').at(-1)).toBe('after_hours 15:05-15:30');
  });

  it('after-hours trading for all SSE/SZSE A-shares and funds from 2026-07-06; SSE funds get a closing auction that day', () => {
    expect(phases('600519.SH', '2026-07-03').at(-1)).toBe('closing_auction 14:57-15:00 no-cancel');
    expect(phases('600519.SH', '2026-07-06').at(-1)).toBe('after_hours 15:05-15:30');
    expect(phases('510300.SH', '2026-07-03').at(-1)).toBe('continuous 13:00-15:00');
    expect(phases('510300.SH', '2026-07-06').slice(-2)).toEqual(['closing_auction 14:57-15:00 no-cancel', 'after_hours 15:05-15:30']);
    expect(phases('920118.BJ', '2026-07-06').at(-1)).toBe('closing_auction 14:57-15:00 no-cancel'); // [C]: not enabled
  });

  it('indices have no trading phases', () => {
    expect(rules.sessions('000300.SH', day('2025-01-02'))).toEqual([]);
  });
});

describe('version and calendar', () => {
  it('version is the canonical hash of the tables and changes with any row', () => {
    expect(rules.version).toBe(canonicalHash(tables));
    const edited: MarketRuleTables = { ...tables, trading: { ...tables.trading, maxOrderSize: tables.trading.maxOrderSize.slice(1) } };
    expect(createMarketRules(edited).version).not.toBe(rules.version);
  });

  it('the calendar covers 1990-12-19 … 2026-12-31', () => {
    expect([rules.calendar.firstDay, rules.calendar.lastDay]).toEqual(['1990-12-19', '2026-12-31']);
    expect(rules.calendar.next(day('2026-02-13'))).toBe('2026-02-24');
  });
});
