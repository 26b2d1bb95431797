import type { DomainEvent, OrdersView, Side, TradingDay, WorkingOrderView } from '../domain/index.js';
import { mulDivRound } from '../domain/index.js';

export type OrderStatus =
  | 'requested' | 'approved' | 'submitted' | 'accepted' | 'partially_filled'
  | 'filled' | 'denied' | 'rejected' | 'expired' | 'cancelled';

export const FINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(['filled', 'denied', 'rejected', 'expired', 'cancelled']);

export interface OrderRecord {
  readonly orderId: string;
  readonly day: TradingDay;
  readonly symbol: string;
  readonly side: Side;
  readonly qty: number;
  readonly filledQty: number;
  readonly filledNotionalFen: number;
  readonly status: OrderStatus;
  readonly reservedFen: number;
}

/**
 * Open orders in full, finished ones as counts: a finished order's whole history stays in the
 * journal, and keeping every order here would make each fold step O(orders ever placed).
 */
export interface OrdersState {
  readonly open: ReadonlyMap<string, OrderRecord>;
  readonly finished: Readonly<Record<string, number>>;
  readonly filledQtyTotal: number;
}

export const emptyOrders: OrdersState = Object.freeze({ open: new Map(), finished: Object.freeze({}), filledQtyTotal: 0 });

function update(s: OrdersState, id: string, f: (o: OrderRecord) => OrderRecord): OrdersState {
  const o = s.open.get(id);
  if (!o) return s; // unknown or already final: projections never throw
  const next = f(o);
  const open = new Map(s.open);
  if (FINAL_STATUSES.has(next.status)) {
    open.delete(id);
    return { ...s, open, finished: { ...s.finished, [next.status]: (s.finished[next.status] ?? 0) + 1 } };
  }
  open.set(id, next);
  return { ...s, open };
}

export function evolveOrders(s: OrdersState, e: DomainEvent): OrdersState {
  switch (e.type) {
    case 'OrderRequested': {
      const d = e.data;
      if (s.open.has(d.orderId)) return s;
      const open = new Map(s.open);
      open.set(d.orderId, {
        orderId: d.orderId, day: d.day as TradingDay, symbol: d.symbol, side: d.side, qty: d.qty, filledQty: 0,
        filledNotionalFen: 0, status: 'requested', reservedFen: 0,
      });
      return { ...s, open };
    }
    case 'OrderApproved':
      return update(s, e.data.orderId, (o) => ({ ...o, status: 'approved', reservedFen: e.data.reservedFen }));
    case 'OrderDenied': return update(s, e.data.orderId, (o) => ({ ...o, status: 'denied', reservedFen: 0 }));
    case 'OrderSubmitted': return update(s, e.data.orderId, (o) => ({ ...o, status: 'submitted' }));
    case 'OrderAccepted': return update(s, e.data.orderId, (o) => ({ ...o, status: 'accepted' }));
    case 'OrderRejected': return update(s, e.data.orderId, (o) => ({ ...o, status: 'rejected', reservedFen: 0 }));
    case 'OrderExpired': return update(s, e.data.orderId, (o) => ({ ...o, status: 'expired', reservedFen: 0 }));
    case 'OrderCancelled': return update(s, e.data.orderId, (o) => ({ ...o, status: 'cancelled', reservedFen: 0 }));
    case 'OrderFilled': {
      const f = e.data;
      const next = update(s, f.orderId, (o) => {
        const filledQty = o.filledQty + f.qty;
        const done = filledQty >= o.qty;
        return {
          ...o, filledQty, filledNotionalFen: o.filledNotionalFen + f.notionalFen,
          status: done ? 'filled' : 'partially_filled',
          // Release the reservation in proportion to what is no longer open.
          reservedFen: done ? 0 : mulDivRound(o.reservedFen, o.qty - filledQty, o.qty - o.filledQty, 'halfUp'),
        };
      });
      return next === s ? s : { ...next, filledQtyTotal: next.filledQtyTotal + f.qty };
    }
    default:
      return s;
  }
}

const WORKING: ReadonlySet<OrderStatus> = new Set(['approved', 'submitted', 'accepted', 'partially_filled']);

export function ordersView(s: OrdersState): OrdersView {
  return {
    working(): readonly WorkingOrderView[] {
      const out: WorkingOrderView[] = [];
      for (const o of s.open.values()) if (WORKING.has(o.status)) out.push(o);
      return out.sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));
    },
  };
}
