import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/domain/events/domainEvent.js';
import type { TradingDay } from '../../src/domain/tradingDay.js';
import {
  emptyPortfolio, equityOf, evolvePortfolio, portfolioView, positionsValueFen, sellableOn, unrealisedPnlFen, type PortfolioState,
} from '../../src/projections/portfolio.js';
import { foldProjections, fromSnapshot, projectionHash, toSnapshot } from '../../src/projections/projections.js';

const SYM = '002594.SZ';
const [D1, D2, D3, D4, D5] = ['2025-07-25', '2025-07-28', '2025-07-29', '2025-07-30', '2025-08-01'] as const;

const runStarted = (initialCashFen: number): DomainEvent => ({
  type: 'RunStarted',
  data: {
    runId: 'r', mode: 'backtest', config: {}, configHash: '0'.repeat(64),
    dataSource: { kind: 'test', description: '', path: null, sha256: null }, codeVersion: 't', initialCashFen,
  },
});
const closes = (day: string, px: number): DomainEvent => ({
  type: 'BarsClosed',
  data: { day, symbols: [SYM], open: [px], high: [px], low: [px], close: [px], volume: [1], amountFen: [0], preClose: [null], isSt: [0] },
});
const BUY: DomainEvent = {
  type: 'OrderFilled',
  data: {
    orderId: 'o1', fillId: 'f1', day: D1, symbol: SYM, side: 'buy', qty: 1_000, price: 10_000, notionalFen: 1_000_000,
    commissionFen: 500, stampDutyFen: 0, transferFeeFen: 10, otherFeesFen: 0, leavesQty: 0,
  },
};
/** Record day D2 (close 12.00), ex-day D3: 0.50 CNY per share and 10送3; cash paid on D5 with 10% tax. */
const ENTITLED: DomainEvent = { type: 'DividendEntitled', data: { day: D3, symbol: SYM, qty: 1_000, cashPerShareMicro: 500_000, payDay: D5, amountFen: 50_000 } };
const BONUS: DomainEvent = {
  type: 'SharesDistributed',
  data: { day: D3, symbol: SYM, qtyBefore: 1_000, bonusPerShareMicro: 300_000, conversionPerShareMicro: 0, bonusQty: 300, conversionQty: 0 },
};
const SELL: DomainEvent = {
  type: 'OrderFilled',
  data: {
    orderId: 'o2', fillId: 'f2', day: D4, symbol: SYM, side: 'sell', qty: 650, price: 9_000, notionalFen: 585_000,
    commissionFen: 500, stampDutyFen: 293, transferFeeFen: 6, otherFeesFen: 0, leavesQty: 0,
  },
};
const PAID: DomainEvent = { type: 'DividendPaid', data: { day: D5, symbol: SYM, qty: 1_000, cashPerShareMicro: 500_000, amountFen: 50_000, taxFen: 5_000 } };

const STREAM: DomainEvent[] = [runStarted(100_000_000), BUY, closes(D2, 12_000), ENTITLED, BONUS, closes(D3, 8_900), SELL, closes(D4, 9_100), PAID, closes(D5, 9_200)];
const fold = (events: readonly DomainEvent[], from: PortfolioState = emptyPortfolio): PortfolioState => events.reduce(evolvePortfolio, from);
const upTo = (e: DomainEvent): PortfolioState => fold(STREAM.slice(0, STREAM.indexOf(e) + 1));
const conserved = (s: PortfolioState): boolean => equityOf(s) - s.initialCashFen === s.realisedPnlFen + unrealisedPnlFen(s) + s.dividendsFen;

