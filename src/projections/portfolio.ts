import type { DomainEvent, PortfolioView, PositionView, TradingDay } from '../domain/index.js';
import { divRound, indexOfSymbol, mulDivRound, notionalFen, priceMilli, shares } from '../domain/index.js';
import type { DividendReceivable } from '../domain/corporate/index.js';
import { deleteIn, PersistentMap, setIn } from '../domain/persistentMap.js';

/** One holding. Money in fen, prices in 0.001 CNY, quantities in shares. */
export interface Position {
  readonly symbol: string;
  readonly qty: number;
  /** Cost basis of the shares still held, including their buy fees. */
  readonly costFen: number;
  /** Last close seen (or the fill price until the first close). */
  readonly lastPrice: number;
  /**
   * T+1: the latest day shares were added — by a buy, or by bonus/conversion shares on their ex-day
   * (locked that day too: on SSE they list the next trading day) — and how many (not sellable that day).
   */
  readonly lastBuyDay: TradingDay | null;
  readonly boughtOnLastBuyDay: number;
}

export interface PortfolioState {
  readonly day: TradingDay | null;
  readonly initialCashFen: number;
  readonly cashFen: number;
  readonly realisedPnlFen: number;
  /** Dividend income net of tax: entitled (receivable or paid) plus legacy direct credits. */
  readonly dividendsFen: number;
  /** Dividends entitled on their ex-day and not yet paid, in fen (the sum of `receivables`). */
  readonly dividendReceivableFen: number;
  /** The open entitlements, in the order they were entitled. */
  readonly receivables: readonly DividendReceivable[];
  readonly commissionFen: number;
  readonly stampDutyFen: number;
  readonly transferFeeFen: number;
  readonly otherFeesFen: number;
  readonly positions: ReadonlyMap<string, Position>;
}

export const emptyPortfolio: PortfolioState = Object.freeze({
  day: null, initialCashFen: 0, cashFen: 0, realisedPnlFen: 0, dividendsFen: 0, dividendReceivableFen: 0, receivables: [],
  commissionFen: 0, stampDutyFen: 0, transferFeeFen: 0, otherFeesFen: 0, positions: PersistentMap.empty<Position>(),
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
      // Every mark that moved, in one pass (most do, every day); positions without a new close are shared.
      let changed = false;
      const positions = PersistentMap.from(s.positions).map((p) => {
        const i = indexOfSymbol(b, p.symbol);
        if (i < 0 || b.close[i] === p.lastPrice) return p;
        changed = true;
        return { ...p, lastPrice: b.close[i]! };
      });
      const day = later(s.day, b.day as TradingDay);
      return changed || day !== s.day ? { ...s, day, positions: changed ? positions : s.positions } : s;
    }
    case 'OrderFilled': return applyFill(s, e.data);
    case 'DividendEntitled': return applyEntitlement(s, e.data);
    case 'DividendPaid': return applyPayment(s, e.data);
    case 'SharesDistributed': return applyDistribution(s, e.data);
    case 'PositionAdjusted': return applyPositionAdjustment(s, e.data);
    case 'CashAdjusted': return { ...s, day: later(s.day, e.data.day as TradingDay), cashFen: e.data.toFen };
    default:
      return s;
  }
}

type Fill = Extract<DomainEvent, { type: 'OrderFilled' }>['data'];
type DataOfEvent<T extends DomainEvent['type']> = Extract<DomainEvent, { type: T }>['data'];

/** Replaces (or drops, when `next` is null) the position of `symbol`, returning a new map (sharing the rest). */
const withPosition = (s: PortfolioState, symbol: string, next: Position | null): ReadonlyMap<string, Position> =>
  next ? setIn(s.positions, symbol, next) : deleteIn(s.positions, symbol);

/**
 * Ex-day: the cash becomes a receivable and income at once (so equity counts it), and the holding
 * is marked down by the cash per share, to the reference the exchange will quote, so equity does
 * not count the dividend twice before the day's close (or while the stock is suspended).
 */
function applyEntitlement(s: PortfolioState, d: DataOfEvent<'DividendEntitled'>): PortfolioState {
  const r: DividendReceivable = {
    symbol: d.symbol, exDay: d.day, payDay: d.payDay, qty: d.qty, cashPerShareMicro: d.cashPerShareMicro, amountFen: d.amountFen,
  };
  const p = s.positions.get(d.symbol);
  const positions = p
    ? withPosition(s, d.symbol, { ...p, lastPrice: Math.max(1, p.lastPrice - divRound(d.cashPerShareMicro, 1_000, 'halfUp')) })
    : s.positions;
  return {
    ...s, day: later(s.day, d.day as TradingDay), positions, receivables: [...s.receivables, r],
    dividendReceivableFen: s.dividendReceivableFen + d.amountFen, dividendsFen: s.dividendsFen + d.amountFen,
  };
}

/**
 * Pay day: cash net of tax arrives and the matching receivable (same symbol and cash per share,
 * entitled on or before this day; the one due today first, else the oldest) is cleared; the tax
 * and any difference from the entitled amount adjust dividend income. A payment with no
 * entitlement (journals from before `DividendEntitled`) is credited as income at once, as it always was.
 */
