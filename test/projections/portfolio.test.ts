import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/domain/events/domainEvent.js';
import type { TradingDay } from '../../src/domain/tradingDay.js';
import {
  emptyPortfolio, evolvePortfolio, feesPaidFen, marketValueFen, portfolioView, positionsValueFen, sellableOn,
  unrealisedPnlFen, type PortfolioState,
} from '../../src/projections/portfolio.js';

const SYM = '600000.SH';
const OTHER = '000001.SZ';
const D1 = '2024-03-01';
const D2 = '2024-03-04';

type FillData = Extract<DomainEvent, { type: 'OrderFilled' }>['data'];
const runStarted = (initialCashFen: number): DomainEvent => ({
  type: 'RunStarted',
  data: {
    runId: 'r', mode: 'backtest', config: {}, configHash: '0'.repeat(64),
    dataSource: { kind: 'test', description: '', path: null, sha256: null }, codeVersion: 't', initialCashFen,
  },
});
const fill = (d: Partial<FillData> & Pick<FillData, 'side' | 'qty' | 'price' | 'notionalFen' | 'day'>): DomainEvent => ({
  type: 'OrderFilled',
  data: { orderId: 'o', fillId: 'f', symbol: SYM, commissionFen: 0, stampDutyFen: 0, transferFeeFen: 0, otherFeesFen: 0, leavesQty: 0, ...d },
});
const closes = (day: string, c: Readonly<Record<string, number>>): DomainEvent => {
  const symbols = Object.keys(c).sort();
  const px = symbols.map((s) => c[s]!);
  return {
    type: 'BarsClosed',
    data: { day, symbols, open: px, high: px, low: px, close: px, volume: px.map(() => 1), amountFen: px.map(() => 0), preClose: px.map(() => null), isSt: px.map(() => 0 as const) },
  };
};
const fold = (events: readonly DomainEvent[], from: PortfolioState = emptyPortfolio): PortfolioState => events.reduce(evolvePortfolio, from);

/**
 * Hand-computed round trip (2024 fee tables: stamp 0.05% on sells, transfer 0.01‰, commission 0.025% min 5 CNY):
 * - start with 1,000,000.00 CNY;
 * - D1 buy 1,000 @ 10.00: turnover 1,000,000 fen, commission 500, transfer 10 → cash 98,999,490, cost 1,000,510;
 * - D2 close 11.00: value 1,100,000, unrealised 99,490;
 * - D2 sell 400 @ 11.00: turnover 440,000, commission 500, stamp 220, transfer 4 (4.4) → +439,276 cash;
 *   cost out 1,000,510 × 400/1,000 = 400,204 → realised 39,072; 600 shares left at cost 600,306;
 * - D2 dividend 0.50 CNY/share on 600: 30,000 fen gross, 3,000 tax → +27,000.
 */
const BUY = fill({ day: D1, side: 'buy', qty: 1_000, price: 10_000, notionalFen: 1_000_000, commissionFen: 500, transferFeeFen: 10 });
const SELL = fill({ day: D2, side: 'sell', qty: 400, price: 11_000, notionalFen: 440_000, commissionFen: 500, stampDutyFen: 220, transferFeeFen: 4 });
const DIV: DomainEvent = { type: 'DividendPaid', data: { day: D2, symbol: SYM, qty: 600, cashPerShareMicro: 500_000, amountFen: 30_000, taxFen: 3_000 } };

