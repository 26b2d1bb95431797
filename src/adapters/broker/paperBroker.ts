import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type {
  BrokerAccount, BrokerAnswer, BrokerError, BrokerOrder, BrokerPoll, BrokerPort, BrokerPosition, BrokerReport, Clock,
  DayBars, DomainEvent, OrderQuery, OrderReport, TradingDay,
} from '../../domain/index.js';
import { canonicalHash, exchangeTimeMs, mulDivRound } from '../../domain/index.js';
import type { PortfolioState } from '../../projections/index.js';
import { emptyPortfolio, equityOf, evolvePortfolio, portfolioView, sellableOn } from '../../projections/index.js';
import type { PaperEntry, PaperLog } from './paperBrokerLog.js';
import type { SimOrder, SimulatedBrokerOptions } from './simulatedExchange.js';
import { createSimulatedExchange } from './simulatedExchange.js';

export interface PaperBrokerOptions extends SimulatedBrokerOptions {
  readonly name?: string;
  readonly initialCashFen: number;
  /** The first trading day it settles: history before it (the strategy's warm-up) never trades here. */
  readonly fromDay: TradingDay;
  /** Trading days the market source has bars for, ascending. */
  readonly marketDays: () => readonly string[];
  readonly barsOf: (day: string) => DayBars | undefined;
  readonly clock: Clock;
  /** When a day's bar is complete (the session's close), epoch ms: the day settles at the first call after it. */
  readonly closeAt: (day: string) => number;
}

interface OrderBook {
  brokerOrderId: string | null;
  filledQty: number;
  notionalFen: number;
  feeFen: number;
  last: OrderReport;
}

const toSim = (o: BrokerOrder): SimOrder => ({
  orderId: o.clientOrderId, symbol: o.symbol, side: o.side, qty: o.qty, orderType: o.priceType,
  limitPrice: o.limitPriceMilli, timeInForce: o.timeInForce,
});

/**
 * The paper broker (`broker: {kind: paper}`): a simulated broker with books of its own, kept in its
 * own file (see PaperLog), that matches orders against the market source's daily bars with the
 * configured fill, slippage and participation models (the simulated exchange backtests use) and
 * answers through the same port as a real broker: acknowledgements at once, fills and expiries
 * once the day's bar is complete (its close), registrar credits on ex- and pay days, positions and
 * cash from its own books. It never takes a clientOrderId twice.
 */
