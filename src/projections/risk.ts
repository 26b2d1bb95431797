import type { DomainEvent, TradingDay } from '../domain/index.js';
import { indexOfSymbol, mulDivRound } from '../domain/index.js';
import { deleteIn, PersistentMap, setIn } from '../domain/persistentMap.js';
import type { TradingState } from '../domain/risk/tradingState.js';
import { blendEntryAdjust, dividendStep, scaleStopReferences, withEntryAdjust } from '../domain/risk/stopReference.js';
import type { PortfolioState } from './portfolio.js';

/** What a stop needs about one open position beyond the portfolio's quantity and cost. */
export interface StopTrack {
  readonly symbol: string;
  /** Day the position was opened (first buy fill from flat). */
  readonly entryDay: TradingDay;
  /**
   * Highest close since entry (the entry fill price until the first close), 0.001 CNY, on today's
   * price basis: moved by each ex-day's factor like the entry (domain/risk/stopReference.ts).
   */
  readonly highestCloseMilli: number;
  /**
   * The ex-day factors since entry the average cost per share has not taken in itself (cash
   * dividends, bonus shares no event distributed), in parts per billion; absent = one (no ex-day
   * yet, and every journal from before the key existed). The stop's entry is cost/qty × this.
   */
  readonly entryAdjustPpb?: number;
  /** Closes seen since entry, the entry day's included. */
  readonly daysHeld: number;
  /** Cash the round trip has made so far: sells net of fees minus buys with fees, fen. */
  readonly tripCashFen: number;
}

/** Closed round trips (flat → position → flat), for Kelly estimates: counts and sums in fen. */
export interface RoundTrips {
  readonly count: number;
  readonly wins: number;
  readonly winFen: number;
  readonly losses: number;
  /** Sum of losses as a positive amount. */
  readonly lossFen: number;
}

/**
 * The risk gate's own fold of the journal: the trading state and who last changed it, the equity
 * the daily-loss and drawdown limits measure from, the sector classification, and per-position stop
 * tracking. Pure; the same journal gives the same state.
 */
export interface RiskState {
  readonly state: TradingState;
  readonly lastChange: { readonly day: string; readonly by: string; readonly why: string } | null;
  /** Highest end-of-day equity (initial cash before the first close; reset by a re-activation, a person's or the drawdown policy's (`policy:*`)), fen. */
  readonly peakEquityFen: number;
  /** Equity at the last DayClosed (initial cash before the first): where today's loss is measured from. */
  readonly startOfDayEquityFen: number;
  readonly sectors: ReadonlyMap<string, string>;
  /** Issued shares from InstrumentsReferenced (FundamentalsReported is read from the fundamentals store). */
  readonly totalShares: ReadonlyMap<string, number>;
  readonly stops: ReadonlyMap<string, StopTrack>;
  readonly roundTrips: RoundTrips;
}

export const emptyRisk: RiskState = Object.freeze({
  state: 'ACTIVE', lastChange: null, peakEquityFen: 0, startOfDayEquityFen: 0, sectors: new Map(), totalShares: new Map(), stops: PersistentMap.empty<StopTrack>(),
  roundTrips: { count: 0, wins: 0, winFen: 0, losses: 0, lossFen: 0 },
});

