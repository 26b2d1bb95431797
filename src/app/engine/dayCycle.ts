import type {
  AccountFees, BrokerAnswer, BrokerPort, Clock, DayBars, MarketRules, DomainEvent, EventId, IdGenerator, NewEvent,
  OrderRequest, SizingParams, TradingDay,
} from '../../domain/index.js';
import {
  CURRENT_SCHEMA_VERSION, exchangeTimeMs, indexOfSymbol, planOrders,
} from '../../domain/index.js';
import type { SizingConfig } from '../config/appConfig.js';
import type { RecentAction } from '../../domain/risk/rules/index.js';
import type { RiskRules, StateRequest } from './riskSteps.js';
import { clampToOrderCaps, decide, decisionVersion, drawdownChange, requestedChange, sizeBuy, stopsFiring } from './riskSteps.js';
import type { OptimizeOptions } from '../../domain/portfolio/index.js';
import { optimizeTargets, rebalance, recentReturns } from '../../domain/portfolio/index.js';
import { fundamentalsView } from '../../domain/fundamentals/index.js';
import { strategyFundamentals } from '../../domain/strategy/index.js';
import { equityOf, ordersView, portfolioView, positionsValueFen } from '../../projections/index.js';
import type { AnyStrategy, Kernel } from './kernel.js';
import { evolveKernel, isTargetWeightStrategy } from './kernel.js';

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

export interface DayPorts {
  readonly broker: BrokerPort;
  readonly ids: IdGenerator;
  /** A market-driven clock is told the market time of each event; a system clock ignores it. */
  readonly clock: Clock & { observe?(ms: number): void };
  /**
   * Live and paper: append what is staged so far at once, so a broker's answers are on the journal
   * before any decider uses them. Backtests and replays leave it unset: the whole bar close is one
   * transaction (the simulated broker's answers can always be produced again).
   */
  readonly journalNow?: (events: readonly NewEvent[]) => Promise<void>;
  /** The kill switch: a person's trading-state requests, read once a day before any order is decided. */
  readonly control?: (day: string) => readonly StateRequest[];
}

export interface DayResult<S> {
  readonly kernel: Kernel<S>;
  /** The day's events in journal order not yet handed to `journalNow`: append them as one batch. */
  readonly events: NewEvent[];
}

/** Which journal stream an event belongs to. */
export function streamOf(e: DomainEvent): string {
  switch (e.type) {
    case 'RunStarted': return 'run';
    case 'BarsClosed': return 'market';
    case 'SignalEmitted': case 'TargetsSet': return 'strategy';
    case 'FundamentalsReported': case 'InstrumentsReferenced': return 'market';
    case 'TradingStateChanged': case 'StopTriggered': return 'risk';
    case 'OrderRequested': case 'OrderApproved': case 'OrderDenied': case 'OrderSubmitted': case 'OrderAccepted':
    case 'OrderRejected': case 'OrderFilled': case 'OrderExpired': case 'OrderCancelled':
      return `order-${e.data.orderId}`;
    default: return 'account';
  }
}

/** What an event belongs to: its order, its signal, or else its trading day. */
function correlationOf(e: DomainEvent, day: string): string {
  if ('orderId' in e.data && typeof e.data.orderId === 'string') return e.data.orderId;
  return e.type === 'SignalEmitted' ? e.data.signalId : day;
}

/**
 * One trading day through the one engine loop, identical for backtest, paper/live and audit
 * replay (only the ports differ): broker answers about the session → the day's bars → strategy
 * signals → sizing → pre-trade gate → submission → the broker's acknowledgements → end-of-day
 * valuation. Every event is folded into the kernel the moment it is staged, so each decider sees
 * everything before it; the caller appends the rest of the day as one batch.
 */
