import type {
  BrokerAnswer, CashDividend, CorporateAction, DayBars, DividendReceivable, OrderRequest, PortfolioView,
  SecuritySymbol, TradingDay,
} from '../../domain/index.js';
import { addCalendarDays, corporateActionAnswers, indexOfSymbol, notionalFen, priceMilli, shares } from '../../domain/index.js';
import type { MarketPriceRule, SlippageModel } from '../../domain/execution/matching.js';
import { matchOnDailyBar } from '../../domain/execution/matching.js';
import type { AccountFees, MarketRules } from '../../domain/rules/marketRules.js';

export interface ExecutionModel {
  /** Where a market order fills within the day's bar. */
  readonly marketPrice: MarketPriceRule;
  /** Largest share of a bar's volume one order may take, (0, 1]. */
  readonly participation: number;
  readonly slippage: SlippageModel;
}

export interface SimulatedBrokerOptions {
  readonly rules: MarketRules;
  readonly account: AccountFees;
  readonly execution: ExecutionModel;
  /** Corporate actions (cash dividends, bonus shares, conversions) the registrar settles. */
  readonly corporateActions?: readonly CorporateAction[];
  /** Flat dividend tax withheld at payment, ppb of the gross (default 0). */
  readonly dividendTaxRatePpb?: number;
  /** First trading day of instruments, for IPO no-limit days. */
  readonly listDays?: ReadonlyMap<string, TradingDay>;
}

/** What the matching needs of an order; `orderId` is whatever the caller keys orders by (the paper broker: the client order id). */
export type SimOrder = Pick<OrderRequest, 'orderId' | 'symbol' | 'side' | 'qty' | 'orderType' | 'limitPrice' | 'timeInForce'>;

export interface SimulatedExchange {
  /** Settles one trading day: corporate actions on the holdings at the previous close, then the working orders. */
  onMarketDay(bars: DayBars, ctx: { readonly portfolio: PortfolioView }): Promise<BrokerAnswer[]>;
  /** Accepts orders to work from the next trading day's bar. */
  submit(orders: readonly SimOrder[]): Promise<BrokerAnswer[]>;
  /** Cancels a working order (nothing when it is not working). */
  cancel(orderId: string, details: string): BrokerAnswer[];
}

interface Working {
  readonly order: SimOrder;
  filled: number;
  rawCommission: number | null;
}

const answerExpired = (orderId: string, reason: Extract<BrokerAnswer, { type: 'OrderExpired' }>['data']['reason'], details: string): BrokerAnswer =>
  ({ type: 'OrderExpired', data: { orderId, reason, details } });

/**
 * The simulated exchange behind backtests and the paper broker, matching against daily bars with the
 * market rules in force each day: the day's price limits (no buy into a sealed limit-up, no sell
 * into a sealed limit-down, no limit price beyond the band), the volume participation cap with
 * lot-rounded partial fills, the configured slippage, dated fees with the per-order commission
 * minimum. Orders accepted before a day is settled work on that day's bar: sells first (sale proceeds
 * fund the same day's buys), then buys, each in order id order. A day order's unfilled rest
 * expires at that day's close; a GTC order keeps working. A suspended stock does not fill.
 */
