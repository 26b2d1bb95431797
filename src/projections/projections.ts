import type { DayBars, DomainEvent } from '../domain/index.js';
import { canonicalJson, isOperationalEvent, jsonString, type CanonicalTexts } from '../domain/index.js';
import { PersistentMap } from '../domain/persistentMap.js';
import type { EquityCurveState } from './equityCurve.js';
import { emptyEquityCurve, evolveEquityCurve } from './equityCurve.js';
import type { OrderRecord, OrdersState } from './orders.js';
import { emptyOrders, evolveOrders, workingOf } from './orders.js';
import type { PortfolioState, Position } from './portfolio.js';
import { emptyPortfolio, evolvePortfolio } from './portfolio.js';
import type { RiskState, StopTrack } from './risk.js';
import { emptyRisk, evolveRisk } from './risk.js';
import { hashWithEquity } from './projectionHash.js';

/** Everything the engine and the reports derive from the journal, as one pure fold. */
export interface Projections {
  readonly portfolio: PortfolioState;
  readonly orders: OrdersState;
  readonly equity: EquityCurveState;
  /** Trading state, drawdown and daily-loss references, sectors, stop tracking (the risk gate's inputs). */
  readonly risk: RiskState;
  /** The latest day of bars (market data, kept by reference: events are immutable). */
  readonly lastBars: DayBars | null;
  readonly events: number;
}

export const emptyProjections: Projections = Object.freeze({
  portfolio: emptyPortfolio, orders: emptyOrders, equity: emptyEquityCurve, risk: emptyRisk, lastBars: null, events: 0,
});

/**
 * One event folded into every projection. The service's operational events (steps, broker cursors,
 * alerts, reconciliation results) change none of them and are not counted, so a service journal
 * and the backtest of the same days fold to the same state.
 */
export function evolveProjections(s: Projections, e: DomainEvent): Projections {
  if (isOperationalEvent(e)) return s;
  return {
    portfolio: evolvePortfolio(s.portfolio, e),
    orders: evolveOrders(s.orders, e),
    equity: evolveEquityCurve(s.equity, e),
    risk: evolveRisk(s.risk, e, s.portfolio),
    lastBars: e.type === 'BarsClosed' ? e.data : s.lastBars,
    events: s.events + 1,
  };
}

export const foldProjections = (events: Iterable<DomainEvent>, from: Projections = emptyProjections): Projections => {
  let s = from;
  for (const e of events) s = evolveProjections(s, e);
  return s;
};

const pairs = <T>(m: ReadonlyMap<string, T>): (readonly [string, T])[] => [...m.keys()].sort().map((k) => [k, m.get(k)!] as const);

const byKey = <T>(m: ReadonlyMap<string, T>): T[] =>
  [...m.keys()].sort().map((k) => m.get(k)!);

// The instruments' sectors and issued shares are replaced (never changed in place) only when
// instruments are referenced: their sorted pairs and canonical texts are made once per map.
const staticPairsOf = new WeakMap<object, readonly (readonly [string, unknown])[]>();
const knownTexts = new WeakMap<object, string>();
function staticPairs<T>(m: ReadonlyMap<string, T>): (readonly [string, T])[] {
  let a = staticPairsOf.get(m);
  if (a === undefined) {
    a = Object.freeze(pairs(m));
    staticPairsOf.set(m, a);
    knownTexts.set(a, canonicalJson(a));
  }
  return a as (readonly [string, T])[];
}

/** Plain, canonical form of the state: Maps as arrays sorted by key. The input of the hash and of snapshots. */
export function canonicalProjections(s: Projections) {
  return {
    portfolio: { ...s.portfolio, positions: byKey(s.portfolio.positions) },
    // The working index is derived from `open`: not part of the canonical state.
    orders: { open: byKey(s.orders.open), finished: s.orders.finished, filledQtyTotal: s.orders.filledQtyTotal, illegalTransitions: s.orders.illegalTransitions },
    equity: s.equity,
    risk: { ...s.risk, sectors: staticPairs(s.risk.sectors), totalShares: staticPairs(s.risk.totalShares), stops: byKey(s.risk.stops) },
    lastBarsDay: s.lastBars?.day ?? null,
    events: s.events,
  };
}

/**
 * SHA-256 of the canonical projection state: same journal and config → same hash, byte for byte.
 * It equals canonicalHash(canonicalProjections(s)); projectionHash.ts says how it avoids writing
 * the unchanging parts again every day, and each held position's text is written by positionText.
 */
export function projectionHash(s: Projections): string {
  const { equity, ...rest } = canonicalProjections(s);
  // This day's positions' and stop tracks' texts, for this call only (a lasting map would keep every day's alive).
  const texts = new Map<object, string>();
  for (const p of rest.portfolio.positions) texts.set(p, positionText(p));
  for (const t of rest.risk.stops) texts.set(t, stopText(t));
  const known: CanonicalTexts = { get: (o) => texts.get(o) ?? knownTexts.get(o) };
  return hashWithEquity(equity, rest, known);
}

