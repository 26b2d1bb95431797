import type { AccountFees, DataOf, DayBars, MarketRules, OrderRequest, TradingCalendar, TradingDay, WorkingOrderView } from '../../domain/index.js';
import { decideOrder, gateRuleVersion, indexOfSymbol, ORDER_CHECK_OF_V1_REASON } from '../../domain/index.js';
import type { RiskConfig } from '../../domain/risk/riskConfig.js';
import { evaluateOrder, RISK_GATE_VERSION } from '../../domain/risk/riskGate.js';
import type { RecentAction } from '../../domain/risk/rules/index.js';
import { fractionalKelly, roundDownToLot, volatilityTarget } from '../../domain/risk/sizing.js';
import { evaluateStops, type StopDecision, type StopRules } from '../../domain/risk/stops.js';
import { adjustedEntryMilli } from '../../domain/risk/stopReference.js';
import { drawdownTransition, isPolicy, transitionTradingState, type TradingState } from '../../domain/risk/tradingState.js';
import { policyReactivation } from '../../domain/risk/reactivation.js';
import { atrOf } from '../../domain/risk/atrWindow.js';
import type { LotRule } from '../../domain/market/board.js';
import { canonicalHash } from '../../domain/index.js';
import { ordersView, portfolioView } from '../../projections/index.js';
import type { SizingConfig } from '../config/appConfig.js';
import type { Kernel } from './kernel.js';
import { buildRiskContext } from './riskContext.js';

/** The risk layer a run decides with; null only when replaying a journal from before it existed. */
export interface RiskRules {
  readonly config: RiskConfig;
  /** Recorded on every decision with the gate's and the tables' versions. */
  readonly version: string;
}

export const riskRules = (config: RiskConfig): RiskRules =>
  ({ config, version: `${RISK_GATE_VERSION}; risk-config ${canonicalHash(config).slice(0, 16)}` });

/** What every approval and denial records: the order checks, the risk rules and the tables in force. */
export const decisionVersion = (marketRules: MarketRules, risk: RiskRules | null): string =>
  risk ? `${gateRuleVersion(marketRules)}; ${risk.version}` : gateRuleVersion(marketRules);

/** A person's request to change the trading state (the kill switch), read by the engine once a day. */
export interface StateRequest {
  readonly to: TradingState;
  readonly by: string;
  readonly why: string;
}

/** The TradingStateChanged a person's request makes, or null when it changes nothing or lacks who/why. */
export function requestedChange(state: TradingState, req: StateRequest, day: string, atMs: number): DataOf<'TradingStateChanged'> | null {
  // Only the engine's own rules speak as risk:*, and only the configured policy as policy:*.
  if (req.by.startsWith('risk:') || isPolicy(req.by)) return null;
  const t = transitionTradingState(state, req.to, req.by, req.why, atMs);
  return t.ok ? { day, from: t.change.from, to: t.change.to, by: t.change.by, why: t.change.why } : null;
}

/** The automatic move to REDUCING once end-of-day equity is maxDrawdownPct below its peak. */
export function drawdownChange(state: TradingState, equityFen: number, peakFen: number, c: RiskConfig, day: string, atMs: number): DataOf<'TradingStateChanged'> | null {
  const t = drawdownTransition(state, equityFen, Math.max(peakFen, equityFen), c.maxDrawdownPct, atMs);
  return t ? { day, from: t.from, to: t.to, by: t.by, why: t.why } : null;
}

/**
 * The configured re-activation policy's move back to ACTIVE at the close (risk.yaml
 * `drawdownReactivation`), decided right after drawdownChange on the same equity and peak, or null.
 * Trading days are the exchange calendar's: a cooling-off period runs on while a service is down.
 */
export function reactivationChange(
  risk: { readonly state: TradingState; readonly lastChange: { readonly day: string; readonly by: string } | null },
  equityFen: number, peakFen: number, c: RiskConfig, calendar: TradingCalendar, day: string, atMs: number,
): DataOf<'TradingStateChanged'> | null {
  const tradingDaysSince = (since: string): number => calendar.range(since as TradingDay, day as TradingDay).filter((d) => d > since).length;
  const t = policyReactivation(c.drawdownReactivation, {
    state: risk.state, lastChange: risk.lastChange, equityFen, peakFen, tradingDaysSince, maxDrawdownPct: c.maxDrawdownPct,
  }, atMs);
  return t ? { day, from: t.from, to: t.to, by: t.by, why: t.why } : null;
}