/** `before` is the portfolio as it was before `e` (to tell an opening buy and a closing sell). */
export function evolveRisk(s: RiskState, e: DomainEvent, before: PortfolioState): RiskState {
  switch (e.type) {
    case 'RunStarted':
      return { ...s, peakEquityFen: e.data.initialCashFen, startOfDayEquityFen: e.data.initialCashFen };
    case 'DayClosed':
      return { ...s, startOfDayEquityFen: e.data.equityFen, peakEquityFen: Math.max(s.peakEquityFen, e.data.equityFen) };
    case 'TradingStateChanged': {
      const lastChange = { day: e.data.day, by: e.data.by, why: e.data.why };
      // A re-activation — a person's, or the drawdown policy's (`policy:*`, written right after the
      // DayClosed it decided on) — acknowledges the drawdown: it is measured afresh from the last
      // close, or the next close would move it straight back to REDUCING.
      const reset = e.data.to === 'ACTIVE' && !e.data.by.startsWith('risk:');
      return { ...s, state: e.data.to, lastChange, peakEquityFen: reset ? s.startOfDayEquityFen : s.peakEquityFen };
    }
    case 'InstrumentsReferenced': {
      const sectors = new Map(s.sectors), totalShares = new Map(s.totalShares);
      e.data.symbols.forEach((sym, i) => {
        const sec = e.data.sectors[i], sh = e.data.totalShares[i];
        if (sec != null) sectors.set(sym, sec);
        if (sh != null) totalShares.set(sym, sh);
      });
      return { ...s, sectors, totalShares };
    }
    case 'OrderFilled': {
      const f = e.data;
      const held = before.positions.get(f.symbol)?.qty ?? 0;
      const fees = f.commissionFen + f.stampDutyFen + f.transferFeeFen + f.otherFeesFen;
      const t = s.stops.get(f.symbol);
      if (f.side === 'buy') {
        const cash = -(f.notionalFen + fees);
        // Adding to a position: the new shares were bought at today's prices, so only the held
        // shares' cost carries the earlier ex-day factors.
        const costBefore = before.positions.get(f.symbol)?.costFen ?? 0;
        const stops = setIn(s.stops, f.symbol, held > 0 && t
          ? withEntryAdjust({ ...t, tripCashFen: t.tripCashFen + cash }, blendEntryAdjust(costBefore, t.entryAdjustPpb, f.notionalFen + fees))
          : { symbol: f.symbol, entryDay: f.day as TradingDay, highestCloseMilli: f.price, daysHeld: 0, tripCashFen: cash });
        return { ...s, stops };
      }
      if (!t) return s;
      const trip = t.tripCashFen + f.notionalFen - fees;
      if (held - f.qty > 0) return { ...s, stops: setIn(s.stops, f.symbol, { ...t, tripCashFen: trip }) };
      const stops = deleteIn(s.stops, f.symbol);
      const rt = s.roundTrips;
      const roundTrips = trip > 0 ? { ...rt, count: rt.count + 1, wins: rt.wins + 1, winFen: rt.winFen + trip }
        : trip < 0 ? { ...rt, count: rt.count + 1, losses: rt.losses + 1, lossFen: rt.lossFen - trip }
          : { ...rt, count: rt.count + 1 };
      return { ...s, stops, roundTrips };
    }
    case 'DividendPaid': {
      const t = s.stops.get(e.data.symbol);
      if (!t) return s;
      return { ...s, stops: setIn(s.stops, t.symbol, { ...t, tripCashFen: t.tripCashFen + e.data.amountFen }) };
    }
    case 'DividendEntitled': {
      // Ex-dividend: the stop's references move down with the holding's mark (the cash per share).
      const t = s.stops.get(e.data.symbol);
      const mark = before.positions.get(e.data.symbol)?.lastPrice;
      if (!t || mark === undefined) return s;
      const [num, den] = dividendStep(mark, e.data.cashPerShareMicro);
      return { ...s, stops: setIn(s.stops, t.symbol, scaleStopReferences(t, num, den)) };
    }
    case 'SharesDistributed': {
      // Bonus shares lower the price: scale the highest close like the position's mark (the entry,
      // the average cost per share, falls by itself as the share count grows).
      const t = s.stops.get(e.data.symbol);
      const added = e.data.bonusQty + e.data.conversionQty;
      const held = before.positions.get(e.data.symbol)?.qty ?? 0;
      if (!t || added <= 0 || held <= 0) return s;
      return { ...s, stops: setIn(s.stops, t.symbol, { ...t, highestCloseMilli: Math.max(1, mulDivRound(t.highestCloseMilli, held, held + added, 'halfUp')) }) };
    }
    case 'BarsClosed': {
      if (s.stops.size === 0) return s;
      const stops = PersistentMap.from(s.stops).map((t) => {
        const i = indexOfSymbol(e.data, t.symbol);
        const close = i < 0 ? 0 : e.data.close[i]!;
        // An ex-day: the exchange's reference previous close differs from the mark the journal
        // left (the last close, moved by any dividend or distribution journaled today). The rest of
        // the gap moves the references; not on the entry day, whose fill was at the day's prices.
        const pre = i < 0 ? null : e.data.preClose[i] ?? null;
        const mark = before.positions.get(t.symbol)?.lastPrice;
        const u = pre !== null && mark !== undefined && t.daysHeld > 0 ? scaleStopReferences(t, pre, mark) : t;
        return { ...u, highestCloseMilli: Math.max(u.highestCloseMilli, close), daysHeld: t.daysHeld + 1 };
      });
      return { ...s, stops };
    }
    default:
      return s;
  }
}