const POSITION_KEYS = ['boughtOnLastBuyDay', 'costFen', 'lastBuyDay', 'lastPrice', 'qty', 'symbol'] as const;

/**
 * canonicalJson of a position (its six fields, keys in sorted order), written directly: a held
 * position's last price moves every day, so each day writes them all (~1,000 at W2). Anything
 * else in the object — another field, a value of another kind — takes canonicalJson.
 */
export function positionText(p: Position): string {
  const n = keysAmong(p, POSITION_KEYS);
  if (n < 0) return canonicalJson(p);
  const { boughtOnLastBuyDay: b, costFen: c, lastBuyDay: d, lastPrice: l, qty: q, symbol: s } = p;
  if (n !== 6 || !isNum(b) || !isNum(c) || !isNum(l) || !isNum(q) || typeof s !== 'string' || !(d === null || typeof d === 'string')) return canonicalJson(p);
  return `{"boughtOnLastBuyDay":${num(b)},"costFen":${num(c)},"lastBuyDay":${d === null ? 'null' : jsonString(d)},"lastPrice":${num(l)},"qty":${num(q)},"symbol":${jsonString(s)}}`;
}

const STOP_KEYS = ['daysHeld', 'entryAdjustPpb', 'entryDay', 'highestCloseMilli', 'symbol', 'tripCashFen'] as const;

/**
 * canonicalJson of a stop track, written directly as positionText writes a position: every held
 * position has one, and its days held move every close. `entryAdjustPpb` may be absent. Anything
 * else in the object takes canonicalJson.
 */
export function stopText(t: StopTrack): string {
  const n = keysAmong(t, STOP_KEYS);
  if (n < 0) return canonicalJson(t);
  const { daysHeld: d, entryAdjustPpb: a, entryDay: e, highestCloseMilli: h, symbol: s, tripCashFen: c } = t;
  const adjusted = a !== undefined;
  if (n !== (adjusted ? 6 : 5) || !isNum(d) || (adjusted && !isNum(a)) || typeof e !== 'string' || !isNum(h) || typeof s !== 'string' || !isNum(c)) return canonicalJson(t);
  return `{"daysHeld":${num(d)},${adjusted ? `"entryAdjustPpb":${num(a)},` : ''}"entryDay":${jsonString(e)},"highestCloseMilli":${num(h)},"symbol":${jsonString(s)},"tripCashFen":${num(c)}}`;
}

/** How many keys `x` has, each one of `keys` with a defined value; −1 otherwise (the object takes canonicalJson). */
function keysAmong(x: object, keys: readonly string[]): number {
  const o = x as Record<string, unknown>;
  let n = 0;
  for (const k in o) {
    if (o[k] === undefined || !keys.includes(k)) return -1;
    n++;
  }
  return n;
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const num = (x: number): string => (x === 0 ? '0' : String(x));

export interface ProjectionSnapshot {
  readonly version: 1;
  readonly state: ReturnType<typeof canonicalProjections>;
  readonly lastBars: DayBars | null;
}

export const toSnapshot = (s: Projections): ProjectionSnapshot =>
  JSON.parse(JSON.stringify({ version: 1, state: canonicalProjections(s), lastBars: s.lastBars })) as ProjectionSnapshot;

/** Rebuilds the state from a snapshot; `fold(fromSnapshot(toSnapshot(fold(head))), tail) = fold(all)`. */
function ordersFromOpen(o: Omit<OrdersState, 'open' | 'working'>, records: readonly OrderRecord[]): OrdersState {
  const open = PersistentMap.from(records.map((r) => [r.orderId, r] as const));
  return { finished: o.finished, filledQtyTotal: o.filledQtyTotal, illegalTransitions: o.illegalTransitions, open, working: workingOf(open) };
}

export function fromSnapshot(snap: ProjectionSnapshot): Projections {
  const st = snap.state;
  return {
    portfolio: { ...st.portfolio, positions: PersistentMap.from(st.portfolio.positions.map((p: Position) => [p.symbol, p] as const)) },
    orders: ordersFromOpen(st.orders, st.orders.open),
    equity: st.equity,
    risk: {
      ...st.risk,
      sectors: new Map(st.risk.sectors.map(([k, v]: readonly [string, string]) => [k, v])),
      totalShares: new Map(st.risk.totalShares.map(([k, v]: readonly [string, number]) => [k, v])),
      stops: PersistentMap.from(st.risk.stops.map((t: StopTrack) => [t.symbol, t] as const)),
    },
    lastBars: snap.lastBars,
    events: st.events,
  };
}
