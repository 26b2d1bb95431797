import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/domain/events/domainEvent.js';
import { indexWorking } from '../../src/domain/views/portfolioView.js';
import { emptyOrders, evolveOrders, ordersView, workingOf } from '../../src/projections/orders.js';

// The orders projection keeps its working orders indexed as it folds (by symbol, reserved cash,
// symbols being bought, sells); after any sequence of order events the index must say what an
// index built afresh from the working list says.
const D = '2024-03-01';
const SYMBOLS = ['600000.SH', '000001.SZ', '300750.SZ'];
const step = fc.record({
  order: fc.integer({ min: 1, max: 8 }), symbol: fc.constantFrom(...SYMBOLS), side: fc.constantFrom('buy' as const, 'sell' as const),
  kind: fc.constantFrom('request', 'approve', 'deny', 'submit', 'accept', 'fill', 'fillAll', 'expire'), reserved: fc.integer({ min: 0, max: 100_000 }),
});

function eventOf(x: { order: number; symbol: string; side: 'buy' | 'sell'; kind: string; reserved: number }, qtyOf: Map<string, { symbol: string; side: 'buy' | 'sell'; left: number }>): DomainEvent | null {
  const orderId = `O-${D}-${String(x.order).padStart(4, '0')}`;
  const o = qtyOf.get(orderId);
  switch (x.kind) {
    case 'request':
      qtyOf.set(orderId, { symbol: x.symbol, side: x.side, left: 1_000 });
      return { type: 'OrderRequested', data: { orderId, day: D, symbol: x.symbol, side: x.side, qty: 1_000, orderType: 'market', limitPrice: null, timeInForce: 'day', refPrice: 10_000, signalId: null } };
    case 'approve': return { type: 'OrderApproved', data: { orderId, ruleVersion: 'v', reservedFen: x.reserved } };
    case 'deny': return { type: 'OrderDenied', data: { orderId, reason: 'INSUFFICIENT_CASH', rule: 'cash', details: 'd', ruleVersion: 'v' } };
    case 'submit': return { type: 'OrderSubmitted', data: { orderId, broker: 'sim', clientOrderId: orderId } };
    case 'accept': return { type: 'OrderAccepted', data: { orderId, brokerOrderId: `b-${orderId}` } };
    case 'expire': return { type: 'OrderExpired', data: { orderId, reason: 'END_OF_DAY', details: 'the day ended' } };
    default: {
      if (!o) return null;
      const qty = x.kind === 'fillAll' ? o.left : Math.min(o.left, 200);
      o.left -= qty;
      return {
        type: 'OrderFilled', data: {
          orderId, fillId: `${orderId}-${o.left}`, day: D, symbol: o.symbol, side: o.side, qty, price: 10_000, notionalFen: qty * 1_000,
          commissionFen: 0, stampDutyFen: 0, transferFeeFen: 0, otherFeesFen: 0, leavesQty: o.left,
        },
      };
    }
  }
}

describe('the working-order index of the orders projection', () => {
  it('matches an index built from the working list after any order events', () => {
    fc.assert(fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
      const qtyOf = new Map<string, { symbol: string; side: 'buy' | 'sell'; left: number }>();
      let s = emptyOrders;
      for (const x of steps) {
        const e = eventOf(x, qtyOf);
        if (e) s = evolveOrders(s, e);
        const v = ordersView(s);
        const got = v.workingIndex(), want = indexWorking(v.working());
        expect(got.reservedFen).toBe(want.reservedFen);
        expect(got.buySymbolCount).toBe(want.buySymbolCount);
        expect([...got.buySymbols()].sort()).toEqual([...want.buySymbols()].sort());
        expect([...got.sells()].map((o) => o.orderId).sort()).toEqual([...want.sells()].map((o) => o.orderId).sort());
        for (const sym of SYMBOLS) expect(got.of(sym)).toEqual(want.of(sym));
        expect(workingOf(s.open)).toEqual(s.working); // rebuilt from scratch (snapshots) = kept up to date
      }
    }));
  });
});