export function createSimulatedExchange(opts: SimulatedBrokerOptions): SimulatedExchange {
  const book = new Map<string, Working>();
  const lastClose = new Map<string, number>();
  const actions = opts.corporateActions ?? [];
  let receivables: DividendReceivable[] = [];
  const { rules, account, execution } = opts;

  function settle(w: Working, bars: DayBars, day: TradingDay, cash: number, sellable: number): { answers: BrokerAnswer[]; cashDelta: number; done: boolean } {
    const o = w.order;
    const sym = o.symbol as SecuritySymbol;
    const i = indexOfSymbol(bars, sym);
    const leaves = o.qty - w.filled;
    if (i < 0) {
      return o.timeInForce === 'day'
        ? { answers: [answerExpired(o.orderId, 'SUSPENDED', `${sym} did not trade on ${day}`)], cashDelta: 0, done: true }
        : { answers: [], cashDelta: 0, done: false };
    }
    const ref = bars.preClose[i] ?? lastClose.get(sym) ?? null;
    let computed;
    try {
      computed = ref === null ? null : rules.priceLimits({ symbol: sym, day, refPrice: ref, isSt: bars.isSt[i] === 1, listDay: opts.listDays?.get(sym) ?? null });
    } catch (e) {
      // No rule covers this instrument (e.g. fund bands are not in the tables yet): refuse the order, keep running.
      return { answers: [{ type: 'OrderRejected', data: { orderId: o.orderId, reason: 'BROKER_ERROR', details: (e as Error).message } }], cashDelta: 0, done: true };
    }
    // A bar that traded beyond the computed band means the reference price is unknown to us (data
    // without pre_close across an ex-date, an unlisted IPO day): trust the bar, not the band.
    const limits = computed && (bars.high[i]! > computed.up || bars.low[i]! < computed.down) ? null : computed;
    const m = matchOnDailyBar(
      { side: o.side, qty: leaves, type: o.orderType, limitPrice: o.limitPrice },
      { open: bars.open[i]!, high: bars.high[i]!, low: bars.low[i]!, close: bars.close[i]!, volume: bars.volume[i]!, amountFen: bars.amountFen[i]! },
      { limits, lot: rules.lotRule(sym), tickMilli: rules.tickMilli(sym), marketPrice: execution.marketPrice, participation: execution.participation, slippage: execution.slippage, heldQty: o.side === 'sell' ? sellable : undefined },
    );
    const expireRest = (reason: Parameters<typeof answerExpired>[1], details: string) =>
      (o.timeInForce === 'day' ? [answerExpired(o.orderId, reason, details)] : []);
    if (m.filledQty === 0 || m.price === null) {
      const answers = expireRest(m.reason ?? 'END_OF_DAY', `no fill on ${day}`);
      return { answers, cashDelta: 0, done: answers.length > 0 };
    }
    if (o.side === 'sell' && m.filledQty > sellable) {
      return { answers: [{ type: 'OrderRejected', data: { orderId: o.orderId, reason: 'INSUFFICIENT_POSITION', details: `sell ${m.filledQty}, ${sellable} sellable` } }], cashDelta: 0, done: true };
    }
    const notional = notionalFen(priceMilli(m.price), shares(m.filledQty));
    const f = rules.fees({ side: o.side, symbol: sym, day, notionalFen: notional, account, previousRawCommissionFen: w.rawCommission });
    const other = f.handlingFeeFen + f.regulatoryFeeFen;
    const fees = f.commissionFen + f.stampDutyFen + f.transferFeeFen + other;
    if (o.side === 'buy' && notional + fees > cash) {
      const answers: BrokerAnswer[] = w.filled === 0
        ? [{ type: 'OrderRejected', data: { orderId: o.orderId, reason: 'INSUFFICIENT_CASH', details: `needs ${notional + fees} fen, ${cash} fen available` } }]
        : [answerExpired(o.orderId, 'INSUFFICIENT_CASH', `the rest needs ${notional + fees} fen, ${cash} fen available`)];
      return { answers, cashDelta: 0, done: true };
    }
    w.filled += m.filledQty;
    w.rawCommission = (w.rawCommission ?? 0) + f.rawCommissionFen;
    const rest = o.qty - w.filled;
    const answers: BrokerAnswer[] = [{
      type: 'OrderFilled',
      data: {
        orderId: o.orderId, fillId: `${o.orderId}-${day}`, day, symbol: sym, side: o.side, qty: m.filledQty, price: m.price,
        notionalFen: notional, commissionFen: f.commissionFen, stampDutyFen: f.stampDutyFen, transferFeeFen: f.transferFeeFen,
        otherFeesFen: other, leavesQty: rest,
      },
    }];
    if (rest > 0) answers.push(...expireRest(m.reason ?? 'VOLUME_LIMIT', `${rest} shares unfilled at the close of ${day}`));
    return { answers, cashDelta: o.side === 'buy' ? -(notional + fees) : notional - fees, done: rest === 0 || o.timeInForce === 'day' };
  }

  return {
    async onMarketDay(bars: DayBars, ctx: { readonly portfolio: PortfolioView }): Promise<BrokerAnswer[]> {
      const day = bars.day as TradingDay;
      const out: BrokerAnswer[] = [];
      let cash = ctx.portfolio.cashFen;
      const corporate = corporateActionAnswers(actions, day, (sym) => ctx.portfolio.position(sym)?.qty ?? 0, {
        receivables, ...(opts.dividendTaxRatePpb ? { dividendTaxRatePpb: opts.dividendTaxRatePpb } : {}),
      });
      for (const a of corporate) {
        if (a.type === 'DividendEntitled') receivables.push({ ...a.data, exDay: a.data.day });
        if (a.type === 'DividendPaid') {
          cash += a.data.amountFen - a.data.taxFen;
          const i = receivables.findIndex((r) => r.symbol === a.data.symbol && r.payDay === day && r.cashPerShareMicro === a.data.cashPerShareMicro);
          if (i >= 0) receivables = [...receivables.slice(0, i), ...receivables.slice(i + 1)];
        }
        out.push(a);
      }
      const sold = new Map<string, number>();
      const working = [...book.values()].sort((a, b) =>
        a.order.side !== b.order.side ? (a.order.side === 'sell' ? -1 : 1) : a.order.orderId < b.order.orderId ? -1 : 1);
      for (const w of working) {
        const sym = w.order.symbol;
        const sellable = (ctx.portfolio.position(sym)?.sellable ?? 0) - (sold.get(sym) ?? 0);
        const r = settle(w, bars, day, cash, sellable);
        out.push(...r.answers);
        cash += r.cashDelta;
        for (const a of r.answers) if (a.type === 'OrderFilled' && a.data.side === 'sell') sold.set(sym, (sold.get(sym) ?? 0) + a.data.qty);
        if (r.done) book.delete(w.order.orderId);
      }
      for (let i = 0; i < bars.symbols.length; i++) lastClose.set(bars.symbols[i]!, bars.close[i]!);
      return out;
    },
    async submit(orders: readonly SimOrder[]): Promise<BrokerAnswer[]> {
      return orders.map((o) => {
        book.set(o.orderId, { order: o, filled: 0, rawCommission: null });
        return { type: 'OrderAccepted', data: { orderId: o.orderId, brokerOrderId: `SIM-${o.orderId}` } };
      });
    },
    cancel(orderId: string, details: string): BrokerAnswer[] {
      if (!book.delete(orderId)) return [];
      return [{ type: 'OrderCancelled', data: { orderId, reason: 'USER', by: 'broker', details } }];
    },
  };
}

/**
 * Cash dividends as corporate actions. A-share cash dividends are usually paid on the ex-day
 * (除息日 = 派息日) with the record day the trading day before.
 */
export function cashDividendActions(dividends: readonly CashDividend[], previousTradingDay: (d: TradingDay) => TradingDay): CorporateAction[] {
  const recordDay = (d: TradingDay): TradingDay => {
    try { return previousTradingDay(d); } catch { return addCalendarDays(d, -1); } // beyond the calendar table
  };
  return dividends.map((d) => ({
    symbol: d.symbol, recordDay: recordDay(d.exDay), exDay: d.exDay, payDay: d.exDay,
    cashPerShareMicro: d.cashPerShareMicro, bonusPerShareMicro: 0, conversionPerShareMicro: 0,
  }));
}
