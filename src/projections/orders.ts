import type { DomainEvent, OrdersView, Side, TradingDay, WorkingIndex, WorkingOrderView } from '../domain/index.js';
import { mulDivRound } from '../domain/index.js';
import { deleteIn, PersistentMap, setIn } from '../domain/persistentMap.js';
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
  /** The working orders (approved, not final) indexed for the gate; derived from `open`, kept in step with it. */
  readonly working: WorkingState;
}

/** Working orders by symbol (each list in order id order), their reserved cash, symbols with a working buy, and the sells. */
export interface WorkingState {
  readonly bySymbol: ReadonlyMap<string, readonly OrderRecord[]>;
  readonly reservedFen: number;
  /** Symbol → number of working buys on it. */
  readonly buys: ReadonlyMap<string, number>;
  readonly sells: ReadonlyMap<string, OrderRecord>;
}

export const emptyWorking: WorkingState = Object.freeze({
  bySymbol: PersistentMap.empty<readonly OrderRecord[]>(), reservedFen: 0, buys: PersistentMap.empty<number>(), sells: PersistentMap.empty<OrderRecord>(),
});

export const emptyOrders: OrdersState = Object.freeze({
  open: PersistentMap.empty<OrderRecord>(), finished: Object.freeze({}), filledQtyTotal: 0, illegalTransitions: 0, working: emptyWorking,
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
  const filledQtyTotal = s.filledQtyTotal + (e.type === 'OrderFilled' ? e.data.qty : 0);
  if (FINAL_STATUSES.has(status)) {
    return {
      ...s, open: deleteIn(s.open, id), filledQtyTotal, finished: { ...s.finished, [status]: (s.finished[status] ?? 0) + 1 },
      working: reindex(s.working, prev, null),
    };
  }
  return { ...s, open: setIn(s.open, id, next), filledQtyTotal, working: reindex(s.working, prev, next) };
}

const WORKING: ReadonlySet<OrderStatus> = new Set(['approved', 'submitted', 'accepted', 'partially_filled']);
const isWorking = (o: OrderRecord | null | undefined): o is OrderRecord => o != null && WORKING.has(o.status);
const byOrderId = (a: WorkingOrderView, b: WorkingOrderView): number => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0);

/** The working index after an order went from `prev` to `next` (either may be absent or not working). */
function reindex(w: WorkingState, prev: OrderRecord | undefined, next: OrderRecord | null): WorkingState {
  const was = isWorking(prev), is = isWorking(next);
  if (!was && !is) return w;
  const o = (is ? next : prev)!;
  let list = w.bySymbol.get(o.symbol) ?? [];
  if (was) list = list.filter((x) => x.orderId !== o.orderId);
  if (is) list = [...list, next!].sort(byOrderId);
  const bySymbol = list.length > 0 ? setIn(w.bySymbol, o.symbol, list) : deleteIn(w.bySymbol, o.symbol);
  const reservedFen = w.reservedFen - (was ? prev!.reservedFen : 0) + (is ? next!.reservedFen : 0);
  let buys = w.buys, sells = w.sells;
  if (o.side === 'buy' && was !== is) {
    const n = (buys.get(o.symbol) ?? 0) + (is ? 1 : -1);
    buys = n > 0 ? setIn(buys, o.symbol, n) : deleteIn(buys, o.symbol);
  }
  if (o.side === 'sell') sells = is ? setIn(sells, o.orderId, next!) : deleteIn(sells, o.orderId);
  return { bySymbol, reservedFen, buys, sells };
}

/** The working state of an `open` map (snapshots, hand-built states), from scratch. */
export function workingOf(open: ReadonlyMap<string, OrderRecord>): WorkingState {
  let w = emptyWorking;
  for (const o of open.values()) w = reindex(w, undefined, o);
  return w;
}

const NO_ORDERS: readonly OrderRecord[] = Object.freeze([]);

export function ordersView(s: OrdersState): OrdersView {
  const w = s.working;
  return {
    working(): readonly WorkingOrderView[] {
      const out: WorkingOrderView[] = [];
      for (const l of w.bySymbol.values()) out.push(...l);
      return out.sort(byOrderId);
    },
    workingIndex(): WorkingIndex {
      return {
        of: (symbol) => w.bySymbol.get(symbol) ?? NO_ORDERS,
        reservedFen: w.reservedFen, buySymbolCount: w.buys.size, buySymbols: () => w.buys.keys(), sells: () => w.sells.values(),
      };
    },
  };
}
