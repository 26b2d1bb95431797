import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { BrokerAnswer, DayBars, OrderRequest, PortfolioView, TradingDay } from '../../../src/domain/index.js';
import { ratePpb } from '../../../src/domain/index.js';
import { createSimulatedExchange } from '../../../src/adapters/broker/simulatedExchange.js';
import { loadMarketRules } from '../../../src/adapters/market/index.js';

// Given/when/then through the broker port: orders submitted at one close work on the next day's bar.
const loaded = loadMarketRules('config/market');
if (!isRight(loaded)) throw new Error('config/market does not load');
const rules = loaded.right;

const bar = (day: string, o: { open: number; high: number; low: number; close: number; volume: number; preClose: number }, symbol = '600000.SH'): DayBars => ({
  day, symbols: [symbol], open: [o.open], high: [o.high], low: [o.low], close: [o.close], volume: [o.volume],
  amountFen: [Math.round((o.close * o.volume) / 10)], preClose: [o.preClose], isSt: [0],
});
const empty = (day: string): DayBars => ({ day, symbols: [], open: [], high: [], low: [], close: [], volume: [], amountFen: [], preClose: [], isSt: [] });
const view = (cashFen: number, held = 0): { portfolio: PortfolioView } => ({
  portfolio: {
    day: null, cashFen, positionCount: held ? 1 : 0, equityFen: () => cashFen,
    position: (s: string) => (held && s === '600000.SH' ? { symbol: s, qty: held, sellable: held, costFen: 0, lastPrice: 10_000 } : undefined),
  },
});
const order = (o: Partial<OrderRequest>): OrderRequest => ({
  orderId: 'O-1', day: '2025-03-03', symbol: '600000.SH', side: 'buy', qty: 10_000, orderType: 'market', limitPrice: null,
  timeInForce: 'day', refPrice: 10_000, signalId: null, ...o,
});
const broker = (participation = 1) => createSimulatedExchange({
  rules, account: { commissionRate: ratePpb(250_000), minCommissionFen: 500, regulatoryFeesInsideCommission: true },
  execution: { marketPrice: 'open', participation, slippage: { kind: 'none' } },
});
const types = (a: readonly BrokerAnswer[]) => a.map((x) => x.type);