export async function runDay<S>(
  start: Kernel<S>, bars: DayBars, rules: EngineRules<S>, ports: DayPorts, preamble: readonly DomainEvent[] = [],
  marketEvents: readonly DomainEvent[] = [],
): Promise<DayResult<S>> {
  const day = bars.day as TradingDay;
  let k = start;
  let events: NewEvent[] = [];
  const journalAnswers = async (): Promise<void> => {
    if (!ports.journalNow || events.length === 0) return;
    const now = events;
    events = [];
    await ports.journalNow(now);
  };
  const stage = (e: DomainEvent, hh: number, mm: number, causationId: string | null = null, offsetMs = 0): EventId => {
    const occurredAt = exchangeTimeMs(day, hh, mm) + offsetMs;
    ports.clock.observe?.(occurredAt);
    const eventId = ports.ids.eventId();
    const correlationId = correlationOf(e, day);
    events.push({
      eventId, stream: streamOf(e), type: e.type, schemaVersion: CURRENT_SCHEMA_VERSION[e.type], occurredAt,
      recordedAt: ports.clock.now(), causationId, correlationId, data: e.data,
    });
    k = evolveKernel(k, e, rules.strategy);
    return eventId;
  };
  const ctx = () => ({ portfolio: portfolioView(k.projections.portfolio) });

  for (const e of preamble) stage(e, 9, 0);
  // Corporate actions settle before the open (09:15) on holdings at the previous close; fills are at the open (09:30).
  const CORPORATE = new Set(['DividendPaid', 'DividendEntitled', 'SharesDistributed']);
  for (const a of await ports.broker.onMarketDay(bars, ctx())) stage(a, 9, CORPORATE.has(a.type) ? 15 : 30);
  await journalAnswers();
  // Other market data of the day (fundamentals published) is journaled before the bars it goes with.
  for (const e of marketEvents) stage(e, 15, 0);
  const barsId = stage({ type: 'BarsClosed', data: bars }, 15, 0);

  const lastPrice = (sym: string): number | undefined => {
    const i = indexOfSymbol(bars, sym);
    return i < 0 ? undefined : bars.close[i];
  };
  const lotRuleOf = (sym: string) => rules.marketRules.lotRule(sym);
  const risk = rules.risk;
  // The kill switch: a person's requests are journaled before any order of the day is decided.
  for (const req of ports.control?.(day) ?? []) {
    const change = requestedChange(k.projections.risk.state, req, day, exchangeTimeMs(day, 15, 0));
    if (change) stage({ type: 'TradingStateChanged', data: change }, 15, 0, barsId);
  }
  type Draft = { symbol: string; side: 'buy' | 'sell'; qty: number; refPrice: number; signalId: string | null; cause: EventId };
  const drafts: Draft[] = [];
  // Protective exits first: each becomes a sell that passes the gate like any order.
  const stopSells = new Set<string>();
  for (const d of risk ? stopsFiring(k, bars, risk.config) : []) {
    const id = stage({ type: 'StopTriggered', data: { day, symbol: d.symbol, kind: d.kind, triggerPrice: d.triggerPriceMilli, qty: d.qty, blockedBy: d.blockedBy ?? null, reason: d.reason } }, 15, 0, barsId);
    const price = lastPrice(d.symbol);
    if (d.qty > 0 && price) {
      drafts.push({ symbol: d.symbol, side: 'sell', qty: d.qty, refPrice: price, signalId: null, cause: id });
      stopSells.add(d.symbol);
    }
  }
  // Strategies read the day's bars adjusted for corporate actions; orders are sized on raw prices.
  const seen = k.adjustedBars ?? bars;
  const strategy = rules.strategy;
  if (isTargetWeightStrategy(strategy)) {
    // Ratios at today's raw close from reports published before today (point in time).
    const fundamentals = strategyFundamentals(fundamentalsView(k.fundamentals), bars, () => null);
    const picked = strategy.targets(k.strategyState, seen, portfolioView(k.projections.portfolio), fundamentals);
    const targets = picked && optimizeTargets(picked, (sym) => recentReturns(k.returns, sym), rules.optimize);
    // TargetsSet records the strategy's weights; orders are planned with none above the risk limit's
    // share of equity (maxPositionPct), the excess staying in cash.
    const cap = risk?.config.maxPositionPct;
    const capped = (t: ReadonlyMap<string, number>) => (cap === undefined ? t : new Map([...t].map(([sym, w]) => [sym, Math.min(w, cap)])));
    if (targets) {
      const symbols = [...targets.keys()].sort();
      const targetsId = stage({ type: 'TargetsSet', data: { day, strategy: strategy.name, symbols, weights: symbols.map((x) => targets.get(x)!) } }, 15, 0, barsId);
      const view = portfolioView(k.projections.portfolio);
      const r = rebalance({
        targets: capped(targets), portfolio: view, held: [...k.projections.portfolio.positions.keys()].sort(), prices: lastPrice,
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
    const signals = strategy.signals(k.strategyState, seen, portfolioView(k.projections.portfolio)).map((d, i) => {
      const signalId = `S-${day}-${String(i + 1).padStart(4, '0')}`;
      const id = stage({ type: 'SignalEmitted', data: { signalId, day, strategy: strategy.name, ...d } }, 15, 0, barsId);
      return { signalId, id, symbol: d.symbol, side: d.side, strength: d.strength };
    });
    const byId = new Map(signals.map((x) => [x.signalId, x.id]));
    for (const d of planOrders(signals, portfolioView(k.projections.portfolio), ordersView(k.projections.orders).working(), lastPrice, rules.sizing, lotRuleOf)) {
      if (stopSells.has(d.symbol)) continue;
      const qty = d.side === 'buy' ? sizeBuy(k, rules.positionSizing, d.symbol, d.qty, d.refPrice, lotRuleOf(d.symbol)) : d.qty;
      if (qty > 0) drafts.push({ ...d, qty, cause: byId.get(d.signalId) ?? barsId });
    }
  }
  const approved: { req: OrderRequest; approvalId: EventId }[] = [];
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
    const nowMs = exchangeTimeMs(day, 15, 0) + offsetMs;
    const req: OrderRequest = {
      orderId: `O-${day}-${String(i + 1).padStart(4, '0')}`, day, symbol: d.symbol, side: d.side, qty: d.qty,
      orderType: 'market', limitPrice: null, timeInForce: 'day', refPrice: d.refPrice, signalId: d.signalId,
    };
    const reqId = stage({ type: 'OrderRequested', data: req }, 15, 0, d.cause, offsetMs);
    const decision = decide(req, k, bars, rules.marketRules, rules.account, risk, { nowMs, dayStartMs, recentOrders: sent });
    if (decision.approved) {
      const approvalId = stage({ type: 'OrderApproved', data: { orderId: req.orderId, ruleVersion, reservedFen: decision.reservedFen } }, 15, 0, reqId, offsetMs);
      approved.push({ req, approvalId });
      sent.push({ symbol: req.symbol, side: req.side, qty: req.qty, atMs: nowMs });
    } else {
      stage({ type: 'OrderDenied', data: { orderId: req.orderId, reason: decision.reason, rule: decision.rule, details: decision.details, ruleVersion } }, 15, 0, reqId, offsetMs);
    }
  });
  const lastOffset = drafts.length ? Math.floor((drafts.length - 1) / perSecond) * 1000 : 0;

  const submittedIds = new Map<string, EventId>();
  for (const a of approved) {
    submittedIds.set(a.req.orderId, stage({ type: 'OrderSubmitted', data: { orderId: a.req.orderId, broker: ports.broker.name } }, 15, 0, a.approvalId, lastOffset));
  }
  if (approved.length > 0) {
    const acks: readonly BrokerAnswer[] = await ports.broker.submit(approved.map((a) => a.req), ctx());
    for (const a of acks) stage(a, 15, 0, submittedIds.get(correlationOf(a, day)) ?? null, lastOffset);
    await journalAnswers();
  }

  const p = k.projections.portfolio;
  // Equity counts dividends receivable between their ex-day and pay day.
  const equityFen = equityOf(p);
  const peakFen = k.projections.risk.peakEquityFen;
  const closedId = stage({ type: 'DayClosed', data: { day, cashFen: p.cashFen, positionsValueFen: positionsValueFen(p), equityFen, positions: p.positions.size } }, 15, 0, barsId, lastOffset);
  // Drawdown past the limit moves the account to REDUCING (sells only) until a person says otherwise.
  const dd = risk && drawdownChange(k.projections.risk.state, equityFen, peakFen, risk.config, day, exchangeTimeMs(day, 15, 0) + lastOffset);
  if (dd) stage({ type: 'TradingStateChanged', data: dd }, 15, 0, closedId, lastOffset);
  return { kernel: k, events };
}
