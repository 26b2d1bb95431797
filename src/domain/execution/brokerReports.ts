import type { BrokerAnswer, OrderReport } from '../ports/broker.js';
import type { CancelReason } from '../events/orders.js';
import type { Side } from '../events/primitives.js';
import { mulDivRound } from '../money.js';

/** What the journal holds about one order at the broker (see projections/execution.ts). */
export interface ExecOrderView {
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly orderedQty: number;
  /** False until the broker's first acknowledgement is journaled. */
  readonly acknowledged: boolean;
  /** The order has ended in the journal (filled, rejected, expired, cancelled): later reports may only repeat it. */
  readonly ended: boolean;
  readonly filledQty: number;
  readonly filledNotionalFen: number;
  readonly feeFen: number;
  readonly fills: number;
  /** Why we asked the broker to cancel, once we did. */
  readonly cancelReason: CancelReason | null;
}

/** How a broker's one fee figure is split into the journal's fee fields (stamp duty and transfer fee by the dated tables). */
export type FeeSplit = (side: Side, symbol: string, notionalFen: number, feeFen: number, day: string) =>
  { commissionFen: number; stampDutyFen: number; transferFeeFen: number; otherFeesFen: number };

export type ReportOutcome =
  | { readonly kind: 'events'; readonly events: readonly BrokerAnswer[] }
  | { readonly kind: 'problem'; readonly reason: string };

const problem = (reason: string): ReportOutcome => ({ kind: 'problem', reason });

/**
 * The events a broker's cumulative report adds to what the journal already holds for that order
 * (FIX practice: CumQty/AvgPx, applied as differences): an acknowledgement the first time the
 * broker shows it has the order, a fill for each increase of the filled quantity (itemised when
 * the broker itemises it, else from the cumulative notional and fee), and the order's end. A
 * report that repeats what is journaled adds nothing, so a repeated or re-read message is harmless;
 * one that contradicts it (more than ordered, a rejection after a fill, a report about an order
 * that already ended with more fills) is a problem, journaled and alerted, and changes nothing.
 * `day` is the trading day fills not itemised are booked on. Pure.
 */
export function eventsOfReport(o: ExecOrderView | undefined, r: OrderReport, day: string, splitFee: FeeSplit): ReportOutcome {
  if (!o) return problem(`no open or recently ended order of this run has client order id ${r.clientOrderId}`);
  if (o.ended) return r.filledQty > o.filledQty ? problem(`reports ${r.filledQty} filled after the order ended with ${o.filledQty}`) : { kind: 'events', events: [] };
  const ended = r.status === 'filled' || r.status === 'rejected' || r.status === 'cancelled' || r.status === 'expired';
  if (r.filledQty > o.orderedQty) return problem(`reports ${r.filledQty} filled of ${o.orderedQty} ordered`);
  if (r.status === 'rejected' && (o.filledQty > 0 || r.filledQty > 0)) return problem('rejects an order that has fills');
  if (r.filledQty < o.filledQty) {
    return ended ? problem(`ends the order with ${r.filledQty} filled, but ${o.filledQty} are already journaled`) : { kind: 'events', events: [] };
  }
  const id = o.orderId;
  if (r.status === 'rejected') {
    return { kind: 'events', events: [{ type: 'OrderRejected', data: { orderId: id, reason: r.reason ?? 'BROKER_ERROR', details: r.message || 'rejected by the broker' } }] };
  }
  if (r.status === 'filled' && r.filledQty !== o.orderedQty) return problem(`says filled with ${r.filledQty} of ${o.orderedQty} shares`);
  if (r.status === 'partially_filled' && (r.filledQty === 0 || r.filledQty === o.orderedQty)) return problem(`says partially filled with ${r.filledQty} of ${o.orderedQty} shares`);
  const events: BrokerAnswer[] = [];
  const dq = r.filledQty - o.filledQty;
  if (!o.acknowledged && (dq > 0 || r.status === 'accepted')) {
    events.push({ type: 'OrderAccepted', data: { orderId: id, brokerOrderId: r.brokerOrderId ?? r.clientOrderId } });
  }
  if (dq > 0) {
    const leavesQty = o.orderedQty - r.filledQty;
    // An itemised fill is taken as the broker gives it only when it is exactly what the cumulative figures add.
    const f = r.lastFill;
    const itemisedFee = f ? f.commissionFen + f.stampDutyFen + f.transferFeeFen + f.otherFeesFen : 0;
    const fits = f !== null && f.qty === dq && f.priceMilli > 0 && f.notionalFen === r.filledNotionalFen - o.filledNotionalFen
      && itemisedFee === r.feeFen - o.feeFen && [f.commissionFen, f.stampDutyFen, f.transferFeeFen, f.otherFeesFen].every((x) => x >= 0);
    if (f && fits) {
      events.push({ type: 'OrderFilled', data: {
        orderId: id, fillId: f.fillId, day: f.day, symbol: o.symbol, side: o.side, qty: dq, price: f.priceMilli, notionalFen: f.notionalFen,
        commissionFen: f.commissionFen, stampDutyFen: f.stampDutyFen, transferFeeFen: f.transferFeeFen, otherFeesFen: f.otherFeesFen, leavesQty,
      } });
    } else {
      const notional = r.filledNotionalFen - o.filledNotionalFen;
      const fee = r.feeFen - o.feeFen;
      if (notional <= 0) return problem(`adds ${dq} shares worth ${notional} fen`);
      if (fee < 0) return problem(`lowers the order's fees from ${o.feeFen} to ${r.feeFen} fen`);
      const price = mulDivRound(notional, 10, dq, 'halfUp');
      if (price <= 0) return problem(`adds ${dq} shares at a price below 0.001 CNY`);
      events.push({ type: 'OrderFilled', data: {
        orderId: id, fillId: `${id}-F${o.fills + 1}`, day, symbol: o.symbol, side: o.side, qty: dq, price, notionalFen: notional,
        ...splitFee(o.side, o.symbol, notional, fee, day), leavesQty,
      } });
    }
  }
  const rest = o.orderedQty - r.filledQty;
  if (r.status === 'cancelled' && rest > 0) {
    events.push({ type: 'OrderCancelled', data: { orderId: id, reason: o.cancelReason ?? 'EXCHANGE', by: 'broker', details: r.message || 'cancelled by the broker' } });
  } else if (r.status === 'expired' && rest > 0) {
    events.push({ type: 'OrderExpired', data: { orderId: id, reason: r.reason ?? 'END_OF_DAY', details: r.message || 'expired' } });
  }
  return { kind: 'events', events };
}
