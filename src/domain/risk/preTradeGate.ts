import type { DataOf, DenyReasonV1 as DenyReason } from '../events/index.js';
import { notionalFen, priceMilli, shares } from '../money.js';
import type { AccountFees, MarketRules } from '../rules/marketRules.js';
import { isValidLotQty } from '../rules/orderQty.js';
import type { TradingDay } from '../tradingDay.js';
import type { PortfolioView, WorkingIndex, WorkingOrderView } from '../views/portfolioView.js';
import { indexWorking } from '../views/portfolioView.js';

export type OrderRequest = DataOf<'OrderRequested'>;

/** Identifies the rule set that made a decision, recorded with every approval and denial. */
export const GATE_RULE_VERSION = 'pretrade-gate/1 (2026-11-24): order-shape, lot, duplicate, position/T+1, cash';

export interface GateContext {
  readonly day: TradingDay;
  readonly portfolio: PortfolioView;
  readonly working: readonly WorkingOrderView[];
  /** `working` indexed (the projections keep one up to date); built from `working` when absent. */
  readonly workingIndex?: WorkingIndex;
  /** The dated market rules (lots, fees) the decision is made under. */
  readonly rules: MarketRules;
  readonly account: AccountFees;
}

/** The version recorded with a decision: the gate's rule set and the market-rule tables it read. */
export const gateRuleVersion = (rules: MarketRules): string => `${GATE_RULE_VERSION}; market-rules ${rules.version.slice(0, 16)}`;

export type GateDecision =
  | { readonly approved: true; readonly reservedFen: number }
  | { readonly approved: false; readonly reason: DenyReason; readonly details: string };

const deny = (reason: DenyReason, details: string): GateDecision => ({ approved: false, reason, details });

/**
 * Is `qty` a valid order size on the day's rules? Buys: at least the board minimum, then in its steps
 * (100-share lots on the main boards and ChiNext; ≥200 then 1-share steps on STAR; ≥100 then 1 on
 * BSE). Sells: the same, or including the whole odd remainder (it may only be sold in one order).
 * Source: config/market/trading.yaml (ashare-market-rules.md §3).
 */
export function isValidOrderQty(rules: MarketRules, symbol: string, side: 'buy' | 'sell', qty: number, held: number): boolean {
  return isValidLotQty(rules.lotRule(symbol), side, qty, held);
}

/** Cash a buy of `notional` fen needs on `day`: the notional plus every fee of the dated tables, fen. */
export function buyCostFen(rules: MarketRules, account: AccountFees, symbol: string, day: TradingDay, notional: number): number {
  const f = rules.fees({ side: 'buy', symbol, day, notionalFen: notional, account, previousRawCommissionFen: null });
  return notional + f.commissionFen + f.stampDutyFen + f.transferFeeFen + f.handlingFeeFen + f.regulatoryFeeFen;
}

/**
 * The pre-trade gate (issue 2's first layer; issue 6 adds limits, collars, rates and trading states).
 * Rules run in a fixed order; the first that fails decides. A buy reserves its estimated cost
 * (turnover at the reference price plus fees) until it fills or ends.
 */
export function decideOrder(req: OrderRequest, ctx: GateContext): GateDecision {
  if (req.orderType === 'limit' && req.limitPrice === null) return deny('BAD_ORDER', 'a limit order needs a limit price');
  if (req.orderType === 'market' && req.limitPrice !== null) return deny('BAD_ORDER', 'a market order takes no limit price');
  const pos = ctx.portfolio.position(req.symbol);
  const held = pos?.qty ?? 0;
  const working = ctx.workingIndex ?? indexWorking(ctx.working);
  const onSymbol = working.of(req.symbol);
  const pendingSells = onSymbol.filter((o) => o.side === 'sell').reduce((a, o) => a + o.qty - o.filledQty, 0);
  if (req.side === 'sell' && req.qty > held - pendingSells) {
    return deny('INSUFFICIENT_POSITION', `sell ${req.qty} but ${held - pendingSells} held and not already for sale`);
  }
  let lotOk: boolean;
  try {
    lotOk = isValidOrderQty(ctx.rules, req.symbol, req.side, req.qty, held);
  } catch (e) {
    return deny('BAD_ORDER', (e as Error).message); // no lot rule for this code: not an order we can place
  }
  if (!lotOk) return deny('LOT_SIZE', `${req.qty} shares is not a valid ${req.side} size for ${req.symbol}`);
  const same = onSymbol.filter((o) => o.side === req.side);
  if (same.length > 0) return deny('DUPLICATE_ORDER', `order ${same[0]!.orderId} for ${req.symbol} ${req.side} is still working`);

  if (req.side === 'sell') {
    const sellable = (pos?.sellable ?? 0) - pendingSells;
    if (req.qty > sellable) return deny('T1_NOT_SELLABLE', `sell ${req.qty} but only ${sellable} sellable today (T+1)`);
    return { approved: true, reservedFen: 0 };
  }

  const price = priceMilli(req.limitPrice ?? req.refPrice);
  const cost = buyCostFen(ctx.rules, ctx.account, req.symbol, ctx.day, notionalFen(price, shares(req.qty)));
  const reserved = working.reservedFen;
  // Sale proceeds are usable for buys the same day (T+0 cash, §4), and the broker works sells first:
  // approved sells count at 99% of their marked value (a haircut for the open's move and the fees).
  let pendingProceeds = 0;
  for (const o of working.sells()) {
    const mark = ctx.portfolio.position(o.symbol)?.lastPrice ?? 0;
    pendingProceeds += Math.floor(notionalFen(priceMilli(mark), shares(o.qty - o.filledQty)) * 0.99);
  }
  const free = ctx.portfolio.cashFen - reserved + pendingProceeds;
  if (cost > free) return deny('INSUFFICIENT_CASH', `needs ${cost} fen, ${free} fen free`);
  return { approved: true, reservedFen: cost };
}
