import type { DayBars } from '../bars.js';
import { indexOfSymbol } from '../bars.js';
import type { BrokerReason } from '../events/orders.js';
import type { Side } from '../events/primitives.js';
import type { CommissionTerms, Fees } from '../fees/feeSchedule.js';
import { computeFees, totalFees } from '../fees/feeSchedule.js';
import { notionalFen, priceMilli, shares } from '../money.js';
import type { TradingDay } from '../tradingDay.js';

export interface OpenOrder {
  readonly orderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly qty: number;
}

export type OpenFillOutcome =
  | { readonly kind: 'fill'; readonly price: number; readonly notionalFen: number; readonly fees: Fees }
  | { readonly kind: 'noFill'; readonly reason: BrokerReason; readonly details: string };

/**
 * Issue 2's execution model: a working order fills in full at the next day's open (raw price);
 * no bar that day means the stock is suspended and the day order expires. A buy the cash cannot
 * cover is rejected; a sell beyond the sellable quantity is rejected. Issue 3 replaces this with
 * limit-aware, volume-capped matching.
 */
export function fillAtOpen(
  order: OpenOrder, bars: DayBars, day: TradingDay, commission: CommissionTerms, cashFen: number, sellable: number,
): OpenFillOutcome {
  const i = indexOfSymbol(bars, order.symbol);
  if (i < 0) return { kind: 'noFill', reason: 'SUSPENDED', details: `${order.symbol} did not trade on ${day}` };
  const price = bars.open[i]!;
  const notional = notionalFen(priceMilli(price), shares(order.qty));
  const fees = computeFees(order.side, notional, day, commission);
  if (order.side === 'buy') {
    const cost = notional + totalFees(fees);
    if (cost > cashFen) return { kind: 'noFill', reason: 'INSUFFICIENT_CASH', details: `needs ${cost} fen at the open, ${cashFen} fen available` };
  } else if (order.qty > sellable) {
    return { kind: 'noFill', reason: 'INSUFFICIENT_POSITION', details: `sell ${order.qty}, ${sellable} sellable` };
  }
  return { kind: 'fill', price, notionalFen: notional, fees };
}
