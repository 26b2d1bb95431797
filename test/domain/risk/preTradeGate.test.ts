import { describe, expect, it } from 'vitest';
import { isRight } from 'fp-ts/lib/Either.js';
import { ratePpb } from '../../../src/domain/money.js';
import type { AccountFees } from '../../../src/domain/rules/marketRules.js';
import { loadMarketRules } from '../../../src/adapters/market/marketRulesFile.js';
import { decideOrder, isValidOrderQty, type GateContext, type OrderRequest } from '../../../src/domain/risk/preTradeGate.js';
import type { TradingDay } from '../../../src/domain/tradingDay.js';
import type { PortfolioView, PositionView, WorkingOrderView } from '../../../src/domain/views/portfolioView.js';

const DAY = '2024-03-01' as TradingDay;
const MAIN = '600000.SH';
const MAIN2 = '000001.SZ';
const STAR = '688001.SH';
const account: AccountFees = { commissionRate: ratePpb(250_000), minCommissionFen: 500, regulatoryFeesInsideCommission: true };
const loaded = loadMarketRules('config/market');
if (!isRight(loaded)) throw new Error('config/market does not load');
const rules = loaded.right;

/** A hand-built portfolio: cash and positions given as (symbol, qty, sellable). */
function portfolio(cashFen: number, positions: ReadonlyArray<Omit<PositionView, 'costFen' | 'lastPrice'>> = []): PortfolioView {
  const bySymbol = new Map(positions.map((p) => [p.symbol, { ...p, costFen: 0, lastPrice: 10_000 }]));
  return {
    day: DAY,
    cashFen,
    positionCount: bySymbol.size,
    position: (s) => bySymbol.get(s),
    equityFen: () => cashFen,
  };
}

function working(o: Partial<WorkingOrderView> & Pick<WorkingOrderView, 'orderId' | 'symbol' | 'side'>): WorkingOrderView {
  return { qty: 100, filledQty: 0, reservedFen: 0, day: DAY, ...o };
}

function order(o: Partial<OrderRequest> & Pick<OrderRequest, 'symbol' | 'side' | 'qty'>): OrderRequest {
  return {
    orderId: 'new-1', day: DAY, orderType: 'market', limitPrice: null, timeInForce: 'day', refPrice: 10_000, signalId: null, ...o,
  };
}

const ctx = (p: PortfolioView, w: readonly WorkingOrderView[] = []): GateContext => ({ day: DAY, portfolio: p, working: w, rules, account });
const RICH = portfolio(1_000_000_000);