function applyPayment(s: PortfolioState, d: DataOfEvent<'DividendPaid'>): PortfolioState {
  const day = later(s.day, d.day as TradingDay);
  const net = d.amountFen - d.taxFen;
  const matches = (r: DividendReceivable): boolean => r.symbol === d.symbol && r.cashPerShareMicro === d.cashPerShareMicro && r.exDay <= d.day;
  let i = s.receivables.findIndex((r) => matches(r) && r.payDay === d.day);
  if (i < 0) i = s.receivables.findIndex(matches);
  if (i < 0) return { ...s, day, cashFen: s.cashFen + net, dividendsFen: s.dividendsFen + net };
  const r = s.receivables[i]!;
  return {
    ...s, day, cashFen: s.cashFen + net, receivables: s.receivables.filter((_, j) => j !== i),
    dividendReceivableFen: s.dividendReceivableFen - r.amountFen, dividendsFen: s.dividendsFen + net - r.amountFen,
  };
}

/**
 * Ex-day bonus and conversion shares: quantity up, cost basis unchanged (the average cost falls),
 * the mark scaled by old/new quantity so the holding's value is continuous; the new shares are not
 * sellable on the ex-day (T+1 bookkeeping shared with buys). No position, nothing to credit.
 */
function applyDistribution(s: PortfolioState, d: DataOfEvent<'SharesDistributed'>): PortfolioState {
  const day = later(s.day, d.day as TradingDay);
  const p = s.positions.get(d.symbol);
  const added = d.bonusQty + d.conversionQty;
  if (!p || added <= 0) return day === s.day ? s : { ...s, day };
  const qty = p.qty + added;
  const lockedAlready = p.lastBuyDay === d.day ? p.boughtOnLastBuyDay : 0;
  const next: Position = {
    ...p, qty, lastPrice: Math.max(1, mulDivRound(p.lastPrice, p.qty, qty, 'halfUp')),
    lastBuyDay: d.day as TradingDay, boughtOnLastBuyDay: lockedAlready + added,
  };
  return { ...s, day, positions: withPosition(s, d.symbol, next) };
}

/**
 * Reconciliation adopted the broker's quantity: the holding becomes `toQty` at `costFen`. Shares
 * added are locked for the day, as bought shares are (T+1): the broker's own sellable figure is
 * not known here, and locking errs on the safe side. The mark stays, or is the average cost for a
 * holding new to us, until the next close.
 */
function applyPositionAdjustment(s: PortfolioState, d: DataOfEvent<'PositionAdjusted'>): PortfolioState {
  const day = d.day as TradingDay;
  const p = s.positions.get(d.symbol);
  if (d.toQty === 0) return { ...s, day: later(s.day, day), positions: withPosition(s, d.symbol, null) };
  const added = Math.max(0, d.toQty - (p?.qty ?? 0));
  const lockedAlready = p && p.lastBuyDay === day ? p.boughtOnLastBuyDay : 0;
  const next: Position = {
    symbol: d.symbol, qty: d.toQty, costFen: d.costFen,
    lastPrice: p?.lastPrice ?? Math.max(1, mulDivRound(d.costFen, 10, d.toQty, 'halfUp')),
    lastBuyDay: added > 0 ? day : p?.lastBuyDay ?? null,
    boughtOnLastBuyDay: added > 0 ? Math.min(d.toQty, lockedAlready + added) : p?.boughtOnLastBuyDay ?? 0,
  };
  return { ...s, day: later(s.day, day), positions: withPosition(s, d.symbol, next) };
}

function applyFill(s: PortfolioState, f: Fill): PortfolioState {
  const day = f.day as TradingDay;
  const fees = f.commissionFen + f.stampDutyFen + f.transferFeeFen + f.otherFeesFen;
  const old = s.positions.get(f.symbol);
  let positions: ReadonlyMap<string, Position>;
  let cashFen = s.cashFen;
  let realised = s.realisedPnlFen;
  if (f.side === 'buy') {
    cashFen -= f.notionalFen + fees;
    const boughtToday = old && old.lastBuyDay === day ? old.boughtOnLastBuyDay : 0;
    positions = withPosition(s, f.symbol, {
      symbol: f.symbol, qty: (old?.qty ?? 0) + f.qty, costFen: (old?.costFen ?? 0) + f.notionalFen + fees,
      lastPrice: old?.lastPrice ?? f.price, lastBuyDay: day, boughtOnLastBuyDay: boughtToday + f.qty,
    });
  } else {
    if (!old || old.qty < f.qty) return s;
    // The cost leaving with the sold shares: pro rata, half-up; the last share takes the remainder.
    const costOut = f.qty === old.qty ? old.costFen : mulDivRound(old.costFen, f.qty, old.qty, 'halfUp');
    cashFen += f.notionalFen - fees;
    realised += f.notionalFen - fees - costOut;
    positions = withPosition(s, f.symbol, f.qty === old.qty ? null : { ...old, qty: old.qty - f.qty, costFen: old.costFen - costOut });
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

// Positions are immutable (a fill or a mark makes a new map): their value is summed once per map,
// however many orders, sizings and rules ask for the equity of the same holdings.
const valueOfPositions = new WeakMap<ReadonlyMap<string, Position>, number>();

export const positionsValueFen = (s: PortfolioState): number => {
  let v = valueOfPositions.get(s.positions);
  if (v === undefined) {
    v = 0;
    for (const p of s.positions.values()) v += marketValueFen(p);
    valueOfPositions.set(s.positions, v);
  }
  return v;
};

/**
 * Equity in fen: cash + dividends receivable + positions at their marks. With the fold it keeps
 * `equityOf(s) − initialCashFen = realisedPnlFen + unrealisedPnlFen(s) + dividendsFen` after every event.
 */
export const equityOf = (s: PortfolioState): number => s.cashFen + s.dividendReceivableFen + positionsValueFen(s);

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
    equityFen: () => equityOf(s),
  };
}
