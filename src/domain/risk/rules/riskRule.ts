import type { DataOf } from '../../events/index.js';
import type { LimitPrices } from '../../market/board.js';
import type { TradingDay } from '../../tradingDay.js';
import type { WorkingIndex, WorkingOrderView } from '../../views/portfolioView.js';
import { indexWorking } from '../../views/portfolioView.js';
import type { RiskConfig } from '../riskConfig.js';
import type { TradingState } from '../tradingState.js';

export type RiskOrderRequest = DataOf<'OrderRequested'>;

/** Closed set of reasons the risk gate denies an order (its own union; the journal's DenyReason is older). */
export type RiskDenyReason =
  | 'TRADING_HALTED' | 'REDUCING_ONLY' | 'RESTRICTED_SYMBOL' | 'ST_NOT_ALLOWED' | 'SHORT_SALE'
  | 'INSUFFICIENT_CASH' | 'INSUFFICIENT_POSITION' | 'T1_NOT_SELLABLE' | 'ORDER_QTY_CAP' | 'ORDER_NOTIONAL_CAP'
  | 'PRICE_COLLAR' | 'OUTSIDE_DAILY_BAND' | 'POSITION_SIZE' | 'MAX_POSITIONS' | 'SECTOR_CONCENTRATION'
  | 'DAILY_LOSS_LIMIT' | 'MAX_DRAWDOWN' | 'DUPLICATE_ORDER' | 'ORDER_RATE' | 'CANCEL_RATE'
  | 'DISCLOSURE_THRESHOLD' | 'MISSING_RISK_DATA';

export interface RiskPosition {
  /** Shares held. */
  readonly qty: number;
  /** Shares sellable today under T+1. */
  readonly sellable: number;
  /** Last mark, 0.001 CNY. */
  readonly lastPrice: number;
}

/** One of this account's own orders or cancels, with when it was sent (epoch ms). */
export interface RecentAction {
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly qty: number;
  readonly atMs: number;
}

/** Everything the risk rules read. Built by the engine from its projections; the rules do no IO. */
export interface RiskContext {
  readonly day: TradingDay;
  /** Decision time (market time from the clock port), epoch ms. */
  readonly nowMs: number;
  /** Start of the trading day, epoch ms: per-day rate counts start here. */
  readonly dayStartMs: number;
  readonly state: TradingState;
  readonly cashFen: number;
  /** Cash plus marked positions, fen. */
  readonly equityFen: number;
  readonly startOfDayEquityFen: number;
  /** Highest equity seen (drawdown reference), fen. */
  readonly peakEquityFen: number;
  readonly positions: ReadonlyMap<string, RiskPosition>;
  readonly working: readonly WorkingOrderView[];
  /** `working` indexed (the engine passes the projections' index); built from `working` when absent. */
  readonly workingIndex?: WorkingIndex;
  /** Last traded price, 0.001 CNY; undefined when unknown. */
  lastPrice(symbol: string): number | undefined;
  /** The day's limit prices (marketRules.priceLimits); null on a no-limit day. */
  dailyBand(symbol: string): LimitPrices | null;
  sectorOf(symbol: string): string | undefined;
  /**
   * Σ valueFen(lastPrice, qty) over the held positions whose sector is `sector` — optional: the engine
   * keeps it per day so the sector rule need not look at every holding for every order.
   */
  heldValueBySector?(sector: string): number;
  isSt(symbol: string): boolean;
  /** Issued shares of the company; undefined when unknown. */
  issuedShares(symbol: string): number | undefined;
  /** Estimated cash a buy of this notional costs, fees included, fen. */
  buyCostFen(symbol: string, notionalFen: number): number;
  /** This account's orders sent today, any order. */
  readonly recentOrders: readonly RecentAction[];
  /** This account's cancels sent today. */
  readonly recentCancels: readonly Pick<RecentAction, 'atMs'>[];
}

export type RuleResult = { readonly ok: true } | { readonly ok: false; readonly reason: RiskDenyReason; readonly details: string };
export type RiskRule = (req: RiskOrderRequest, ctx: RiskContext, config: RiskConfig) => RuleResult;

export const pass: RuleResult = { ok: true };
export const fail = (reason: RiskDenyReason, details: string): RuleResult => ({ ok: false, reason, details });

/** The price an order is checked at: its limit, or the reference price for a market order, 0.001 CNY. */
export const orderPrice = (req: RiskOrderRequest): number => req.limitPrice ?? req.refPrice;

/** price (0.001 CNY) × qty → fen, rounded half up (matches money.notionalFen). */
export const valueFen = (priceMilli: number, qty: number): number => Math.round((priceMilli * qty) / 10);

/** Unfilled quantity of working orders on `symbol` and `side`. */
export const workingQty = (ctx: RiskContext, symbol: string, side: 'buy' | 'sell'): number => {
  let q = 0;
  for (const o of workingIndexOf(ctx).of(symbol)) if (o.side === side) q += o.qty - o.filledQty;
  return q;
};

const built = new WeakMap<readonly WorkingOrderView[], WorkingIndex>();
/** The context's working orders, indexed (the engine's own index, or one built once per list). */
export function workingIndexOf(ctx: RiskContext): WorkingIndex {
  if (ctx.workingIndex) return ctx.workingIndex;
  let w = built.get(ctx.working);
  if (!w) built.set(ctx.working, (w = indexWorking(ctx.working)));
  return w;
}

export const heldQty = (ctx: RiskContext, symbol: string): number => ctx.positions.get(symbol)?.qty ?? 0;

/** Shares of `req.symbol` the account would hold or be buying if this buy were approved. */
export const projectedQty = (req: RiskOrderRequest, ctx: RiskContext): number =>
  heldQty(ctx, req.symbol) + workingQty(ctx, req.symbol, 'buy') + req.qty;