describe('pre-trade gate', () => {
  describe('lot size', () => {
    it.each([
      [MAIN, 150, false], [MAIN, 200, true], [MAIN, 100, true], [MAIN, 50, false], [MAIN, 1_000, true],
      [MAIN2, 250, false], [STAR, 150, false], [STAR, 199, false], [STAR, 200, true], [STAR, 201, true],
    ])('given cash, when buying %s × %d, then approved = %s', (symbol, qty, ok) => {
      const d = decideOrder(order({ symbol, side: 'buy', qty }), ctx(RICH));
      if (ok) expect(d.approved).toBe(true);
      else expect(d).toMatchObject({ approved: false, reason: 'LOT_SIZE' });
    });

    it('given 250 main-board shares held, when selling all 250 (odd remainder in one order), then approved', () => {
      const p = portfolio(0, [{ symbol: MAIN, qty: 250, sellable: 250 }]);
      expect(decideOrder(order({ symbol: MAIN, side: 'sell', qty: 250 }), ctx(p))).toEqual({ approved: true, reservedFen: 0 });
    });

    // SSE/SZSE rule: the part of a holding below one lot must be sold in one order (ashare-market-rules.md §3).
    // Holding 250, the odd part is 50: it may go alone (50) or with whole lots (150, 250); splitting it may not.
    it('given 250 main-board shares held, when selling 30 or 120 (splitting the 50-share odd part), then LOT_SIZE; 50, 150, 200 are fine', () => {
      const p = portfolio(0, [{ symbol: MAIN, qty: 250, sellable: 250 }]);
      expect(decideOrder(order({ symbol: MAIN, side: 'sell', qty: 30 }), ctx(p))).toMatchObject({ approved: false, reason: 'LOT_SIZE' });
      expect(decideOrder(order({ symbol: MAIN, side: 'sell', qty: 120 }), ctx(p))).toMatchObject({ approved: false, reason: 'LOT_SIZE' });
      for (const qty of [50, 150, 200]) expect(decideOrder(order({ symbol: MAIN, side: 'sell', qty }), ctx(p)).approved).toBe(true);
    });

    it('given 350 STAR shares, when selling 150 then LOT_SIZE; selling 201 or all 350 is fine', () => {
      const p = portfolio(0, [{ symbol: STAR, qty: 350, sellable: 350 }]);
      expect(decideOrder(order({ symbol: STAR, side: 'sell', qty: 150 }), ctx(p))).toMatchObject({ approved: false, reason: 'LOT_SIZE' });
      expect(decideOrder(order({ symbol: STAR, side: 'sell', qty: 201 }), ctx(p)).approved).toBe(true);
      expect(decideOrder(order({ symbol: STAR, side: 'sell', qty: 350 }), ctx(p)).approved).toBe(true);
    });

    it('isValidOrderQty refuses zero, negative and fractional quantities (even when equal to the holding)', () => {
      expect(isValidOrderQty(rules, MAIN, 'sell', 0, 0)).toBe(false);
      expect(isValidOrderQty(rules, MAIN, 'buy', -100, 0)).toBe(false);
      expect(isValidOrderQty(rules, MAIN, 'sell', 100.5, 100.5)).toBe(false);
    });
  });

  describe('duplicates', () => {
    it('given a working buy of the symbol, when buying it again, then DUPLICATE_ORDER', () => {
      const w = [working({ orderId: 'w-1', symbol: MAIN, side: 'buy' })];
      expect(decideOrder(order({ symbol: MAIN, side: 'buy', qty: 100 }), ctx(RICH, w))).toMatchObject({ approved: false, reason: 'DUPLICATE_ORDER' });
    });

    it('given a working sell of the symbol, when selling it again, then DUPLICATE_ORDER', () => {
      const p = portfolio(0, [{ symbol: MAIN, qty: 1_000, sellable: 1_000 }]);
      const w = [working({ orderId: 'w-1', symbol: MAIN, side: 'sell', qty: 200 })];
      expect(decideOrder(order({ symbol: MAIN, side: 'sell', qty: 200 }), ctx(p, w))).toMatchObject({ approved: false, reason: 'DUPLICATE_ORDER' });
    });

    it('given working orders on the other side or another symbol, when buying, then not a duplicate', () => {
      const w = [working({ orderId: 'w-1', symbol: MAIN, side: 'sell' }), working({ orderId: 'w-2', symbol: MAIN2, side: 'buy' })];
      expect(decideOrder(order({ symbol: MAIN, side: 'buy', qty: 100 }), ctx(RICH, w)).approved).toBe(true);
    });
  });

  describe('position and T+1', () => {
    it('given nothing held, when selling 100, then INSUFFICIENT_POSITION', () => {
      expect(decideOrder(order({ symbol: MAIN, side: 'sell', qty: 100 }), ctx(RICH))).toMatchObject({ approved: false, reason: 'INSUFFICIENT_POSITION' });
    });

    it('given 300 held, when selling 400, then INSUFFICIENT_POSITION', () => {
      const p = portfolio(0, [{ symbol: MAIN, qty: 300, sellable: 300 }]);
      expect(decideOrder(order({ symbol: MAIN, side: 'sell', qty: 400 }), ctx(p))).toMatchObject({ approved: false, reason: 'INSUFFICIENT_POSITION' });
    });

    it('given 300 held of which 200 bought today, when selling 300, then T1_NOT_SELLABLE; selling 100 is fine', () => {
      const p = portfolio(0, [{ symbol: MAIN, qty: 300, sellable: 100 }]);
      expect(decideOrder(order({ symbol: MAIN, side: 'sell', qty: 300 }), ctx(p))).toMatchObject({ approved: false, reason: 'T1_NOT_SELLABLE' });
      expect(decideOrder(order({ symbol: MAIN, side: 'sell', qty: 200 }), ctx(p))).toMatchObject({ approved: false, reason: 'T1_NOT_SELLABLE' });
      expect(decideOrder(order({ symbol: MAIN, side: 'sell', qty: 100 }), ctx(p))).toEqual({ approved: true, reservedFen: 0 });
    });

    it('given everything bought today, when selling, then T1_NOT_SELLABLE (not INSUFFICIENT_POSITION)', () => {
      const p = portfolio(0, [{ symbol: MAIN, qty: 500, sellable: 0 }]);
      expect(decideOrder(order({ symbol: MAIN, side: 'sell', qty: 500 }), ctx(p))).toMatchObject({ approved: false, reason: 'T1_NOT_SELLABLE' });
    });
  });

  describe('cash', () => {
    // 1,000 shares at 10.00 CNY on 2024-03-01: turnover 1,000,000 fen; commission max(250, 500) = 500;
    // transfer 0.01‰ = 10; no stamp duty on a buy. Cost 1,000,510 fen.
    const COST = 1_000_510;

    it('given enough cash, when buying, then approved reserving turnover plus fees', () => {
      expect(decideOrder(order({ symbol: MAIN, side: 'buy', qty: 1_000 }), ctx(portfolio(COST)))).toEqual({ approved: true, reservedFen: COST });
    });

    it('given one fen too little, when buying, then INSUFFICIENT_CASH', () => {
      expect(decideOrder(order({ symbol: MAIN, side: 'buy', qty: 1_000 }), ctx(portfolio(COST - 1)))).toMatchObject({ approved: false, reason: 'INSUFFICIENT_CASH' });
    });

    it('given other working buys holding reservations, when buying, then only the unreserved cash counts', () => {
      const p = portfolio(1_100_000);
      const tight = [working({ orderId: 'w-1', symbol: MAIN2, side: 'buy', reservedFen: 60_000 }), working({ orderId: 'w-2', symbol: STAR, side: 'buy', reservedFen: 39_490 })];
      expect(decideOrder(order({ symbol: MAIN, side: 'buy', qty: 1_000 }), ctx(p, tight))).toEqual({ approved: true, reservedFen: COST });
      const over = [working({ orderId: 'w-1', symbol: MAIN2, side: 'buy', reservedFen: 60_000 }), working({ orderId: 'w-2', symbol: STAR, side: 'buy', reservedFen: 39_491 })];
      expect(decideOrder(order({ symbol: MAIN, side: 'buy', qty: 1_000 }), ctx(p, over))).toMatchObject({ approved: false, reason: 'INSUFFICIENT_CASH' });
    });

    it('given a limit buy, when sizing the reservation, then the limit price is used, not the reference price', () => {
      // 1,000 × 10.50 = 1,050,000 fen; commission 500; transfer 10.5 → 11 (half-up).
      const d = decideOrder(order({ symbol: MAIN, side: 'buy', qty: 1_000, orderType: 'limit', limitPrice: 10_500 }), ctx(RICH));
      expect(d).toEqual({ approved: true, reservedFen: 1_050_511 });
    });

    it('given no cash, when selling held shares, then approved with nothing reserved', () => {
      const p = portfolio(0, [{ symbol: MAIN, qty: 100, sellable: 100 }]);
      expect(decideOrder(order({ symbol: MAIN, side: 'sell', qty: 100 }), ctx(p))).toEqual({ approved: true, reservedFen: 0 });
    });
  });

  describe('order shape', () => {
    it('given a limit order without a price, then BAD_ORDER (checked before anything else)', () => {
      const d = decideOrder(order({ symbol: MAIN, side: 'buy', qty: 150, orderType: 'limit', limitPrice: null }), ctx(portfolio(0)));
      expect(d).toMatchObject({ approved: false, reason: 'BAD_ORDER' });
    });

    it('given a market order with a limit price, then BAD_ORDER', () => {
      const d = decideOrder(order({ symbol: MAIN, side: 'buy', qty: 100, orderType: 'market', limitPrice: 10_000 }), ctx(RICH));
      expect(d).toMatchObject({ approved: false, reason: 'BAD_ORDER' });
    });
  });
});
