import type {
  AccountFees, BrokerAnswer, BrokerPort, Clock, DayBars, MarketRules, DomainEvent, EventId, IdGenerator, NewEvent,
  OrderRequest, SizingParams, TradingDay,
} from '../../domain/index.js';
import {
  CURRENT_SCHEMA_VERSION, decideOrder, gateRuleVersion, exchangeTimeMs, indexOfSymbol, planOrders,
} from '../../domain/index.js';
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
    case 'FundamentalsReported': return 'market';
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
  const stage = (e: DomainEvent, hh: number, mm: number, causationId: string | null = null): EventId => {
    const occurredAt = exchangeTimeMs(day, hh, mm);
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
  // Strategies read the day's bars adjusted for corporate actions; orders are sized on raw prices.
  const seen = k.adjustedBars ?? bars;
  const drafts: { symbol: string; side: 'buy' | 'sell'; qty: number; refPrice: number; signalId: string | null; cause: EventId }[] = [];
  const strategy = rules.strategy;
  if (isTargetWeightStrategy(strategy)) {
    // Ratios at today's raw close from reports published before today (point in time).
    const fundamentals = strategyFundamentals(fundamentalsView(k.fundamentals), bars, () => null);
    const picked = strategy.targets(k.strategyState, seen, portfolioView(k.projections.portfolio), fundamentals);
    const targets = picked && optimizeTargets(picked, (sym) => recentReturns(k.returns, sym), rules.optimize);
    if (targets) {
      const symbols = [...targets.keys()].sort();
      const targetsId = stage({ type: 'TargetsSet', data: { day, strategy: strategy.name, symbols, weights: symbols.map((x) => targets.get(x)!) } }, 15, 0, barsId);
      const view = portfolioView(k.projections.portfolio);
      const r = rebalance({
        targets, portfolio: view, held: [...k.projections.portfolio.positions.keys()].sort(), prices: lastPrice,
        equityFen: view.equityFen(), lotRuleOf, schedule: 'daily', lastRebalanceDay: null, day,
        turnoverThreshold: rules.sizing.turnoverThreshold,
        // Hold back 0.5% of equity for fees and for the open trading away from today's close.
        reserveFen: Math.ceil(view.equityFen() * 0.005),
      });
      for (const o of r.orders) drafts.push({ symbol: o.symbol, side: o.side, qty: o.qty, refPrice: o.refPrice, signalId: null, cause: targetsId });
    }
  } else {
    const signals = strategy.signals(k.strategyState, seen, portfolioView(k.projections.portfolio)).map((d, i) => {
      const signalId = `S-${day}-${String(i + 1).padStart(4, '0')}`;
      const id = stage({ type: 'SignalEmitted', data: { signalId, day, strategy: strategy.name, ...d } }, 15, 0, barsId);
      return { signalId, id, symbol: d.symbol, side: d.side, strength: d.strength };
    });
    const byId = new Map(signals.map((x) => [x.signalId, x.id]));
    for (const d of planOrders(signals, portfolioView(k.projections.portfolio), ordersView(k.projections.orders).working(), lastPrice, rules.sizing, lotRuleOf)) {
      drafts.push({ ...d, cause: byId.get(d.signalId) ?? barsId });
    }
  }
  const approved: { req: OrderRequest; approvalId: EventId }[] = [];
  const ruleVersion = gateRuleVersion(rules.marketRules);
  drafts.forEach((d, i) => {
    const req: OrderRequest = {
      orderId: `O-${day}-${String(i + 1).padStart(4, '0')}`, day, symbol: d.symbol, side: d.side, qty: d.qty,
      orderType: 'market', limitPrice: null, timeInForce: 'day', refPrice: d.refPrice, signalId: d.signalId,
    };
    const reqId = stage({ type: 'OrderRequested', data: req }, 15, 0, d.cause);
    const decision = decideOrder(req, {
      day, portfolio: portfolioView(k.projections.portfolio), working: ordersView(k.projections.orders).working(),
      rules: rules.marketRules, account: rules.account,
    });
    if (decision.approved) {
      const approvalId = stage({ type: 'OrderApproved', data: { orderId: req.orderId, ruleVersion, reservedFen: decision.reservedFen } }, 15, 0, reqId);
      approved.push({ req, approvalId });
    } else {
      stage({ type: 'OrderDenied', data: { orderId: req.orderId, reason: decision.reason, details: decision.details, ruleVersion } }, 15, 0, reqId);
    }
  });

  const submittedIds = new Map<string, EventId>();
  for (const a of approved) {
    submittedIds.set(a.req.orderId, stage({ type: 'OrderSubmitted', data: { orderId: a.req.orderId, broker: ports.broker.name } }, 15, 0, a.approvalId));
  }
  if (approved.length > 0) {
    const acks: readonly BrokerAnswer[] = await ports.broker.submit(approved.map((a) => a.req), ctx());
    for (const a of acks) stage(a, 15, 0, submittedIds.get(correlationOf(a, day)) ?? null);
    await journalAnswers();
  }

  const p = k.projections.portfolio;
  // Equity counts dividends receivable between their ex-day and pay day.
  stage({ type: 'DayClosed', data: { day, cashFen: p.cashFen, positionsValueFen: positionsValueFen(p), equityFen: equityOf(p), positions: p.positions.size } }, 15, 0, barsId);
  return { kernel: k, events };
}
