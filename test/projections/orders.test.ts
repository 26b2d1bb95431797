import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/domain/events/domainEvent.js';
import { emptyOrders, evolveOrders, ordersView, type OrdersState } from '../../src/projections/orders.js';

const D = '2024-03-01';
const requested = (orderId: string, qty = 1_000, side: 'buy' | 'sell' = 'buy'): DomainEvent => ({
  type: 'OrderRequested',
  data: { orderId, day: D, symbol: '600000.SH', side, qty, orderType: 'market', limitPrice: null, timeInForce: 'day', refPrice: 10_000, signalId: null },
});
const approved = (orderId: string, reservedFen: number): DomainEvent => ({ type: 'OrderApproved', data: { orderId, ruleVersion: 'v', reservedFen } });
const filled = (orderId: string, qty: number, leavesQty: number): DomainEvent => ({
  type: 'OrderFilled',
  data: {
    orderId, fillId: `${orderId}-${leavesQty}`, day: D, symbol: '600000.SH', side: 'buy', qty, price: 10_000, notionalFen: qty * 1_000,
    commissionFen: 0, stampDutyFen: 0, transferFeeFen: 0, otherFeesFen: 0, leavesQty,
  },
});
/** The broker's side of the order up to its acknowledgement: a fill is legal only after it. */
const live = (orderId: string): DomainEvent[] => [
  { type: 'OrderSubmitted', data: { orderId, broker: 'sim', clientOrderId: orderId } },
  { type: 'OrderAccepted', data: { orderId, brokerOrderId: `b-${orderId}` } },
];
const fold = (events: readonly DomainEvent[], from: OrdersState = emptyOrders): OrdersState => events.reduce(evolveOrders, from);

