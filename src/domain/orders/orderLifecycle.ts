import type { EventOf } from '../events/domainEvent.js';
import type { BrokerReason, CancelReason, DenyReason } from '../events/orders.js';
import type { Rounding } from '../money.js';
import { mulDivRound } from '../money.js';

/**
 * The order lifecycle as a pure state machine: one order event moves one order from one state to
 * the next, or is refused with a coded error and changes nothing.
 *
 *   (none) ──OrderRequested──▶ New{approved:false}
 *   New{approved:false} ──OrderApproved──▶ New{approved:true}
 *   New{approved:false} ──OrderDenied(DenyReason)──▶ Rejected{by:'gate'}
 *   New{approved:true}  ──OrderSubmitted──▶ Submitted
 *   Submitted ──OrderAccepted──▶ Accepted
 *   Submitted | Accepted ──OrderRejected(BrokerReason)──▶ Rejected{by:'broker'}
 *   Accepted | PartiallyFilled ──OrderFilled──▶ PartiallyFilled (leaves > 0) | Filled (leaves = 0)
 *   Submitted | Accepted | PartiallyFilled ──OrderExpired(BrokerReason)──▶ Expired
 *   New | Submitted | Accepted | PartiallyFilled ──OrderCancelled(CancelReason)──▶ Cancelled
 *   Filled, Rejected, Expired, Cancelled: terminal, every event refused (ALREADY_FINAL).
 *
 * Approval is a flag on New, not a state of its own: the gate decides before anything leaves the
 * system, so an approved order is still new to the broker; only an approved order may be submitted,
 * and the gate decides once (a second approval, or a denial after approval, is refused). A broker
 * rejects what it has received and not yet traded; once part is filled, the remainder ends as
 * Expired or Cancelled. A fill needs the broker's acknowledgement first.
 */

export type OrderEventType =
  | 'OrderRequested' | 'OrderApproved' | 'OrderDenied' | 'OrderSubmitted' | 'OrderAccepted'
  | 'OrderRejected' | 'OrderFilled' | 'OrderExpired' | 'OrderCancelled';
export type OrderEvent = EventOf<OrderEventType>;

const ORDER_EVENT_TYPES: ReadonlySet<string> = new Set<OrderEventType>([
  'OrderRequested', 'OrderApproved', 'OrderDenied', 'OrderSubmitted', 'OrderAccepted',
  'OrderRejected', 'OrderFilled', 'OrderExpired', 'OrderCancelled',
]);
export const isOrderEvent = (e: { readonly type: string }): e is OrderEvent => ORDER_EVENT_TYPES.has(e.type);

export const LIFECYCLE_STATUSES = [
  'New', 'Submitted', 'Accepted', 'PartiallyFilled', 'Filled', 'Cancelled', 'Rejected', 'Expired',
] as const;
export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];
export type TerminalStatus = 'Filled' | 'Cancelled' | 'Rejected' | 'Expired';
const TERMINAL: ReadonlySet<LifecycleStatus> = new Set<TerminalStatus>(['Filled', 'Cancelled', 'Rejected', 'Expired']);
export const isTerminalStatus = (s: LifecycleStatus): s is TerminalStatus => TERMINAL.has(s);

interface LifecycleBase {
  readonly orderId: string;
  /** Passed the pre-trade gate (`OrderApproved`). */
  readonly approved: boolean;
  /** Shares ordered, filled, and not filled: `filledQty + leavesQty = orderedQty` in every state. */
  readonly orderedQty: number;
  readonly filledQty: number;
  /** While open, what can still fill; once ended, what never will. */
  readonly leavesQty: number;
  /** Sum of the fills' notional, fen; with `filledQty` it gives the exact average fill price. */
  readonly filledNotionalFen: number;
}

/** Why an order ended without filling in full, typed by who ended it. */
export type GateDenial = { readonly by: 'gate'; readonly reason: DenyReason };
export type BrokerEnd = { readonly by: 'broker'; readonly reason: BrokerReason };
export type Cancellation = { readonly by: 'cancel'; readonly reason: CancelReason };

export type OrderLifecycle =
  | (LifecycleBase & { readonly status: 'New' | 'Submitted' | 'Accepted' | 'PartiallyFilled' | 'Filled'; readonly end: null })
  | (LifecycleBase & { readonly status: 'Rejected'; readonly end: GateDenial | BrokerEnd })
  | (LifecycleBase & { readonly status: 'Expired'; readonly end: BrokerEnd })
  | (LifecycleBase & { readonly status: 'Cancelled'; readonly end: Cancellation });

export type LifecycleErrorCode =
  | 'UNKNOWN_ORDER' // an event other than OrderRequested for an order with no state
  | 'ORDER_MISMATCH' // the event names another order than the state
  | 'ILLEGAL_TRANSITION' // the event is not allowed from the current state
  | 'ALREADY_FINAL' // any event after a terminal state
  | 'INVALID_QUANTITY' // a quantity or notional that is not a (positive) safe integer
  | 'OVERFILL' // the fill would take filled above ordered
  | 'LEAVES_MISMATCH'; // the fill's leavesQty is not ordered − filled after it

export interface LifecycleError { readonly code: LifecycleErrorCode; readonly message: string }
export type LifecycleResult =
  | { readonly ok: true; readonly state: OrderLifecycle }
  | { readonly ok: false; readonly error: LifecycleError };