export async function createPaperBroker(opts: PaperBrokerOptions, log: PaperLog): Promise<Either<BrokerError, BrokerPort>> {
  const exchange = createSimulatedExchange(opts);
  const name = opts.name ?? 'paper';
  let portfolio: PortfolioState = { ...emptyPortfolio, initialCashFen: opts.initialCashFen, cashFen: opts.initialCashFen };
  const reports: BrokerReport[] = [];
  const orders = new Map<string, OrderBook>();
  const received = new Set<string>();
  let lastDay: string | null = null;
  let fromDay = opts.fromDay as string;
  let broken: BrokerError | null = null;

  /** Books one answer about order `id` and publishes the order's cumulative report. */
  const report = (id: string, r: Pick<OrderReport, 'status' | 'message' | 'at' | 'lastFill' | 'reason'>, fill?: { qty: number; notionalFen: number; feeFen: number }, brokerOrderId?: string) => {
    const b = orders.get(id);
    const next = {
      brokerOrderId: brokerOrderId ?? b?.brokerOrderId ?? null,
      filledQty: (b?.filledQty ?? 0) + (fill?.qty ?? 0),
      notionalFen: (b?.notionalFen ?? 0) + (fill?.notionalFen ?? 0),
      feeFen: (b?.feeFen ?? 0) + (fill?.feeFen ?? 0),
    };
    const last: OrderReport = {
      kind: 'order', clientOrderId: id, brokerOrderId: next.brokerOrderId, filledQty: next.filledQty, filledNotionalFen: next.notionalFen, feeFen: next.feeFen, ...r,
    };
    orders.set(id, { ...next, last });
    reports.push(last);
  };

  /** Turns the exchange's answers into cumulative reports and books them. */
  function book(answers: readonly BrokerAnswer[], day: string | null, at: number): void {
    for (const a of answers) {
      portfolio = evolvePortfolio(portfolio, a as DomainEvent);
      const time = (hh: number, mm: number) => (day ? exchangeTimeMs(day as TradingDay, hh, mm) : at);
      switch (a.type) {
        case 'OrderAccepted': report(a.data.orderId, { status: 'accepted', message: 'accepted', at, lastFill: null, reason: null }, undefined, a.data.brokerOrderId); break;
        case 'OrderRejected': report(a.data.orderId, { status: 'rejected', message: a.data.details, at: time(9, 30), lastFill: null, reason: a.data.reason }); break;
        case 'OrderExpired': report(a.data.orderId, { status: 'expired', message: a.data.details, at: time(15, 0), lastFill: null, reason: a.data.reason }); break;
        case 'OrderCancelled': report(a.data.orderId, { status: 'cancelled', message: a.data.details, at, lastFill: null, reason: null }); break;
        case 'OrderFilled': {
          const f = a.data;
          const fee = f.commissionFen + f.stampDutyFen + f.transferFeeFen + f.otherFeesFen;
          report(f.orderId, {
            status: f.leavesQty === 0 ? 'filled' : 'partially_filled', message: 'filled', at: time(9, 30), reason: null,
            lastFill: { fillId: f.fillId, day: f.day as TradingDay, qty: f.qty, priceMilli: f.price, notionalFen: f.notionalFen, commissionFen: f.commissionFen, stampDutyFen: f.stampDutyFen, transferFeeFen: f.transferFeeFen, otherFeesFen: f.otherFeesFen },
          }, { qty: f.qty, notionalFen: f.notionalFen, feeFen: fee });
          break;
        }
        default: reports.push({ kind: 'corporate', event: a, at: time(9, 15) });
      }
    }
  }

  async function settle(day: string): Promise<string> {
    const bars = opts.barsOf(day);
    if (!bars) throw new Error(`no bars for ${day}`);
    const answers = await exchange.onMarketDay(bars, { portfolio: portfolioView(portfolio) });
    book(answers, day, exchangeTimeMs(day as TradingDay, 15, 0));
    portfolio = evolvePortfolio(portfolio, { type: 'BarsClosed', data: bars });
    lastDay = day;
    return canonicalHash(answers);
  }

  async function apply(e: PaperEntry): Promise<void> {
    switch (e.kind) {
      case 'init': fromDay = e.fromDay; return;
      case 'submit':
        received.add(e.order.clientOrderId);
        if (!e.duplicate) book(await exchange.submit([toSim(e.order)]), null, e.order.createdAt);
        return;
      case 'cancel': book(exchange.cancel(e.clientOrderId, 'cancelled on request'), null, e.at); return;
      case 'day': {
        const h = await settle(e.day);
        if (h !== e.answersHash) throw new Error(`the paper broker's record of ${e.day} does not reproduce with today's market data`);
      }
    }
  }

  /** Settles every trading day whose close has passed. */
  async function advance(): Promise<Either<BrokerError, void>> {
    if (broken) return left(broken);
    const now = opts.clock.now();
    for (const day of opts.marketDays()) {
      if (day < fromDay || (lastDay !== null && day <= lastDay)) continue;
      if (opts.closeAt(day) > now) break;
      const before = reports.length;
      const answersHash = await settle(day);
      const w = log.append({ kind: 'day', day, answersHash });
      if (isLeft(w)) {
        reports.length = before; // not durable: not told
        broken = w.left;
        return w;
      }
    }
    return right(undefined);
  }

  try {
    const existing = log.entries();
    if (existing.length === 0) {
      const w = log.append({ kind: 'init', initialCashFen: opts.initialCashFen, fromDay });
      if (isLeft(w)) return w;
    } else {
      const first = existing[0]!;
      if (first.kind !== 'init' || first.initialCashFen !== opts.initialCashFen) {
        return left({ code: 'BROKER_BAD_ANSWER', message: `paper broker file ${log.path}: it was opened for another account (initial cash differs)` });
      }
      for (const e of existing) await apply(e);
    }
  } catch (e) {
    return left({ code: 'BROKER_BAD_ANSWER', message: `paper broker file ${log.path ?? '(memory)'}: ${(e as Error).message}` });
  }

  const withAdvance = async <T>(f: () => T): Promise<Either<BrokerError, T>> => {
    const a = await advance();
    return isLeft(a) ? a : right(f());
  };

  return right({
    name,
    external: false,
    async submit(order) {
      const a = await advance();
      if (isLeft(a)) return a;
      const duplicate = received.has(order.clientOrderId);
      const w = log.append({ kind: 'submit', order, duplicate });
      if (isLeft(w)) return w;
      received.add(order.clientOrderId);
      if (duplicate) return left({ code: 'BROKER_DUPLICATE_ORDER', message: `the paper broker already holds order ${order.clientOrderId}` });
      book(await exchange.submit([toSim(order)]), null, order.createdAt);
      return right(undefined);
    },
    async cancel(clientOrderId, at) {
      const a = await advance();
      if (isLeft(a)) return a;
      const w = log.append({ kind: 'cancel', clientOrderId, at });
      if (isLeft(w)) return w;
      book(exchange.cancel(clientOrderId, 'cancelled on request'), null, at);
      return right(undefined);
    },
    poll: (cursor) => withAdvance((): BrokerPoll => {
      const from = cursor === null ? 0 : Number(cursor);
      return { reports: reports.slice(Number.isSafeInteger(from) && from >= 0 ? from : 0), problems: [], cursor: String(reports.length) };
    }),
    queryOrder: (id) => withAdvance((): OrderQuery => {
      const b = orders.get(id);
      return b ? { state: 'reported', report: b.last } : received.has(id) ? { state: 'pending' } : { state: 'unknown' };
    }),
    queryOrders: () => withAdvance(() => [...orders.values()].map((b) => b.last)),
    queryPositions: () => withAdvance((): BrokerPosition[] => [...portfolio.positions.values()]
      .sort((a, b) => (a.symbol < b.symbol ? -1 : 1))
      .map((p) => ({ symbol: p.symbol, quantity: p.qty, sellableQuantity: sellableOn(p, portfolio.day), avgCostMilli: p.qty > 0 ? mulDivRound(p.costFen, 10, p.qty, 'halfUp') : null }))),
    queryAccount: () => withAdvance((): BrokerAccount => ({ cashFen: portfolio.cashFen, frozenCashFen: 0, totalAssetFen: equityOf(portfolio) })),
    async close() { log.close(); },
  });
}
