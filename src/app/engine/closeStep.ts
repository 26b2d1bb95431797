import type {
  AccountFees, DayBars, MarketRules, DomainEvent, EventId, OrderRequest, SizingParams, TradingDay,
} from '../../domain/index.js';
import { exchangeTimeMs, indexOfSymbol, planOrders } from '../../domain/index.js';
import type { SizingConfig } from '../config/appConfig.js';
import type { RecentAction } from '../../domain/risk/rules/index.js';
import type { RiskRules, StateRequest } from './riskSteps.js';
import { clampToOrderCaps, decide, decisionVersion, drawdownChange, reactivationChange, requestedChange, sizeBuy, stopsFiring } from './riskSteps.js';
import type { OptimizeOptions } from '../../domain/portfolio/index.js';
import { optimizeTargets, rebalance, recentReturns } from '../../domain/portfolio/index.js';
import { fundamentalsView } from '../../domain/fundamentals/index.js';
import { sentimentOn } from '../../domain/sentiment/index.js';
import { strategyFundamentals } from '../../domain/strategy/index.js';
import { equityOf, ordersView, portfolioView, positionsValueFen } from '../../projections/index.js';
import type { AnyStrategy } from './kernel.js';
import { isTargetWeightStrategy } from './kernel.js';
import type { Stager } from './stager.js';

/** The rules a run decides with; rebuilt from the `RunStarted` config for audit replays. */
export interface EngineRules<S> {
  readonly strategy: AnyStrategy<S>;
  /** Signal strategies: fixed-fraction sizing. Target-weight strategies: the rebalancer's turnover threshold. */
  readonly sizing: SizingParams & { readonly turnoverThreshold: number };
  /** The dated A-share rules (lots, fees) sizing and the gate read. */
  readonly marketRules: MarketRules;
  readonly account: AccountFees;
  /** How a target-weight strategy's picks are weighted (equal: as the strategy says). */
  readonly optimize: OptimizeOptions;
  /** How a signal strategy's buys are sized (fixed fraction: `sizing.positionWeight`). */
  readonly positionSizing: SizingConfig;
  /** Risk limits, stops and trading states (config/risk.yaml); null only for journals from before them. */
  readonly risk: RiskRules | null;
}

export interface CloseInput {
  readonly bars: DayBars;
  /** Other market data of the day (fundamentals published, reference data), journaled before the bars. */
  readonly marketEvents: readonly DomainEvent[];
  /** The market time of the bars (the session's close), epoch ms. */
  readonly closeAt: number;
  /** When the step decides (its scheduled time), epoch ms: the decisions' occurredAt. */
  readonly at: number;
  /** A person's trading-state requests (the kill switch), read once before any order of the day is decided. */
  readonly requests: readonly StateRequest[];
}

/** Warm-up history: the day's market data and bars are journaled and folded (the strategy learns), nothing is decided. */
export function warmupStep<S>(st: Stager<S>, bars: DayBars, marketEvents: readonly DomainEvent[], closeAt: number): void {
  for (const e of marketEvents) st.stage(e, closeAt);
  st.stage({ type: 'BarsClosed', data: bars }, closeAt);
}

/**
 * The after-close step, identical for backtest, paper/live and audit replay: the day's market
 * data and bars → the kill switch → stops → strategy signals (or target weights) → sizing → the
 * pre-trade gate → end-of-day valuation, the drawdown check and the drawdown's re-activation policy.
 * The orders it approves go to the broker at the next release step. Pure over the stager's kernel: no IO.
 */