describe('simulated exchange', () => {
  it('a day order capped by participation fills in part and the rest expires at the close', async () => {
    const b = broker(0.05);
    await b.submit([order({})]);
    const a = await b.onMarketDay(bar('2025-03-04', { open: 10_000, high: 10_200, low: 9_900, close: 10_100, volume: 123_456, preClose: 10_000 }), view(1e9));
    expect(types(a)).toEqual(['OrderFilled', 'OrderExpired']);
    expect(a[0]!.data).toMatchObject({ qty: 6_100, leavesQty: 3_900, price: 10_000, commissionFen: 1_525 });
    expect(a[1]!.data).toMatchObject({ reason: 'VOLUME_LIMIT' });
    expect(await b.onMarketDay(bar('2025-03-05', { open: 10_000, high: 10_200, low: 9_900, close: 10_100, volume: 1e6, preClose: 10_100 }), view(1e9))).toEqual([]);
  });

  it('a GTC order persists through a suspension and across partial fills, paying the commission minimum once', async () => {
    const b = broker(0.01);
    await b.submit([order({ timeInForce: 'gtc', qty: 300 })]);
    expect(await b.onMarketDay(empty('2025-03-04'), view(1e9))).toEqual([]); // suspended: still working
    const d1 = await b.onMarketDay(bar('2025-03-05', { open: 10_000, high: 10_000, low: 10_000, close: 10_000, volume: 20_000, preClose: 10_000 }), view(1e9));
    expect(d1.map((x) => x.data)).toMatchObject([{ qty: 200, leavesQty: 100, commissionFen: 500 }]);
    const d2 = await b.onMarketDay(bar('2025-03-06', { open: 10_000, high: 10_000, low: 10_000, close: 10_000, volume: 20_000, preClose: 10_000 }), view(1e9));
    // 300 shares × 10.00 = 3,000 CNY: raw commission 0.75 CNY, so the order pays 5.00 in all — nothing on the second fill.
    expect(d2.map((x) => x.data)).toMatchObject([{ qty: 100, leavesQty: 0, commissionFen: 0 }]);
  });

  it('a day order on a suspended stock expires with SUSPENDED', async () => {
    const b = broker();
    await b.submit([order({})]);
    const a = await b.onMarketDay(empty('2025-03-04'), view(1e9));
    expect(a).toEqual([{ type: 'OrderExpired', data: { orderId: 'O-1', reason: 'SUSPENDED', details: '600000.SH did not trade on 2025-03-04' } }]);
  });

  it('no buy into a sealed limit-up; a sell the same day fills at the limit', async () => {
    const b = broker();
    await b.submit([order({}), order({ orderId: 'O-2', side: 'sell', qty: 1_000 })]);
    const sealed = bar('2025-03-04', { open: 11_000, high: 11_000, low: 11_000, close: 11_000, volume: 1e6, preClose: 10_000 });
    const a = await b.onMarketDay(sealed, view(1e9, 1_000));
    expect(types(a)).toEqual(['OrderFilled', 'OrderExpired']);
    expect(a[0]!.data).toMatchObject({ orderId: 'O-2', side: 'sell', price: 11_000 });
    expect(a[1]!.data).toMatchObject({ orderId: 'O-1', reason: 'PRICE_LIMIT' });
  });

  it('a buy the cash cannot cover is rejected; sale proceeds of the same day count', async () => {
    const b = broker();
    await b.submit([order({ qty: 1_000 }), order({ orderId: 'O-2', side: 'sell', qty: 1_000 })]);
    const a = await b.onMarketDay(bar('2025-03-04', { open: 10_000, high: 10_100, low: 9_900, close: 10_000, volume: 1e6, preClose: 10_000 }), view(500_000, 1_000));
    // 5,000 CNY cash + 10,000 CNY from the sale covers the 10,000 CNY buy plus fees.
    expect(types(a)).toEqual(['OrderFilled', 'OrderFilled']);
    const poor = broker();
    await poor.submit([order({ qty: 1_000 })]);
    const r = await poor.onMarketDay(bar('2025-03-04', { open: 10_000, high: 10_100, low: 9_900, close: 10_000, volume: 1e6, preClose: 10_000 }), view(500_000));
    expect(r[0]).toMatchObject({ type: 'OrderRejected', data: { reason: 'INSUFFICIENT_CASH' } });
  });

  it('cash dividends become a receivable on the ex-day and are paid on the pay day', async () => {
    const b = createSimulatedExchange({
      rules, account: { commissionRate: ratePpb(250_000), minCommissionFen: 500, regulatoryFeesInsideCommission: true },
      execution: { marketPrice: 'open', participation: 1, slippage: { kind: 'none' } }, dividendTaxRatePpb: 100_000_000,
      corporateActions: [{ symbol: '600000.SH' as never, recordDay: '2025-03-03' as TradingDay, exDay: '2025-03-04' as TradingDay, payDay: '2025-03-05' as TradingDay, cashPerShareMicro: 250_000, bonusPerShareMicro: 0, conversionPerShareMicro: 0 }],
    });
    const d1 = await b.onMarketDay(bar('2025-03-04', { open: 9_750, high: 9_800, low: 9_700, close: 9_750, volume: 1e6, preClose: 9_750 }), view(0, 1_000));
    expect(d1).toEqual([{ type: 'DividendEntitled', data: { day: '2025-03-04', symbol: '600000.SH', qty: 1_000, cashPerShareMicro: 250_000, payDay: '2025-03-05', amountFen: 25_000 } }]);
    const d2 = await b.onMarketDay(bar('2025-03-05', { open: 9_750, high: 9_800, low: 9_700, close: 9_750, volume: 1e6, preClose: 9_750 }), view(0, 1_000));
    expect(d2).toEqual([{ type: 'DividendPaid', data: { day: '2025-03-05', symbol: '600000.SH', qty: 1_000, cashPerShareMicro: 250_000, amountFen: 25_000, taxFen: 2_500 } }]);
  });
});
