import type { BrokerOrder, OrderRequest, TradingCalendar, TradingDay } from '../../domain/index.js';
import { sha256Hex } from '../../domain/index.js';
import { ordersToRelease } from '../../projections/index.js';
import type { Stager } from './stager.js';

/**
 * Our idempotency key at the broker, derived — never random — from the run, the day the order was
 * decided and its place among that day's decisions (`O-2024-03-01-0003` of run R →
 * `<8 hex of sha256(R)>-20240301-0003`): the same intent always has the same key, so a restart
 * asks the broker about it instead of sending it again. 22 characters of [0-9a-f-].
 */
export function clientOrderIdOf(runId: string, orderId: string): string {
  const tag = sha256Hex(runId).slice(0, 8);
  const m = /^O-(\d{4})-(\d{2})-(\d{2})-(\d{1,8})$/.exec(orderId);
  return m ? `${tag}-${m[1]}${m[2]}${m[3]}-${m[4]}` : `${tag}-${sha256Hex(orderId).slice(0, 20)}`;
}

/**
 * The trading day whose after-close decisions `day`'s release sends: the exchange calendar's
 * previous trading day (`fallback` beyond the calendar's table, e.g. the previous day of a feed).
 */
export function lastDecisionDayOf(day: TradingDay, calendar: TradingCalendar, fallback: string | null): string | null {
  try {
    return calendar.previous(day);
  } catch {
    return fallback;
  }
}

export const brokerOrderOf = (r: OrderRequest, clientOrderId: string, createdAt: number): BrokerOrder => ({
  clientOrderId, symbol: r.symbol, side: r.side, qty: r.qty, priceType: r.orderType, limitPriceMilli: r.limitPrice,
  timeInForce: r.timeInForce, createdAt,
});

/**
 * The release step of `day`: every approved order not yet sent is journaled as OrderSubmitted
 * (with its clientOrderId) — the caller appends these BEFORE calling the broker, so a crash in
 * between is answered on restart by asking the broker, never by sending blindly. Orders decided
 * for an earlier day (the service was down through their release) are cancelled instead: they
 * were decided on prices that are no longer the last close (`lastDecisionDay`: the trading day
 * before `day`). Returns the orders to hand over.
 */
export function releaseStep<S>(st: Stager<S>, day: TradingDay, lastDecisionDay: string | null, brokerName: string, at: number): BrokerOrder[] {
  const run = st.kernel.run;
  if (!run) throw new Error('releaseStep before RunStarted');
  const orders = st.kernel.projections.orders;
  const out: BrokerOrder[] = [];
  const halted = st.kernel.projections.risk.state === 'HALTED';
  for (const o of ordersToRelease(st.kernel.exec, (id) => orders.open.get(id)?.status === 'approved')) {
    if (halted) {
      // The kill switch (or a reconciliation halt) came after the decision: nothing decided before it goes out.
      st.stage({ type: 'OrderCancelled', data: { orderId: o.orderId, reason: 'KILL_SWITCH', by: 'engine', details: `trading is HALTED: not released on ${day}` } }, at);
      continue;
    }
    if (lastDecisionDay !== null && o.request.day < lastDecisionDay) {
      st.stage({ type: 'OrderCancelled', data: { orderId: o.orderId, reason: 'END_OF_DAY', by: 'engine', details: `decided after the close of ${o.request.day} and not released by ${day}` } }, at);
      continue;
    }
    const clientOrderId = clientOrderIdOf(run.runId, o.orderId);
    st.stage({ type: 'OrderSubmitted', data: { orderId: o.orderId, broker: brokerName, clientOrderId } }, at);
    out.push(brokerOrderOf(o.request, clientOrderId, at));
  }
  return out;
}