export function closeStep<S>(st: Stager<S>, rules: EngineRules<S>, input: CloseInput): void {
  const { bars, at } = input;
  const day = bars.day as TradingDay;
  const stage = (e: DomainEvent, causationId: string | null = null, offsetMs = 0): EventId => st.stage(e, at + offsetMs, causationId);
  for (const e of input.marketEvents) st.stage(e, input.closeAt);
  const barsId = st.stage({ type: 'BarsClosed', data: bars }, input.closeAt);
  const lastPrice = (sym: string): number | undefined => {
    const i = indexOfSymbol(bars, sym);
    return i < 0 ? undefined : bars.close[i];
  };
  const lotRuleOf = (sym: string) => rules.marketRules.lotRule(sym);
  const risk = rules.risk;
  // The kill switch: a person's requests are journaled before any order of the day is decided.
  for (const req of input.requests) {
    const change = requestedChange(st.kernel.projections.risk.state, req, day, at);
    if (change) stage({ type: 'TradingStateChanged', data: change }, barsId);
  }
  type Draft = { symbol: string; side: 'buy' | 'sell'; qty: number; refPrice: number; signalId: string | null; cause: EventId };
  const drafts: Draft[] = [];
  // Protective exits first: each becomes a sell that passes the gate like any order.
  const stopSells = new Set<string>();
  for (const d of risk ? stopsFiring(st.kernel, bars, risk.config) : []) {
    const id = stage({ type: 'StopTriggered', data: { day, symbol: d.symbol, kind: d.kind, triggerPrice: d.triggerPriceMilli, qty: d.qty, blockedBy: d.blockedBy ?? null, reason: d.reason } }, barsId);
    const price = lastPrice(d.symbol);
    if (d.qty > 0 && price) {
      drafts.push({ symbol: d.symbol, side: 'sell', qty: d.qty, refPrice: price, signalId: null, cause: id });
      stopSells.add(d.symbol);
    }
  }
  // Strategies read the day's bars adjusted for corporate actions; orders are sized on raw prices.
  const seen = st.kernel.adjustedBars ?? bars;
  const strategy = rules.strategy;
  if (isTargetWeightStrategy(strategy)) {
    // Ratios at today's raw close from reports published before today (point in time).
    const fundamentals = strategyFundamentals(fundamentalsView(st.kernel.fundamentals), bars, () => null, (sym) => sentimentOn(st.kernel.sentiment, sym, bars.day));
    const picked = strategy.targets(st.kernel.strategyState, seen, portfolioView(st.kernel.projections.portfolio), fundamentals);
    const targets = picked && optimizeTargets(picked, (sym) => (st.kernel.returns ? recentReturns(st.kernel.returns, sym) : []), rules.optimize);
    // TargetsSet records the strategy's weights; orders are planned with none above the risk limit's
    // share of equity (maxPositionPct), the excess staying in cash.
    const cap = risk?.config.maxPositionPct;
    const capped = (t: ReadonlyMap<string, number>) => (cap === undefined ? t : new Map([...t].map(([sym, w]) => [sym, Math.min(w, cap)])));
    if (targets) {
      const symbols = [...targets.keys()].sort();
      const targetsId = stage({ type: 'TargetsSet', data: { day, strategy: strategy.name, symbols, weights: symbols.map((x) => targets.get(x)!) } }, barsId);
      const view = portfolioView(st.kernel.projections.portfolio);
      const r = rebalance({
        targets: capped(targets), portfolio: view, held: [...st.kernel.projections.portfolio.positions.keys()].sort(), prices: lastPrice,
        equityFen: view.equityFen(), lotRuleOf, schedule: 'daily', lastRebalanceDay: null, day,
        turnoverThreshold: rules.sizing.turnoverThreshold,
        // Hold back 0.5% of equity for fees and for the open trading away from today's close.
        reserveFen: Math.ceil(view.equityFen() * 0.005),
      });
      for (const o of r.orders) {
        if (!stopSells.has(o.symbol)) drafts.push({ symbol: o.symbol, side: o.side, qty: o.qty, refPrice: o.refPrice, signalId: null, cause: targetsId });
      }
    }
  } else {
    const signals = strategy.signals(st.kernel.strategyState, seen, portfolioView(st.kernel.projections.portfolio)).map((d, i) => {
      const signalId = `S-${day}-${String(i + 1).padStart(4, '0')}`;
      const id = stage({ type: 'SignalEmitted', data: { signalId, day, strategy: strategy.name, ...d } }, barsId);
      return { signalId, id, symbol: d.symbol, side: d.side, strength: d.strength };
    });
    const byId = new Map(signals.map((x) => [x.signalId, x.id]));
    for (const d of planOrders(signals, portfolioView(st.kernel.projections.portfolio), ordersView(st.kernel.projections.orders).working(), lastPrice, rules.sizing, lotRuleOf)) {
      if (stopSells.has(d.symbol)) continue;
      const qty = d.side === 'buy' ? sizeBuy(st.kernel, rules.positionSizing, d.symbol, d.qty, d.refPrice, lotRuleOf(d.symbol)) : d.qty;
      if (qty > 0) drafts.push({ ...d, qty, cause: byId.get(d.signalId) ?? barsId });
    }
  }
  const ruleVersion = decisionVersion(rules.marketRules, risk);
  // Orders leave at most orderRate.perSecond per second (a throttle, as a live session would pace
  // them), so a rebalance is not cut off by the rate rule; each is decided at its own send time.
  const perSecond = risk?.config.orderRate.perSecond ?? Number.MAX_SAFE_INTEGER;
  const dayStartMs = exchangeTimeMs(day, 0, 0);
  const sent: RecentAction[] = [];
  // Orders above the per-order caps are cut to them (the rest follows on later days).
  if (risk) {
    for (const d of drafts) d.qty = clampToOrderCaps(d.qty, d.refPrice, lotRuleOf(d.symbol), risk.config);
    for (let i = drafts.length - 1; i >= 0; i--) if (drafts[i]!.qty <= 0) drafts.splice(i, 1);
  }
  drafts.forEach((d, i) => {
    const offsetMs = Math.floor(i / perSecond) * 1000;
    const nowMs = at + offsetMs;
    const req: OrderRequest = {
      orderId: `O-${day}-${String(i + 1).padStart(4, '0')}`, day, symbol: d.symbol, side: d.side, qty: d.qty,
      orderType: 'market', limitPrice: null, timeInForce: 'day', refPrice: d.refPrice, signalId: d.signalId,
    };
    const reqId = stage({ type: 'OrderRequested', data: req }, d.cause, offsetMs);
    const decision = decide(req, st.kernel, bars, rules.marketRules, rules.account, risk, { nowMs, dayStartMs, recentOrders: sent });
    if (decision.approved) {
      stage({ type: 'OrderApproved', data: { orderId: req.orderId, ruleVersion, reservedFen: decision.reservedFen } }, reqId, offsetMs);
      sent.push({ symbol: req.symbol, side: req.side, qty: req.qty, atMs: nowMs });
    } else {
      stage({ type: 'OrderDenied', data: { orderId: req.orderId, reason: decision.reason, rule: decision.rule, details: decision.details, ruleVersion } }, reqId, offsetMs);
    }
  });
  const lastOffset = drafts.length ? Math.floor((drafts.length - 1) / perSecond) * 1000 : 0;

  const p = st.kernel.projections.portfolio;
  // Equity counts dividends receivable between their ex-day and pay day.
  const equityFen = equityOf(p);
  const peakFen = st.kernel.projections.risk.peakEquityFen;
  const closedId = stage({ type: 'DayClosed', data: { day, cashFen: p.cashFen, positionsValueFen: positionsValueFen(p), equityFen, positions: p.positions.size } }, barsId, lastOffset);
  // Drawdown past the limit moves the account to REDUCING (sells only) until a person says otherwise,
  // or the configured re-activation policy (risk.yaml drawdownReactivation) lifts it at a later close.
  // The two never fire on the same close: one needs ACTIVE, the other REDUCING.
  const r = st.kernel.projections.risk;
  const dd = risk && (drawdownChange(r.state, equityFen, peakFen, risk.config, day, at + lastOffset)
    ?? reactivationChange(r, equityFen, peakFen, risk.config, rules.marketRules.calendar, day, at + lastOffset));
  if (dd) stage({ type: 'TradingStateChanged', data: dd }, closedId, lastOffset);
}
