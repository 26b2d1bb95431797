/** A fill as the trade analytics need it (money in fen, price in 0.001 CNY, quantity in shares). */
export interface TradeFill {
  readonly day: string;
  readonly fillId: string;
  readonly orderId: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly qty: number;
  readonly priceMilli: number;
  readonly notionalFen: number;
  /** All fees of the fill: commission, stamp duty, transfer and other fees. */
  readonly feesFen: number;
}

/** Bonus/conversion shares credited on a day (they join the open lots at zero cost). */
export interface ShareGrant {
  readonly day: string;
  readonly symbol: string;
  readonly qty: number;
}

/**
 * One FIFO match between a buy lot and a sell fill: `qty` shares bought in the lot's fill and sold
 * in the sell fill. A sell that closes two lots gives two round trips. P&L is net of the fees of
 * both sides (each fill's notional and fees split pro rata by quantity), and excludes dividends.
 */
export interface RoundTrip {
  readonly symbol: string;
  readonly qty: number;
  readonly entryDay: string;
  readonly exitDay: string;
  readonly entryPriceMilli: number;
  readonly exitPriceMilli: number;
  readonly costFen: number;
  readonly proceedsFen: number;
  readonly feesFen: number;
  /** proceeds − cost − fees. */
  readonly pnlFen: number;
  /** pnl / (cost + buy-side fees share). */
  readonly returnPct: number;
}

export interface RoundTripResult {
  readonly roundTrips: RoundTrip[];
  /** Shares sold with no open lot to match (should be 0; kept rather than thrown: analytics never throw). */
  readonly unmatchedSellQty: number;
  /** Shares still held at the end (open lots, not in the statistics). */
  readonly openQty: number;
}

interface Lot { day: string; priceMilli: number; qty: number; notionalFen: number; feesFen: number; buyFeesFen: number }

/** The share of `total` for `part` of `whole` units, rounded half up; the last piece takes the remainder so pieces sum to the total. */
const share = (total: number, part: number, whole: number): number => (part >= whole ? total : Math.round((total * part) / whole));

/**
 * Pairs buys and sells per symbol first-in first-out. Input events in journal order; grants spread
 * over the open lots in proportion to their size (cost basis unchanged, the remainder to the last lot).
 */
export function roundTrips(items: readonly (TradeFill | ShareGrant)[]): RoundTripResult {
  const lots = new Map<string, Lot[]>();
  const out: RoundTrip[] = [];
  let unmatchedSellQty = 0;
  for (const it of items) {
    const q = lots.get(it.symbol) ?? [];
    lots.set(it.symbol, q);
    if (!('side' in it)) {
      const held = q.reduce((a, l) => a + l.qty, 0);
      if (held === 0) { q.push({ day: it.day, priceMilli: 0, qty: it.qty, notionalFen: 0, feesFen: 0, buyFeesFen: 0 }); continue; }
      let left = it.qty;
      q.forEach((l, i) => { const add = i === q.length - 1 ? left : Math.floor((it.qty * l.qty) / held); l.qty += add; left -= add; });
      continue;
    }
    if (it.side === 'buy') {
      q.push({ day: it.day, priceMilli: it.priceMilli, qty: it.qty, notionalFen: it.notionalFen, feesFen: it.feesFen, buyFeesFen: it.feesFen });
      continue;
    }
    let qty = it.qty, proceeds = it.notionalFen, fees = it.feesFen;
    while (qty > 0 && q.length > 0) {
      const lot = q[0]!;
      const n = Math.min(qty, lot.qty);
      const cost = share(lot.notionalFen, n, lot.qty), buyFees = share(lot.feesFen, n, lot.qty);
      const got = share(proceeds, n, qty), sellFees = share(fees, n, qty);
      lot.qty -= n; lot.notionalFen -= cost; lot.feesFen -= buyFees;
      qty -= n; proceeds -= got; fees -= sellFees;
      if (lot.qty === 0) q.shift();
      const pnlFen = got - cost - buyFees - sellFees;
      out.push({
        symbol: it.symbol, qty: n, entryDay: lot.day, exitDay: it.day, entryPriceMilli: lot.priceMilli, exitPriceMilli: it.priceMilli,
        costFen: cost, proceedsFen: got, feesFen: buyFees + sellFees, pnlFen, returnPct: cost + buyFees > 0 ? pnlFen / (cost + buyFees) : 0,
      });
    }
    unmatchedSellQty += qty;
  }
  let openQty = 0;
  for (const q of lots.values()) for (const l of q) openQty += l.qty;
  return { roundTrips: out, unmatchedSellQty, openQty };
}

export interface TradeStats {
  readonly roundTrips: number;
  readonly wins: number;
  /** Round trips with pnl > 0 / all round trips (a zero-P&L trip is not a win); null without trips. */
  readonly winRate: number | null;
  readonly grossProfitFen: number;
  /** Sum of losing trips' P&L, as a positive number. */
  readonly grossLossFen: number;
  /** Gross profit / gross loss; null when no trip lost. */
  readonly profitFactor: number | null;
  readonly netPnlFen: number;
}

export function tradeStats(trips: readonly RoundTrip[]): TradeStats {
  let wins = 0, gp = 0, gl = 0;
  for (const t of trips) {
    if (t.pnlFen > 0) { wins++; gp += t.pnlFen; } else gl -= t.pnlFen;
  }
  return {
    roundTrips: trips.length, wins, winRate: trips.length ? wins / trips.length : null,
    grossProfitFen: gp, grossLossFen: gl, profitFactor: gl > 0 ? gp / gl : null, netPnlFen: gp - gl,
  };
}