describe('portfolio through a dividend and a bonus issue', () => {
  it('ex-day entitlement: no cash yet, a receivable counted in equity, the mark falls by the cash per share', () => {
    const before = fold(STREAM.slice(0, 3));
    const s = upTo(ENTITLED);
    expect(s.cashFen).toBe(before.cashFen); // 98,999,490: nothing credited before the pay day
    expect(s.dividendReceivableFen).toBe(50_000);
    expect(s.receivables).toEqual([{ symbol: SYM, exDay: D3, payDay: D5, qty: 1_000, cashPerShareMicro: 500_000, amountFen: 50_000 }]);
    expect(s.dividendsFen).toBe(50_000);
    expect(s.positions.get(SYM)!.lastPrice).toBe(11_500);
    // 12.00 → 11.50 on 1,000 shares offsets the 500.00 receivable: equity is continuous.
    expect(equityOf(s)).toBe(equityOf(before));
    expect(equityOf(s)).toBe(98_999_490 + 50_000 + 1_150_000);
    expect(portfolioView(s).equityFen()).toBe(equityOf(s));
    expect(positionsValueFen(s)).toBe(1_150_000);
  });

  it('bonus shares: quantity up, cost basis unchanged (average cost falls), new shares locked on the ex-day', () => {
    const s = upTo(BONUS);
    const p = s.positions.get(SYM)!;
    expect(p.qty).toBe(1_300);
    expect(p.costFen).toBe(1_000_510); // average 1,000.51 → 769.62 fen per share
    expect(p.lastPrice).toBe(8_846); // 11.50 × 1,000 / 1,300 = 8.8462, half-up to the milli
    expect(sellableOn(p, D3 as TradingDay)).toBe(1_000);
    expect(sellableOn(p, D4 as TradingDay)).toBe(1_300);
    expect(portfolioView(s).position(SYM)?.sellable).toBe(1_000);
    expect(s.cashFen).toBe(98_999_490);
  });

  it('a sale after the bonus takes the lowered average cost out', () => {
    const s = upTo(SELL);
    const p = s.positions.get(SYM)!;
    // cost out 1,000,510 × 650 / 1,300 = 500,255; realised 585,000 − 799 − 500,255 = 83,946.
    expect(p.qty).toBe(650);
    expect(p.costFen).toBe(500_255);
    expect(s.realisedPnlFen).toBe(83_946);
    expect(s.dividendReceivableFen).toBe(50_000); // still owed on the shares held at the record date
  });

  it('pay day: cash net of tax arrives, the receivable is cleared, the tax reduces dividend income', () => {
    const before = fold(STREAM.slice(0, STREAM.indexOf(PAID)));
    const s = upTo(PAID);
    expect(s.cashFen - before.cashFen).toBe(45_000);
    expect(s.dividendReceivableFen).toBe(0);
    expect(s.receivables).toEqual([]);
    expect(s.dividendsFen).toBe(45_000);
    expect(equityOf(s) - equityOf(before)).toBe(-5_000);
  });

  it('equity − initial = realised + unrealised + dividends after every event', () => {
    let s = emptyPortfolio;
    for (const e of STREAM) {
      s = evolvePortfolio(s, e);
      expect(conserved(s)).toBe(true);
    }
    expect(s.cashFen).toBe(98_999_490 + 585_000 - 799 + 45_000);
  });

  it('a snapshot taken while a dividend is receivable resumes to the same hash', () => {
    const k = STREAM.indexOf(SELL);
    const resumed = foldProjections(STREAM.slice(k), fromSnapshot(toSnapshot(foldProjections(STREAM.slice(0, k)))));
    expect(projectionHash(resumed)).toBe(projectionHash(foldProjections(STREAM)));
  });
});

describe('matching payments to entitlements', () => {
  it('a payment with no entitlement (journals before DividendEntitled) is credited as income at once, as before', () => {
    const s = fold([runStarted(1_000_000), PAID]);
    expect(s.cashFen).toBe(1_045_000);
    expect(s.dividendsFen).toBe(45_000);
    expect(s.dividendReceivableFen).toBe(0);
    expect(conserved(s)).toBe(true);
  });

  it('a payment a day early still clears its receivable; a different amount adjusts income', () => {
    const early: DomainEvent = { type: 'DividendPaid', data: { ...(PAID.data as Extract<DomainEvent, { type: 'DividendPaid' }>['data']), day: D4, amountFen: 49_990, taxFen: 0 } };
    const s = fold([runStarted(1_000_000), ENTITLED, early]);
    expect(s.receivables).toEqual([]);
    expect(s.dividendReceivableFen).toBe(0);
    expect(s.cashFen).toBe(1_049_990);
    expect(s.dividendsFen).toBe(49_990);
    expect(conserved(s)).toBe(true);
  });

  it('two equal dividends are cleared oldest first', () => {
    const second: DomainEvent = { type: 'DividendEntitled', data: { ...(ENTITLED.data as Extract<DomainEvent, { type: 'DividendEntitled' }>['data']), day: D4, payDay: '2025-08-08', amountFen: 40_000 } };
    const s = fold([runStarted(1_000_000), ENTITLED, second, PAID]);
    expect(s.receivables.map((r) => r.payDay)).toEqual(['2025-08-08']);
    expect(s.dividendReceivableFen).toBe(40_000);
    expect(conserved(s)).toBe(true);
  });

  it('distributed shares for a symbol not held change nothing but the day', () => {
    const s0 = fold([runStarted(1_000_000)]);
    const s = evolvePortfolio(s0, BONUS);
    expect(s.positions.size).toBe(0);
    expect(s.day).toBe(D3);
  });
});