describe('portfolio projection', () => {
  it('a buy takes turnover plus fees from cash into the cost basis', () => {
    const s = fold([runStarted(100_000_000), BUY]);
    expect(s.cashFen).toBe(98_999_490);
    expect(s.positions.get(SYM)).toEqual({ symbol: SYM, qty: 1_000, costFen: 1_000_510, lastPrice: 10_000, lastBuyDay: D1, boughtOnLastBuyDay: 1_000 });
    expect(s.day).toBe(D1);
    expect(feesPaidFen(s)).toBe(510);
    expect(unrealisedPnlFen(s)).toBe(-510); // marked at the fill price until a close arrives
  });

  it('T+1: nothing sellable on the buy day, everything the next trading day', () => {
    const s1 = fold([runStarted(100_000_000), BUY]);
    expect(portfolioView(s1).position(SYM)?.sellable).toBe(0);
    const s2 = evolvePortfolio(s1, closes(D2, { [SYM]: 11_000 }));
    expect(s2.day).toBe(D2);
    expect(portfolioView(s2).position(SYM)?.sellable).toBe(1_000);
  });

  it('T+1 with a second buy the next day: only the new shares are locked', () => {
    const s = fold([
      runStarted(100_000_000), BUY, closes(D2, { [SYM]: 11_000 }),
      fill({ day: D2, side: 'buy', qty: 200, price: 11_000, notionalFen: 220_000, commissionFen: 500, transferFeeFen: 2 }),
      fill({ day: D2, side: 'buy', qty: 100, price: 11_000, notionalFen: 110_000, commissionFen: 500, transferFeeFen: 1 }),
    ]);
    const p = s.positions.get(SYM)!;
    expect(p.qty).toBe(1_300);
    expect(p.boughtOnLastBuyDay).toBe(300);
    expect(sellableOn(p, D2 as TradingDay)).toBe(1_000);
    expect(sellableOn(p, '2024-03-05' as TradingDay)).toBe(1_300);
  });

  it('marks positions from BarsClosed; a symbol absent from the bars keeps its last mark', () => {
    const s = fold([runStarted(100_000_000), BUY, closes(D2, { [SYM]: 11_000 })]);
    expect(s.positions.get(SYM)!.lastPrice).toBe(11_000);
    expect(positionsValueFen(s)).toBe(1_100_000);
    expect(unrealisedPnlFen(s)).toBe(99_490);
    expect(portfolioView(s).equityFen()).toBe(98_999_490 + 1_100_000);
    const s2 = evolvePortfolio(s, closes('2024-03-05', { [OTHER]: 5_000 }));
    expect(s2.positions.get(SYM)!.lastPrice).toBe(11_000);
    expect(s2.day).toBe('2024-03-05');
  });

  it('bars of an earlier day do not move the portfolio day back', () => {
    const s = fold([runStarted(100_000_000), BUY, closes(D2, { [SYM]: 11_000 }), closes(D1, { [SYM]: 10_500 })]);
    expect(s.day).toBe(D2);
  });

  it('a partial sell: cash, cost out pro rata, realised P&L, fees', () => {
    const s = fold([runStarted(100_000_000), BUY, closes(D2, { [SYM]: 11_000 }), SELL]);
    expect(s.cashFen).toBe(98_999_490 + 439_276);
    expect(s.realisedPnlFen).toBe(39_072);
    expect(s.positions.get(SYM)).toMatchObject({ qty: 600, costFen: 600_306 });
    expect(s.commissionFen).toBe(1_000);
    expect(s.stampDutyFen).toBe(220);
    expect(s.transferFeeFen).toBe(14);
    expect(feesPaidFen(s)).toBe(1_234);
  });

  it('a dividend is credited net of tax', () => {
    const s = fold([runStarted(100_000_000), BUY, closes(D2, { [SYM]: 11_000 }), SELL, DIV]);
    expect(s.cashFen).toBe(99_465_766);
    expect(s.dividendsFen).toBe(27_000);
    // equity − initial = realised + unrealised + dividends: 125,766 = 39,072 + (660,000 − 600,306) + 27,000
    expect(s.cashFen + positionsValueFen(s) - s.initialCashFen).toBe(125_766);
    expect(s.realisedPnlFen + unrealisedPnlFen(s) + s.dividendsFen).toBe(125_766);
  });

  it('selling the whole holding closes the position with all its cost', () => {
    const s = fold([
      runStarted(100_000_000), BUY, closes(D2, { [SYM]: 9_000 }),
      fill({ day: D2, side: 'sell', qty: 1_000, price: 9_000, notionalFen: 900_000, commissionFen: 500, stampDutyFen: 450, transferFeeFen: 9 }),
    ]);
    expect(s.positions.has(SYM)).toBe(false);
    // 900,000 − 959 − 1,000,510
    expect(s.realisedPnlFen).toBe(-101_469);
    expect(s.cashFen).toBe(100_000_000 - 510 - 100_000 - 959);
  });

  it('a sell of shares not held leaves the state unchanged (same object)', () => {
    const s = fold([runStarted(100_000_000), BUY]);
    const unheld = fill({ day: D2, side: 'sell', symbol: OTHER, qty: 100, price: 5_000, notionalFen: 50_000 });
    expect(evolvePortfolio(s, unheld)).toBe(s);
    const tooMany = fill({ day: D2, side: 'sell', qty: 1_100, price: 10_000, notionalFen: 1_100_000 });
    expect(evolvePortfolio(s, tooMany)).toBe(s);
  });

  it('events it does not use leave the state as it was', () => {
    const s = fold([runStarted(100_000_000), BUY]);
    const ignored: DomainEvent = { type: 'OrderCancelled', data: { orderId: 'o', by: 'user', reason: 'USER', details: '' } };
    expect(evolvePortfolio(s, ignored)).toBe(s);
  });

  it('market value rounds half-up to the fen', () => {
    expect(marketValueFen({ symbol: SYM, qty: 1, costFen: 0, lastPrice: 10_005, lastBuyDay: null, boughtOnLastBuyDay: 0 })).toBe(1_001);
  });
});
