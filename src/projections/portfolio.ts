import type { DomainEvent, PortfolioView, PositionView, TradingDay } from '../domain/index.js';
import { indexOfSymbol, mulDivRound, notionalFen, priceMilli, shares } from '../domain/index.js';

/** One holding. Money in fen, prices in 0.001 CNY, quantities in shares. */
export interface Position {
  readonly symbol: string;
  readonly qty: number;
  /** Cost basis of the shares still held, including their buy fees. */
  readonly costFen: number;
  /** Last close seen (or the fill price until the first close). */
  readonly lastPrice: number;
  /** T+1: the day of the latest buy and how many shares it added (not sellable that day). */
  readonly lastBuyDay: TradingDay | null;
  readonly boughtOnLastBuyDay: number;
}

export interface PortfolioState {
  readonly day: TradingDay | null;
  readonly initialCashFen: number;
  readonly cashFen: number;
  readonly realisedPnlFen: number;
  readonly dividendsFen: number;
  readonly commissionFen: number;
  readonly stampDutyFen: number;
  readonly transferFeeFen: number;
  readonly otherFeesFen: number;
  readonly positions: ReadonlyMap<string, Position>;
}

export const emptyPortfolio: PortfolioState = Object.freeze({
  day: null, initialCashFen: 0, cashFen: 0, realisedPnlFen: 0, dividendsFen: 0,
  commissionFen: 0, stampDutyFen: 0, transferFeeFen: 0, otherFeesFen: 0, positions: new Map(),
});

const later = (a: TradingDay | null, b: TradingDay): TradingDay => (a !== null && a > b ? a : b);

/**
 * Pure fold of the portfolio: cash, positions, T+1 sellable quantities, average cost, realised and
 * unrealised P&L, fees. Never throws: an event that cannot apply (a sell of shares not held) leaves
 * the state as it was — the gate and the broker are where such orders are refused.
 */
export function evolvePortfolio(s: PortfolioState, e: DomainEvent): PortfolioState {
  switch (e.type) {
    case 'RunStarted':
      return { ...s, initialCashFen: e.data.initialCashFen, cashFen: e.data.initialCashFen };
    case 'BarsClosed': {
      const b = e.data;
      let positions: Map<string, Position> | null = null;
      for (const p of s.positions.values()) {
        const i = indexOfSymbol(b, p.symbol);
        if (i < 0 || b.close[i] === p.lastPrice) continue;
        positions ??= new Map(s.positions);
        positions.set(p.symbol, { ...p, lastPrice: b.close[i]! });
      }
      const day = later(s.day, b.day as TradingDay);
      return positions || day !== s.day ? { ...s, day, positions: positions ?? s.positions } : s;
    }
    case 'OrderFilled': return applyFill(s, e.data);
    case 'DividendPaid': {
      const net = e.data.amountFen - e.data.taxFen;
      return { ...s, day: later(s.day, e.data.day as TradingDay), cashFen: s.cashFen + net, dividendsFen: s.dividendsFen + net };
    }
    default:
      return s;
  }
}

type Fill = Extract<DomainEvent, { type: 'OrderFilled' }>['data'];

function applyFill(s: PortfolioState, f: Fill): PortfolioState {
  const day = f.day as TradingDay;
  const fees = f.commissionFen + f.stampDutyFen + f.transferFeeFen + f.otherFeesFen;
  const old = s.positions.get(f.symbol);
  const positions = new Map(s.positions);
  let cashFen = s.cashFen;
  let realised = s.realisedPnlFen;
  if (f.side === 'buy') {
    cashFen -= f.notionalFen + fees;
    const boughtToday = old && old.lastBuyDay === day ? old.boughtOnLastBuyDay : 0;
    positions.set(f.symbol, {
      symbol: f.symbol, qty: (old?.qty ?? 0) + f.qty, costFen: (old?.costFen ?? 0) + f.notionalFen + fees,
      lastPrice: old?.lastPrice ?? f.price, lastBuyDay: day, boughtOnLastBuyDay: boughtToday + f.qty,
    });
  } else {
    if (!old || old.qty < f.qty) return s;
    // The cost leaving with the sold shares: pro rata, half-up; the last share takes the remainder.
    const costOut = f.qty === old.qty ? old.costFen : mulDivRound(old.costFen, f.qty, old.qty, 'halfUp');
    cashFen += f.notionalFen - fees;
    realised += f.notionalFen - fees - costOut;
    if (f.qty === old.qty) positions.delete(f.symbol);
    else positions.set(f.symbol, { ...old, qty: old.qty - f.qty, costFen: old.costFen - costOut });
  }
  return {
    ...s, day: later(s.day, day), cashFen, realisedPnlFen: realised, positions,
    commissionFen: s.commissionFen + f.commissionFen, stampDutyFen: s.stampDutyFen + f.stampDutyFen,
    transferFeeFen: s.transferFeeFen + f.transferFeeFen, otherFeesFen: s.otherFeesFen + f.otherFeesFen,
  };
}

/** Shares of `p` that may be sold on `day` (T+1: today's buys are locked until the next trading day). */
export const sellableOn = (p: Position, day: TradingDay | null): number =>
  p.qty - (day !== null && p.lastBuyDay === day ? p.boughtOnLastBuyDay : 0);

export const marketValueFen = (p: Position): number => notionalFen(priceMilli(p.lastPrice), shares(p.qty));

export const positionsValueFen = (s: PortfolioState): number => {
  let v = 0;
  for (const p of s.positions.values()) v += marketValueFen(p);
  return v;
};

export const unrealisedPnlFen = (s: PortfolioState): number => {
  let v = 0;
  for (const p of s.positions.values()) v += marketValueFen(p) - p.costFen;
  return v;
};

export const feesPaidFen = (s: PortfolioState): number =>
  s.commissionFen + s.stampDutyFen + s.transferFeeFen + s.otherFeesFen;

/** The read-only view deciders take. */
export function portfolioView(s: PortfolioState): PortfolioView {
  return {
    day: s.day,
    cashFen: s.cashFen,
    positionCount: s.positions.size,
    position(symbol: string): PositionView | undefined {
      const p = s.positions.get(symbol);
      return p && { symbol, qty: p.qty, sellable: sellableOn(p, s.day), costFen: p.costFen, lastPrice: p.lastPrice };
    },
    equityFen: () => s.cashFen + positionsValueFen(s),
  };
}
