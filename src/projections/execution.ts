import type { DataOf, DomainEvent, ExecOrderView, OrderRequest } from '../domain/index.js';
import { deleteIn, PersistentMap, setIn } from '../domain/persistentMap.js';

/** One approved order on its way to, or at, the broker. */
export interface ExecOrder extends ExecOrderView {
  readonly request: OrderRequest;
  /** `clientOrderId` is '' until OrderSubmitted names it. */
  readonly submitted: boolean;
}

/**
 * The engine's view of its orders at the broker: what to release, what to ask the broker about on
 * resume, and what a broker's cumulative report adds. Kept apart from the hashed projections (it
 * only re-indexes order events they already fold). Orders leave `open` when they end; the client
 * ids of at least the last ENDED_MEMORY ended orders stay in `ended` and `endedBefore` (two
 * generations: when `ended` fills up it becomes `endedBefore`), so a late or repeated report about
 * one is recognised. The maps are persistent (an update shares all but one bucket), so an order
 * event costs little even in a full-market backtest with thousands of orders open.
 */
export interface ExecutionState {
  /** Requested, approved or at the broker, by orderId. */
  readonly open: ReadonlyMap<string, ExecOrder>;
  /** clientOrderId → orderId of the open orders at the broker. */
  readonly byClient: ReadonlyMap<string, string>;
  /** clientOrderId → shares filled when the order ended, for the most recently ended orders (fewer than ENDED_MEMORY). */
  readonly ended: ReadonlyMap<string, number>;
  /** The generation of ended orders before `ended` (ENDED_MEMORY of them, or none yet). */
  readonly endedBefore: ReadonlyMap<string, number>;
}

/** How many ended orders a late broker report is still recognised for (more than a day's orders of any account). */
export const ENDED_MEMORY = 512;

export const emptyExecution: ExecutionState = Object.freeze({
  open: PersistentMap.empty<ExecOrder>(), byClient: PersistentMap.empty<string>(), ended: PersistentMap.empty<number>(), endedBefore: PersistentMap.empty<number>(),
});

const ORDER_TYPES = new Set([
  'OrderRequested', 'OrderApproved', 'OrderDenied', 'OrderSubmitted', 'OrderAccepted', 'OrderRejected', 'OrderFilled',
  'OrderExpired', 'OrderCancelled', 'OrderCancelRequested',
]);

/** Pure fold; never throws (an event about an order it does not hold changes nothing). */
export function evolveExecution(s: ExecutionState, e: DomainEvent): ExecutionState {
  if (!ORDER_TYPES.has(e.type)) return s;
  const orderId = (e.data as { orderId: string }).orderId;
  if (e.type === 'OrderRequested') {
    const r = e.data;
    const o: ExecOrder = {
      orderId, clientOrderId: '', symbol: r.symbol, side: r.side, orderedQty: r.qty, acknowledged: false, ended: false,
      filledQty: 0, filledNotionalFen: 0, feeFen: 0, fills: 0, cancelReason: null, request: r, submitted: false,
    };
    return { ...s, open: setIn(s.open, orderId, o) };
  }
  const o = s.open.get(orderId);
  if (!o) return s;
  const put = (next: ExecOrder): ExecutionState => ({ ...s, open: setIn(s.open, orderId, next) });
  const end = (filledQty: number): ExecutionState => {
    const open = deleteIn(s.open, orderId);
    if (!o.submitted) return { ...s, open };
    const byClient = deleteIn(s.byClient, o.clientOrderId);
    const ended = setIn(s.ended, o.clientOrderId, filledQty);
    return ended.size >= ENDED_MEMORY
      ? { open, byClient, ended: PersistentMap.empty<number>(), endedBefore: ended }
      : { open, byClient, ended, endedBefore: s.endedBefore };
  };
  switch (e.type) {
    case 'OrderDenied': case 'OrderRejected': case 'OrderExpired': case 'OrderCancelled': return end(o.filledQty);
    case 'OrderSubmitted': {
      const next = { ...o, submitted: true, clientOrderId: e.data.clientOrderId };
      return { ...put(next), byClient: setIn(s.byClient, e.data.clientOrderId, orderId) };
    }
    case 'OrderAccepted': return put({ ...o, acknowledged: true });
    case 'OrderCancelRequested': return put({ ...o, cancelReason: e.data.reason });
    case 'OrderFilled': {
      const f: DataOf<'OrderFilled'> = e.data;
      const filledQty = o.filledQty + f.qty;
      if (f.leavesQty === 0) return end(filledQty);
      return put({
        ...o, acknowledged: true, filledQty, filledNotionalFen: o.filledNotionalFen + f.notionalFen, fills: o.fills + 1,
        feeFen: o.feeFen + f.commissionFen + f.stampDutyFen + f.transferFeeFen + f.otherFeesFen,
      });
    }
    default: return s;
  }
}

/** What a report about `clientOrderId` is judged against: the open order, or the record that it ended. */
export function execViewOf(s: ExecutionState, clientOrderId: string): ExecOrderView | undefined {
  const id = s.byClient.get(clientOrderId);
  const o = id === undefined ? undefined : s.open.get(id);
  if (o) return o;
  const filled = s.ended.get(clientOrderId) ?? s.endedBefore.get(clientOrderId);
  if (filled === undefined) return undefined;
  return {
    orderId: clientOrderId, clientOrderId, symbol: '', side: 'buy', orderedQty: filled, acknowledged: true, ended: true,
    filledQty: filled, filledNotionalFen: 0, feeFen: 0, fills: 0, cancelReason: null,
  };
}

const byOrderId = (a: ExecOrder, b: ExecOrder): number => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0);

/** Approved orders not yet handed to the broker, in order id order (the release step sends them). */
export const ordersToRelease = (s: ExecutionState, approved: (orderId: string) => boolean): ExecOrder[] =>
  [...s.open.values()].filter((o) => !o.submitted && approved(o.orderId)).sort(byOrderId);

/** Orders at the broker that have not ended, in order id order. */
export const ordersAtBroker = (s: ExecutionState): ExecOrder[] => [...s.open.values()].filter((o) => o.submitted).sort(byOrderId);
