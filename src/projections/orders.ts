import type { DomainEvent, OrdersView, Side, TradingDay, WorkingOrderView } from '../domain/index.js';
import { mulDivRound } from '../domain/index.js';
import type { OrderEvent, OrderLifecycle } from '../domain/orders/index.js';
import { applyOrderEvent, isOrderEvent, isTerminalStatus } from '../domain/orders/index.js';

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
  /** The state machine's view of the order; `qty`, `filledQty`, `filledNotionalFen` and `status` follow from it. */
  readonly lifecycle: OrderLifecycle;
}

/**
 * Open orders in full, finished ones as counts: a finished order's whole history stays in the
 * journal, and keeping every order here would make each fold step O(orders ever placed).
 */
export interface OrdersState {
  readonly open: ReadonlyMap<string, OrderRecord>;
  readonly finished: Readonly<Record<string, number>>;
  readonly filledQtyTotal: number;
  /**
   * Order events the lifecycle refused (see `applyOrderEvent`), which changed nothing else. Since
   * finished orders are kept only as counts, an event after an order ended counts here as one for
   * an unknown order; a request reusing a finished order's id is not detected.
   */
  readonly illegalTransitions: number;
}

export const emptyOrders: OrdersState = Object.freeze({
  open: new Map(), finished: Object.freeze({}), filledQtyTotal: 0, illegalTransitions: 0,
});

/** The projection's status names, kept from before the state machine: approval and gate denial have their own. */
export function orderStatusOf(l: OrderLifecycle): OrderStatus {
  switch (l.status) {
    case 'New': return l.approved ? 'approved' : 'requested';
    case 'Submitted': return 'submitted';
    case 'Accepted': return 'accepted';
    case 'PartiallyFilled': return 'partially_filled';
    case 'Filled': return 'filled';
    case 'Rejected': return l.end.by === 'gate' ? 'denied' : 'rejected';
    case 'Expired': return 'expired';
    case 'Cancelled': return 'cancelled';
  }
}

/** Cash still reserved once `prev` became `lc` through `e`. */
function reservedAfter(prev: OrderRecord, lc: OrderLifecycle, e: OrderEvent): number {
  if (isTerminalStatus(lc.status)) return 0;
  if (e.type === 'OrderApproved') return e.data.reservedFen;
  if (e.type !== 'OrderFilled') return prev.reservedFen;
  // Release the reservation in proportion to what is no longer open.
  return mulDivRound(prev.reservedFen, lc.leavesQty, prev.lifecycle.leavesQty, 'halfUp');
}

/** Transitions come from the order lifecycle; a refused event is counted and changes nothing else (never throws). */
export function evolveOrders(s: OrdersState, e: DomainEvent): OrdersState {
  if (!isOrderEvent(e)) return s;
  const id = e.data.orderId;
  const prev = s.open.get(id);
  const r = applyOrderEvent(prev?.lifecycle, e);
  if (!r.ok) return { ...s, illegalTransitions: s.illegalTransitions + 1 };
  const lc = r.state;
  const status = orderStatusOf(lc);
  const derived = { qty: lc.orderedQty, filledQty: lc.filledQty, filledNotionalFen: lc.filledNotionalFen, status, lifecycle: lc };
  let next: OrderRecord;
  if (prev) next = { ...prev, ...derived, reservedFen: reservedAfter(prev, lc, e) };
  else if (e.type === 'OrderRequested') {
    const d = e.data;
    next = { orderId: d.orderId, day: d.day as TradingDay, symbol: d.symbol, side: d.side, reservedFen: 0, ...derived };
  } else return s; // unreachable: the lifecycle only starts an order on OrderRequested
  const open = new Map(s.open);
  const filledQtyTotal = s.filledQtyTotal + (e.type === 'OrderFilled' ? e.data.qty : 0);
  if (FINAL_STATUSES.has(status)) {
    open.delete(id);
    return { ...s, open, filledQtyTotal, finished: { ...s.finished, [status]: (s.finished[status] ?? 0) + 1 } };
  }
  open.set(id, next);
  return { ...s, open, filledQtyTotal };
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
