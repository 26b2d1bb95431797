import type { Bar } from '../bars.js';
import type { Side } from '../events/primitives.js';
import type { LimitPrices, LotRule } from '../market/board.js';
import { mulDivRound } from '../money.js';
import { fillableQty, isLotValid, isSellQtyValid, participationCap } from './lotCap.js';
import { slippageProblem, slippedPrice, type SlippageModel } from './slippage.js';

export interface MatchOrder {
  readonly side: Side;
  /** Shares, lot-valid (or the whole odd remainder of a position, for sells). */
  readonly qty: number;
  readonly type: 'market' | 'limit';
  /** 0.001 CNY on the tick for limit orders; null for market orders. */
  readonly limitPrice: number | null;
}

/** The part of a daily bar the matcher reads: prices 0.001 CNY, volume shares, amount fen. */
export type MatchBar = Pick<Bar, 'open' | 'high' | 'low' | 'close' | 'volume' | 'amountFen'>;

export type MarketPriceRule = 'open' | 'vwap' | 'close';

export interface MatchContext {
  /** The day's limit-up/limit-down prices; null on a day without a price limit (ref §2.2). */
  readonly limits: LimitPrices | null;
  readonly lot: LotRule;
  readonly tickMilli: number;
  /** Price of a market order; `vwap` is amount / volume rounded half-up to the tick and clamped into [low, high]. */
  readonly marketPrice: MarketPriceRule;
  /** Share of the bar's volume one order may take, in (0, 1]. */
  readonly participation: number;
  readonly slippage: SlippageModel;
  /** Shares held, so a sell of the whole odd remainder is recognised (ref §3). */
  readonly heldQty?: number;
}

export type MatchReason = 'SUSPENDED' | 'PRICE_LIMIT' | 'LIMIT_NOT_REACHED' | 'VOLUME_LIMIT' | 'BAD_ORDER';

export interface MatchResult {
  /** Shares filled, lot-valid (or a whole odd remainder); 0 when unfilled. */
  readonly filledQty: number;
  /** Execution price after slippage, 0.001 CNY on the tick; null when nothing filled. */
  readonly price: number | null;
  /** Price before slippage (open, VWAP, close, or the limit/better open); null when nothing filled. */
  readonly basePrice: number | null;
  readonly status: 'filled' | 'partial' | 'unfilled';
  readonly reason: MatchReason | null;
}

const unfilled = (reason: MatchReason): MatchResult => ({ filledQty: 0, price: null, basePrice: null, status: 'unfilled', reason });

const onTick = (p: number, tick: number): boolean => Number.isSafeInteger(p) && p % tick === 0;

/** Broken configuration is a programming error, not a market event: it throws. */
function checkContext(ctx: MatchContext): void {
  const { tickMilli, lot, participation, limits, heldQty } = ctx;
  if (!Number.isSafeInteger(tickMilli) || tickMilli <= 0) throw new RangeError(`tick must be a positive integer (got ${tickMilli})`);
  if (!Number.isSafeInteger(lot.minBuy) || lot.minBuy <= 0 || !Number.isSafeInteger(lot.step) || lot.step <= 0) {
    throw new RangeError(`lot rule needs positive integers (got minBuy ${lot.minBuy}, step ${lot.step})`);
  }
  if (!(participation > 0 && participation <= 1)) throw new RangeError(`participation must be in (0, 1] (got ${participation})`);
  if (limits && !(onTick(limits.down, tickMilli) && onTick(limits.up, tickMilli) && limits.down > 0 && limits.down <= limits.up)) {
    throw new RangeError(`limit prices must be on the tick with 0 < down ≤ up (got ${limits.down}…${limits.up})`);
  }
  if (heldQty !== undefined && !(Number.isSafeInteger(heldQty) && heldQty >= 0)) throw new RangeError(`held quantity must be a non-negative integer (got ${heldQty})`);
  const problem = slippageProblem(ctx.slippage);
  if (problem !== null) throw new RangeError(problem);
}

/**
 * A traded bar must be raw (unadjusted) prices on the tick, low ≤ open, close ≤ high, and inside the
 * day's limits: anything else is corrupt data or limits computed from the wrong reference price, and
 * matching against it would print impossible fills.
 */
function checkBar(bar: MatchBar, ctx: MatchContext): void {
  const { open, high, low, close, volume, amountFen } = bar;
  const t = ctx.tickMilli;
  const ok = [open, high, low, close].every((p) => onTick(p, t)) && low > 0
    && low <= Math.min(open, close) && Math.max(open, close) <= high
    && Number.isSafeInteger(volume) && volume > 0 && Number.isSafeInteger(amountFen) && amountFen >= 0;
  if (!ok) throw new RangeError(`malformed bar for matching: ${JSON.stringify(bar)} (tick ${t})`);
  const lim = ctx.limits;
  if (lim && (low < lim.down || high > lim.up)) {
    throw new RangeError(`bar ${low}…${high} trades outside the day's limits ${lim.down}…${lim.up}`);
  }
}