/** Stops that fire on today's bar for the positions held, in symbol order. */
export function stopsFiring<S>(k: Kernel<S>, bars: DayBars, c: RiskConfig): StopDecision[] {
  const s = c.stops;
  if (s.fixedPct === null && s.trailingPct === null && s.atrMultiple === null && s.takeProfitPct === null && s.maxHoldingDays === null) return [];
  const view = portfolioView(k.projections.portfolio);
  const out: StopDecision[] = [];
  const day = bars.day as TradingDay;
  for (const sym of [...k.projections.risk.stops.keys()].sort()) {
    const t = k.projections.risk.stops.get(sym)!;
    const pos = view.position(sym);
    if (!pos || pos.qty <= 0) continue;
    const i = indexOfSymbol(bars, sym);
    const bar = i < 0 ? null : { high: bars.high[i]!, low: bars.low[i]!, close: bars.close[i]! };
    const atr = atrOf(k.atr, sym);
    const rules: StopRules = {
      ...(s.fixedPct !== null ? { fixedPct: s.fixedPct } : {}),
      ...(s.trailingPct !== null ? { trailingPct: s.trailingPct } : {}),
      ...(s.atrMultiple !== null && atr !== undefined && atr > 0 ? { atr: { multiple: s.atrMultiple, atrMilli: atr } } : {}),
      ...(s.takeProfitPct !== null ? { takeProfitPct: s.takeProfitPct } : {}),
      ...(s.maxHoldingDays !== null ? { maxHoldingDays: s.maxHoldingDays } : {}),
    };
    // Entry: average cost per share with buy fees, 0.001 CNY (cost basis survives bonus shares),
    // moved by the ex-day factors since entry like the highest close (domain/risk/stopReference.ts).
    const entry = adjustedEntryMilli(pos.costFen, pos.qty, t.entryAdjustPpb);
    const d = evaluateStops(
      { symbol: sym, qty: pos.qty, sellable: pos.sellable, entryPriceMilli: entry, entryDay: t.entryDay, highestCloseMilli: t.highestCloseMilli },
      bar, day, t.daysHeld + (bar ? 1 : 0), rules,
    );
    if (d) out.push(d);
  }
  return out;
}

/**
 * Re-sizes a signal strategy's buy with the configured method (fixed fraction is planOrders' own
 * sizing and is left as is). 0 means no order: no ATR history yet, or a Kelly fraction ≤ 0.
 */
export function sizeBuy<S>(k: Kernel<S>, sizing: SizingConfig, symbol: string, qty: number, priceMilli: number, lot: LotRule): number {
  if (sizing.method === 'fixed-fraction') return qty;
  const equity = portfolioView(k.projections.portfolio).equityFen();
  if (sizing.method === 'volatility-target') {
    const atr = atrOf(k.atr, symbol);
    return atr === undefined || atr <= 0 ? 0 : volatilityTarget(sizing, equity, priceMilli, atr, lot);
  }
  const rt = k.projections.risk.roundTrips;
  const est = rt.count >= sizing.minTrades && rt.wins > 0 && rt.losses > 0
    ? { winRate: rt.wins / rt.count, payoff: (rt.winFen / rt.wins) / (rt.lossFen / rt.losses) }
    : sizing.prior;
  return fractionalKelly({ ...est, fraction: sizing.fraction, cap: sizing.cap }, equity, priceMilli, lot);
}

/**
 * An order no larger than the per-order caps (maxOrderQty, maxOrderNotionalCny at the reference
 * price), rounded down to a lot: a large buy or exit is worked over several days instead of being
 * denied outright (the rest is asked for again on the next day's decision). Unchanged when it fits.
 */
export function clampToOrderCaps(qty: number, priceMilli: number, lot: LotRule, c: RiskConfig): number {
  const byNotional = Math.floor((c.maxOrderNotionalCny * 1000) / priceMilli);
  const cap = Math.min(c.maxOrderQty, byNotional);
  return qty <= cap ? qty : roundDownToLot(cap, lot);
}

export type Decision =
  | { readonly approved: true; readonly reservedFen: number }
  | { readonly approved: false; readonly reason: DataOf<'OrderDenied'>['reason']; readonly rule: string; readonly details: string };

/**
 * The whole pre-trade gate for one order: issue 2's order checks (shape, lots, working duplicates,
 * position/T+1, cash with same-day sale proceeds), then every risk rule in the configured order.
 * The first failure decides. Pure over the kernel: an audit replay decides the same.
 */
export function decide<S>(
  req: OrderRequest, k: Kernel<S>, bars: DayBars, marketRules: MarketRules, account: AccountFees, risk: RiskRules | null,
  clock: { nowMs: number; dayStartMs: number; recentOrders: readonly RecentAction[] },
): Decision {
  const day = bars.day as TradingDay;
  const orders = ordersView(k.projections.orders);
  let working: readonly WorkingOrderView[] | null = null;
  const d = decideOrder(req, {
    day, portfolio: portfolioView(k.projections.portfolio), get working() { return (working ??= orders.working()); }, workingIndex: orders.workingIndex(),
    rules: marketRules, account,
  });
  if (!d.approved) return { approved: false, reason: d.reason, rule: ORDER_CHECK_OF_V1_REASON[d.reason], details: d.details };
  if (!risk) return d;
  const ctx = buildRiskContext(k, bars, marketRules, account, { ...clock, recentCancels: [] });
  const r = evaluateOrder(req, ctx, risk.config);
  return r.approved ? d : { approved: false, reason: r.reason, rule: r.rule, details: r.details };
}