describe('orders projection', () => {
  it('walks requested → approved → submitted → accepted → partially_filled → filled', () => {
    const steps: DomainEvent[] = [
      requested('o1'), approved('o1', 1_000_510),
      { type: 'OrderSubmitted', data: { orderId: 'o1', broker: 'sim', clientOrderId: 'o1' } },
      { type: 'OrderAccepted', data: { orderId: 'o1', brokerOrderId: 'b1' } },
      filled('o1', 400, 600),
    ];
    const statuses: string[] = [];
    let s = emptyOrders;
    for (const e of steps) { s = evolveOrders(s, e); statuses.push(s.open.get('o1')!.status); }
    expect(statuses).toEqual(['requested', 'approved', 'submitted', 'accepted', 'partially_filled']);
    // Reservation released pro rata: 1,000,510 × 600/1,000 = 600,306.
    expect(s.open.get('o1')).toMatchObject({ filledQty: 400, filledNotionalFen: 400_000, reservedFen: 600_306 });

    s = evolveOrders(s, filled('o1', 600, 0));
    expect(s.open.has('o1')).toBe(false);
    expect(s.finished).toEqual({ filled: 1 });
    expect(s.filledQtyTotal).toBe(1_000);
  });

  it('a second partial fill releases the reservation in proportion to what was still open', () => {
    // 1,000 reserved 1,000,510; fill 400 → 600,306; fill 300 of the remaining 600 → 600,306 × 300/600 = 300,153.
    const s = fold([requested('o1'), approved('o1', 1_000_510), ...live('o1'), filled('o1', 400, 600), filled('o1', 300, 300)]);
    expect(s.open.get('o1')).toMatchObject({ status: 'partially_filled', filledQty: 700, reservedFen: 300_153 });
  });

  it.each([
    ['expired', { type: 'OrderExpired', data: { orderId: 'o1', reason: 'END_OF_DAY', details: '' } }],
    ['rejected', { type: 'OrderRejected', data: { orderId: 'o1', reason: 'PRICE_LIMIT', details: '' } }],
    ['cancelled', { type: 'OrderCancelled', data: { orderId: 'o1', reason: 'USER', by: 'user', details: '' } }],
  ] as const)('%s: the order leaves the open set, its reservation with it, and is counted', (status, e) => {
    const s = fold([requested('o1'), approved('o1', 500_000), ...live('o1'), requested('o2'), approved('o2', 70_000), e as DomainEvent]);
    expect(s.open.has('o1')).toBe(false);
    expect(s.finished).toEqual({ [status]: 1 });
    expect(ordersView(s).working().reduce((a, o) => a + o.reservedFen, 0)).toBe(70_000);
  });

  it('a denied order is counted and never works', () => {
    const s = fold([requested('o1'), { type: 'OrderDenied', data: { orderId: 'o1', reason: 'LOT_SIZE', rule: 'lotSize', details: '', ruleVersion: 'v' } }]);
    expect(s.open.size).toBe(0);
    expect(s.finished).toEqual({ denied: 1 });
  });

  it('finished counts add up across orders', () => {
    const s = fold([
      requested('a'), approved('a', 1), ...live('a'), filled('a', 1_000, 0),
      requested('b'), approved('b', 1), ...live('b'), filled('b', 1_000, 0),
      requested('c'), approved('c', 1), ...live('c'), { type: 'OrderExpired', data: { orderId: 'c', reason: 'END_OF_DAY', details: '' } },
    ]);
    expect(s.finished).toEqual({ filled: 2, expired: 1 });
    expect(s.filledQtyTotal).toBe(2_000);
  });

  it('events for unknown or finished orders, and a duplicate request, change nothing but the illegal-transition count', () => {
    const unchangedButCounted = (before: OrdersState, after: OrdersState): void => {
      expect(after).toEqual({ ...before, illegalTransitions: before.illegalTransitions + 1 });
      expect(after.open).toBe(before.open);
    };
    const s = fold([requested('o1'), approved('o1', 10), ...live('o1'), filled('o1', 1_000, 0)]);
    expect(s.illegalTransitions).toBe(0);
    unchangedButCounted(s, evolveOrders(s, filled('o1', 100, 0)));
    unchangedButCounted(s, evolveOrders(s, approved('zz', 5)));
    const s2 = fold([requested('o2', 500)]);
    unchangedButCounted(s2, evolveOrders(s2, requested('o2', 900)));
  });

  it('a fill before the broker accepted the order is refused and counted', () => {
    const s = fold([requested('o1'), approved('o1', 10), { type: 'OrderSubmitted', data: { orderId: 'o1', broker: 'sim', clientOrderId: 'o1' } }]);
    const after = evolveOrders(s, filled('o1', 1_000, 0));
    expect(after.open).toBe(s.open);
    expect(after.filledQtyTotal).toBe(0);
    expect(after.illegalTransitions).toBe(1);
  });

  it('an overfill or a fill whose leavesQty disagrees is refused; the order stays as it was', () => {
    const s = fold([requested('o1'), approved('o1', 1_000), ...live('o1'), filled('o1', 400, 600)]);
    for (const bad of [filled('o1', 700, 0), filled('o1', 100, 0)]) {
      const after = evolveOrders(s, bad);
      expect(after.open.get('o1')).toBe(s.open.get('o1'));
      expect(after.illegalTransitions).toBe(1);
    }
  });

  it('each record carries its lifecycle state', () => {
    const s = fold([requested('o1'), approved('o1', 1_000), ...live('o1'), filled('o1', 400, 600)]);
    expect(s.open.get('o1')!.lifecycle).toEqual({
      orderId: 'o1', status: 'PartiallyFilled', approved: true, end: null,
      orderedQty: 1_000, filledQty: 400, leavesQty: 600, filledNotionalFen: 400_000,
    });
  });

  it('working() lists approved-and-not-final orders only, by order id', () => {
    const s = fold([
      requested('o3'), approved('o3', 3), requested('o1'), approved('o1', 1),
      requested('o2'), // requested only: not yet working
      requested('o4'), approved('o4', 4), ...live('o4'), { type: 'OrderExpired', data: { orderId: 'o4', reason: 'END_OF_DAY', details: '' } },
    ]);
    expect(ordersView(s).working().map((o) => o.orderId)).toEqual(['o1', 'o3']);
  });
});