/** New is split by approval because the table below differs for the two. */
type Phase = 'New/pending' | 'New/approved' | 'Submitted' | 'Accepted' | 'PartiallyFilled';
const LEGAL_FROM: Readonly<Record<OrderEventType, readonly Phase[]>> = {
  OrderRequested: [],
  OrderApproved: ['New/pending'],
  OrderDenied: ['New/pending'],
  OrderSubmitted: ['New/approved'],
  OrderAccepted: ['Submitted'],
  OrderRejected: ['Submitted', 'Accepted'],
  OrderFilled: ['Accepted', 'PartiallyFilled'],
  OrderExpired: ['Submitted', 'Accepted', 'PartiallyFilled'],
  OrderCancelled: ['New/pending', 'New/approved', 'Submitted', 'Accepted', 'PartiallyFilled'],
};

const phaseOf = (s: OrderLifecycle): Phase | null =>
  s.status === 'New' ? (s.approved ? 'New/approved' : 'New/pending')
    : s.status === 'Submitted' || s.status === 'Accepted' || s.status === 'PartiallyFilled' ? s.status : null;

const isPositiveInt = (n: number): boolean => Number.isSafeInteger(n) && n > 0;
const fail = (code: LifecycleErrorCode, message: string): LifecycleResult => ({ ok: false, error: { code, message } });
const ok = (state: OrderLifecycle): LifecycleResult => ({ ok: true, state });

/** Applies one order event to one order's state (`undefined`: never requested). Pure; never throws. */
export function applyOrderEvent(s: OrderLifecycle | undefined, e: OrderEvent): LifecycleResult {
  const id = e.data.orderId;
  if (s === undefined) {
    if (e.type !== 'OrderRequested') return fail('UNKNOWN_ORDER', `${e.type} for order ${id}, which was never requested`);
    if (!isPositiveInt(e.data.qty)) return fail('INVALID_QUANTITY', `order ${id} requests ${e.data.qty} shares`);
    const qty = e.data.qty;
    return ok({ orderId: id, status: 'New', approved: false, end: null, orderedQty: qty, filledQty: 0, leavesQty: qty, filledNotionalFen: 0 });
  }
  if (id !== s.orderId) return fail('ORDER_MISMATCH', `${e.type} for order ${id} applied to order ${s.orderId}`);
  if (isTerminalStatus(s.status)) return fail('ALREADY_FINAL', `${e.type} after order ${id} ended ${s.status}`);
  const phase = phaseOf(s);
  if (phase === null || !LEGAL_FROM[e.type].includes(phase)) {
    return fail('ILLEGAL_TRANSITION', `${e.type} is not allowed for order ${id} in state ${phase ?? s.status}`);
  }
  switch (e.type) {
    case 'OrderApproved': return ok({ ...s, status: 'New', approved: true, end: null });
    case 'OrderDenied': return ok({ ...s, status: 'Rejected', end: { by: 'gate', reason: e.data.reason } });
    case 'OrderSubmitted': return ok({ ...s, status: 'Submitted', end: null });
    case 'OrderAccepted': return ok({ ...s, status: 'Accepted', end: null });
    case 'OrderRejected': return ok({ ...s, status: 'Rejected', end: { by: 'broker', reason: e.data.reason } });
    case 'OrderExpired': return ok({ ...s, status: 'Expired', end: { by: 'broker', reason: e.data.reason } });
    case 'OrderCancelled': return ok({ ...s, status: 'Cancelled', end: { by: 'cancel', reason: e.data.reason } });
    case 'OrderFilled': return applyFill(s, e.data);
    case 'OrderRequested': return fail('ILLEGAL_TRANSITION', `order ${id} is requested twice`); // LEGAL_FROM refuses it first
  }
}

function applyFill(s: OrderLifecycle, f: EventOf<'OrderFilled'>['data']): LifecycleResult {
  if (!isPositiveInt(f.qty) || !Number.isSafeInteger(f.notionalFen) || f.notionalFen < 0) {
    return fail('INVALID_QUANTITY', `fill ${f.fillId} of order ${s.orderId}: qty ${f.qty}, notional ${f.notionalFen} fen`);
  }
  const filledQty = s.filledQty + f.qty;
  if (filledQty > s.orderedQty) {
    return fail('OVERFILL', `fill ${f.fillId} of ${f.qty} would make ${filledQty} filled of ${s.orderedQty} ordered (order ${s.orderId})`);
  }
  const leavesQty = s.orderedQty - filledQty;
  if (f.leavesQty !== leavesQty) {
    return fail('LEAVES_MISMATCH', `fill ${f.fillId} says ${f.leavesQty} leaves, order ${s.orderId} has ${leavesQty} after it`);
  }
  return ok({
    ...s, status: leavesQty === 0 ? 'Filled' : 'PartiallyFilled', end: null,
    filledQty, leavesQty, filledNotionalFen: s.filledNotionalFen + f.notionalFen,
  });
}

/**
 * Volume-weighted average fill price in 0.001 CNY per share, from integers only:
 * filled notional (fen) × 10 / filled shares, with the named rounding; `null` before any fill.
 */
export const averageFillPriceMilli = (s: OrderLifecycle, rounding: Rounding = 'halfUp'): number | null =>
  s.filledQty === 0 ? null : mulDivRound(s.filledNotionalFen, 10, s.filledQty, rounding);
