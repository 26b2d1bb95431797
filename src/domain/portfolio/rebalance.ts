import type { Side } from '../events/primitives.js';
import type { LotRule } from '../market/board.js';
import { mulDivRound } from '../money.js';
import type { PortfolioView } from '../views/portfolioView.js';
import { isRebalanceDue, type RebalanceSchedule } from './schedule.js';

export interface RebalanceInput {
  /** Target weights of equity, each ≥ 0, summing to ≤ 1 (the rest stays in cash). */
  readonly targets: ReadonlyMap<string, number>;
  readonly portfolio: PortfolioView;
  /** Symbols currently held (PortfolioView only looks positions up, so the caller lists them). */
  readonly held: readonly string[];
  /** Reference price (last close), 0.001 CNY; undefined = no price today (no order for it). */
  readonly prices: (symbol: string) => number | undefined;
  /** Equity to allocate, fen. */
  readonly equityFen: number;
  readonly lotRuleOf: (symbol: string) => LotRule;
  readonly schedule: RebalanceSchedule;
  /** Last day a rebalance was due (see `RebalanceResult.due`); null = never. */
  readonly lastRebalanceDay: string | null;
  readonly day: string;
  /** Skip when the distance ½·Σ|w_target − w_current| is below this (0 = always trade when due). */
  readonly turnoverThreshold: number;
  /** Cash held back from buys for fees, fen (default 0). */
  readonly reserveFen?: number;
}

export interface RebalanceOrder {
  readonly symbol: string;
  readonly side: Side;
  /** Shares. */
  readonly qty: number;
  /** 0.001 CNY. */
  readonly refPrice: number;
  readonly targetWeight: number;
}

export interface RebalanceResult {
  /** True when the schedule made today a rebalance day: the caller records `day` as `lastRebalanceDay`. */
  readonly due: boolean;
  readonly outcome: 'NotDue' | 'BelowThreshold' | 'Rebalanced';
  /** ½·Σ|Δw| before trading (0 when not due). */
  readonly distance: number;
  /** Sells first (symbol order), then buys (largest shortfall first, ties by symbol). */
  readonly orders: readonly RebalanceOrder[];
}

/** Value of `qty` shares at `price` (0.001 CNY), fen, rounded as named. */
const valueFen = (qty: number, price: number, r: 'down' | 'up'): number => mulDivRound(qty, price, 10, r);
/** Largest valid lot quantity ≤ raw shares (0 below the minimum). */
const lotDown = (raw: number, lot: LotRule): number =>
  raw < lot.minBuy ? 0 : lot.minBuy + Math.floor((raw - lot.minBuy) / lot.step) * lot.step;
const bySymbol = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Orders that move the portfolio toward target weights on a scheduled day.
 * - Distance: current weight = qty × price / equity (held names without a price today use their last
 *   mark); cash counts as one more asset (weight 1 − Σw), so ½·Σ|Δw| is the one-way turnover; when
 *   it is below `turnoverThreshold` nothing trades.
 * - Sells (name above target): a name with target 0 (or absent) sells its whole T+1-sellable
 *   quantity, odd lot included (the exchange lets the odd part go in one order); otherwise the
 *   excess shares are rounded DOWN to a valid lot and capped by the sellable quantity (also lot-
 *   rounded), so shares bought today are never sold today.
 * - Buys (name below target): the shortfall in shares rounded DOWN to a valid lot, then cut (again
 *   to a lot) to the cash left: cash + estimated sell proceeds (rounded down) − reserve − earlier
 *   buys (costs rounded up). Fees are the caller's `reserveFen`.
 */
export function rebalance(inp: RebalanceInput): RebalanceResult {
  const { targets, portfolio, equityFen } = inp;
  let sumT = 0;
  for (const [s, w] of targets) {
    if (!(Number.isFinite(w) && w >= 0)) throw new RangeError(`rebalance: target weight of ${s} must be ≥ 0 (got ${w})`);
    sumT += w;
  }
  if (sumT > 1 + 1e-9) throw new RangeError(`rebalance: target weights sum to ${sumT} > 1`);
  if (!isRebalanceDue(inp.schedule, inp.lastRebalanceDay, inp.day)) return { due: false, outcome: 'NotDue', distance: 0, orders: [] };
  if (!(equityFen > 0)) return { due: true, outcome: 'BelowThreshold', distance: 0, orders: [] };

  const names = [...new Set([...inp.held, ...targets.keys()])].sort(bySymbol);
  const qtyOf = (s: string): number => portfolio.position(s)?.qty ?? 0;
  const markOf = (s: string): number | undefined => inp.prices(s) ?? portfolio.position(s)?.lastPrice;
  let distance = 0, curSum = 0;
  for (const s of names) {
    const mark = markOf(s);
    const cur = mark ? valueFen(qtyOf(s), mark, 'down') / equityFen : 0;
    curSum += cur;
    distance += Math.abs((targets.get(s) ?? 0) - cur);
  }
  distance = (distance + Math.abs(1 - sumT - (1 - curSum))) / 2; // cash is one more asset
  if (distance < inp.turnoverThreshold) return { due: true, outcome: 'BelowThreshold', distance, orders: [] };

  const orders: RebalanceOrder[] = [];
  let cash = portfolio.cashFen - (inp.reserveFen ?? 0);
  for (const s of names) {
    const price = inp.prices(s);
    const pos = portfolio.position(s);
    if (!price || !pos || pos.qty <= 0) continue;
    const w = targets.get(s) ?? 0;
    const targetQty = Math.floor(mulDivRound(equityFen, 10, 1, 'down') * w / price);
    if (targetQty >= pos.qty) continue;
    const lot = inp.lotRuleOf(s);
    const qty = w === 0 ? pos.sellable : Math.min(lotDown(pos.qty - targetQty, lot), lotDown(pos.sellable, lot));
    if (qty <= 0) continue;
    orders.push({ symbol: s, side: 'sell', qty, refPrice: price, targetWeight: w });
    cash += valueFen(qty, price, 'down');
  }
  const wants: { s: string; price: number; raw: number; w: number; shortFen: number }[] = [];
  for (const s of names) {
    const w = targets.get(s) ?? 0;
    const price = inp.prices(s);
    if (w <= 0 || !price) continue;
    const targetQty = Math.floor(mulDivRound(equityFen, 10, 1, 'down') * w / price);
    const raw = targetQty - qtyOf(s);
    if (raw > 0) wants.push({ s, price, raw, w, shortFen: valueFen(raw, price, 'down') });
  }
  wants.sort((a, b) => b.shortFen - a.shortFen || bySymbol(a.s, b.s));
  for (const x of wants) {
    const lot = inp.lotRuleOf(x.s);
    let qty = lotDown(x.raw, lot);
    if (qty > 0 && valueFen(qty, x.price, 'up') > cash) qty = lotDown(Math.floor(Math.max(0, cash) * 10 / x.price), lot);
    while (qty > 0 && valueFen(qty, x.price, 'up') > cash) qty = lotDown(qty - 1, lot); // float guard
    if (qty <= 0) continue;
    orders.push({ symbol: x.s, side: 'buy', qty, refPrice: x.price, targetWeight: x.w });
    cash -= valueFen(qty, x.price, 'up');
  }
  return { due: true, outcome: 'Rebalanced', distance, orders };
}