function orderIsValid(order: MatchOrder, ctx: MatchContext): boolean {
  const qtyOk = order.side === 'buy' ? isLotValid(order.qty, ctx.lot) : isSellQtyValid(order.qty, ctx.lot, ctx.heldQty);
  if (!qtyOk) return false;
  if (order.type === 'market') return order.limitPrice === null;
  return order.limitPrice !== null && order.limitPrice > 0 && onTick(order.limitPrice, ctx.tickMilli);
}

/** VWAP of the bar in 0.001 CNY: amount (fen) × 10 / volume, rounded half-up to the tick, clamped into [low, high]. */
export function barVwap(bar: MatchBar, tickMilli: number): number {
  const v = mulDivRound(bar.amountFen, 10, bar.volume * tickMilli, 'halfUp') * tickMilli;
  return Math.min(bar.high, Math.max(bar.low, v));
}

const isSealedAt = (bar: MatchBar, p: number): boolean => bar.open === p && bar.high === p && bar.low === p && bar.close === p;

/**
 * Simulated fill of one day order against one daily bar (issue 3). Rules, in order:
 * 1. A malformed order (quantity off the lot rule, limit price missing or off the tick) → BAD_ORDER.
 * 2. No bar, or a bar with zero volume: the stock did not trade → SUSPENDED.
 * 3. A limit price beyond the day's [down, up] is an invalid order (ref §2.3) → PRICE_LIMIT.
 * 4. A buy on a bar sealed at limit-up (open = high = low = close = up), or a sell on one sealed at
 *    limit-down, finds no counterparty → PRICE_LIMIT (rqalpha refuses the same, ref §2.3 S26).
 * 5. Base price: a market order at the open, VWAP or close (`ctx.marketPrice`); a limit buy fills when
 *    low ≤ limit, at min(open, limit); a limit sell when high ≥ limit, at max(open, limit); otherwise
 *    LIMIT_NOT_REACHED.
 * 6. Quantity: at most floor(volume × participation) shares, rounded down to the lot rule (a whole
 *    odd remainder only if it fits) → partial/VOLUME_LIMIT, or unfilled/VOLUME_LIMIT at 0 shares.
 * 7. Slippage moves the price against the trader, rounded to the tick against the trader, then clamped
 *    into [low, high] ∩ [down, up], and for a limit order to its limit: a fill never prints outside what
 *    traded, beyond the day's limits, or beyond the order's limit.
 * Throws on a broken context or a malformed traded bar (see `checkBar`).
 */
export function matchOnDailyBar(order: MatchOrder, bar: MatchBar | null, ctx: MatchContext): MatchResult {
  checkContext(ctx);
  if (!orderIsValid(order, ctx)) return unfilled('BAD_ORDER');
  if (bar === null || bar.volume === 0) return unfilled('SUSPENDED');
  checkBar(bar, ctx);
  const { limits } = ctx;
  const isBuy = order.side === 'buy';
  const limit = order.type === 'limit' ? order.limitPrice! : null;
  if (limits && limit !== null && (limit < limits.down || limit > limits.up)) return unfilled('PRICE_LIMIT');
  if (limits && isSealedAt(bar, isBuy ? limits.up : limits.down)) return unfilled('PRICE_LIMIT');

  let base: number;
  if (limit === null) {
    base = ctx.marketPrice === 'open' ? bar.open : ctx.marketPrice === 'close' ? bar.close : barVwap(bar, ctx.tickMilli);
  } else if (isBuy) {
    if (bar.low > limit) return unfilled('LIMIT_NOT_REACHED');
    base = Math.min(bar.open, limit);
  } else {
    if (bar.high < limit) return unfilled('LIMIT_NOT_REACHED');
    base = Math.max(bar.open, limit);
  }

  const qty = fillableQty(order.qty, participationCap(bar.volume, ctx.participation), ctx.lot);
  if (qty === 0) return unfilled('VOLUME_LIMIT');

  let lo = limits ? Math.max(bar.low, limits.down) : bar.low;
  let hi = limits ? Math.min(bar.high, limits.up) : bar.high;
  if (limit !== null) {
    if (isBuy) hi = Math.min(hi, limit);
    else lo = Math.max(lo, limit);
  }
  const slipped = slippedPrice(ctx.slippage, { side: order.side, price: base, qty, barVolume: bar.volume, tickMilli: ctx.tickMilli });
  const price = Math.min(hi, Math.max(lo, slipped));
  const partial = qty < order.qty;
  return { filledQty: qty, price, basePrice: base, status: partial ? 'partial' : 'filled', reason: partial ? 'VOLUME_LIMIT' : null };
}
