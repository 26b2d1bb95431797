import type {
  BrokerAnswer, BrokerContext, BrokerPort, CashDividend, CommissionTerms, DayBars, OrderRequest, TradingDay,
} from '../../domain/index.js';
import { fillAtOpen, mulDivRound } from '../../domain/index.js';

export interface SimulatedBrokerOptions {
  readonly commission: CommissionTerms;
  /** Cash dividends to credit on their ex-days to holdings at the previous close. */
  readonly dividends?: readonly CashDividend[];
}

/**
 * The simulated broker behind backtests and paper trading: accepts every order at submission,
 * then at the next trading day matches it at the open (sells first, so sale proceeds fund the
 * same day's buys) and credits cash dividends. Its only state is its book of working orders.
 */
export function createSimulatedBroker(opts: SimulatedBrokerOptions): BrokerPort {
  const book = new Map<string, OrderRequest>();
  const dividendsByDay = new Map<string, CashDividend[]>();
  for (const d of opts.dividends ?? []) {
    const a = dividendsByDay.get(d.exDay) ?? [];
    a.push(d);
    dividendsByDay.set(d.exDay, a);
  }
  return {
    name: 'simulated',
    async onMarketDay(bars: DayBars, ctx: BrokerContext): Promise<BrokerAnswer[]> {
      const day = bars.day as TradingDay;
      const out: BrokerAnswer[] = [];
      let cash = ctx.portfolio.cashFen;
      for (const d of (dividendsByDay.get(day) ?? []).slice().sort((a, b) => (a.symbol < b.symbol ? -1 : 1))) {
        const qty = ctx.portfolio.position(d.symbol)?.qty ?? 0;
        if (qty <= 0) continue;
        // micro-CNY × shares → fen: divide by 10^4, rounded down as registrars credit.
        const amountFen = mulDivRound(qty, d.cashPerShareMicro, 10_000, 'down');
        out.push({ type: 'DividendPaid', data: { day, symbol: d.symbol, qty, cashPerShareMicro: d.cashPerShareMicro, amountFen, taxFen: 0 } });
        cash += amountFen;
      }
      const orders = [...book.values()].sort((a, b) =>
        a.side !== b.side ? (a.side === 'sell' ? -1 : 1) : a.orderId < b.orderId ? -1 : 1);
      for (const o of orders) {
        book.delete(o.orderId);
        const sellable = ctx.portfolio.position(o.symbol)?.sellable ?? 0;
        const r = fillAtOpen(o, bars, day, opts.commission, cash, sellable);
        if (r.kind === 'noFill') {
          out.push(r.reason === 'SUSPENDED'
            ? { type: 'OrderExpired', data: { orderId: o.orderId, reason: r.reason, details: r.details } }
            : { type: 'OrderRejected', data: { orderId: o.orderId, reason: r.reason, details: r.details } });
          continue;
        }
        const fees = r.fees.commissionFen + r.fees.stampDutyFen + r.fees.transferFeeFen;
        cash += o.side === 'buy' ? -(r.notionalFen + fees) : r.notionalFen - fees;
        out.push({
          type: 'OrderFilled',
          data: {
            orderId: o.orderId, fillId: `${o.orderId}-F1`, day, symbol: o.symbol, side: o.side, qty: o.qty, price: r.price,
            notionalFen: r.notionalFen, commissionFen: r.fees.commissionFen, stampDutyFen: r.fees.stampDutyFen,
            transferFeeFen: r.fees.transferFeeFen, otherFeesFen: 0, leavesQty: 0,
          },
        });
      }
      return out;
    },
    async submit(orders: readonly OrderRequest[]): Promise<BrokerAnswer[]> {
      return orders.map((o) => {
        book.set(o.orderId, o);
        return { type: 'OrderAccepted', data: { orderId: o.orderId, brokerOrderId: `SIM-${o.orderId}` } };
      });
    },
  };
}
