import type { DomainEvent } from '../events/domainEvent.js';
import type { FundamentalValues } from '../events/fundamentals.js';

/** One announcement of one report period, as journaled. Days are `YYYY-MM-DD` (they sort as strings). */
export interface FundamentalsReport {
  readonly symbol: string;
  readonly period: string;
  readonly announcedDay: string;
  readonly values: FundamentalValues;
}

/**
 * Every announcement ever journaled, per symbol, in journal order. Nothing is overwritten: a
 * restatement is one more announcement, so a query for an earlier day still sees what was known
 * then (point-in-time).
 */
export interface FundamentalsState {
  readonly bySymbol: ReadonlyMap<string, readonly FundamentalsReport[]>;
}

export const emptyFundamentals: FundamentalsState = Object.freeze({ bySymbol: new Map() });

/** Folds one event into the store; events other than `FundamentalsReported` leave it as it was. Pure; never throws. */
export function evolveFundamentals(s: FundamentalsState, e: DomainEvent): FundamentalsState {
  if (e.type !== 'FundamentalsReported') return s;
  const { symbol, period, announcedDay, values } = e.data;
  const bySymbol = new Map(s.bySymbol);
  bySymbol.set(symbol, [...(s.bySymbol.get(symbol) ?? []), { symbol, period, announcedDay, values }]);
  return { bySymbol };
}

/**
 * The reports of `symbol` usable on `day`: only announcements with `announcedDay` strictly before
 * `day` (a report is usable from the day after it was published, since it may come out after the
 * close). One report per period, latest period first. For a period announced more than once the
 * latest announcement visible on `day` wins (a restatement supersedes from its own announcement
 * on); on the same `announcedDay` the later one in journal order wins.
 */
export function fundamentalsOn(s: FundamentalsState, symbol: string, day: string): readonly FundamentalsReport[] {
  const byPeriod = new Map<string, FundamentalsReport>();
  for (const r of s.bySymbol.get(symbol) ?? []) {
    if (r.announcedDay >= day) continue;
    const seen = byPeriod.get(r.period);
    if (seen === undefined || r.announcedDay >= seen.announcedDay) byPeriod.set(r.period, r);
  }
  return [...byPeriod.values()].sort((a, b) => (a.period < b.period ? 1 : a.period > b.period ? -1 : 0));
}

/** A store the caller owns and grows in place (the engine kernel): O(1) per report. */
export interface OwnedFundamentals extends FundamentalsState {
  readonly bySymbol: Map<string, FundamentalsReport[]>;
}

export const newOwnedFundamentals = (): OwnedFundamentals => ({ bySymbol: new Map() });

export const cloneOwnedFundamentals = (s: OwnedFundamentals): OwnedFundamentals =>
  ({ bySymbol: new Map([...s.bySymbol].map(([k, v]) => [k, v.slice()])) });

/**
 * `evolveFundamentals` for an owned store: appends in place instead of copying the symbol map (which
 * is O(symbols) per report — minutes over a full market). Same contents, same answers.
 */
export function appendFundamentals(s: OwnedFundamentals, e: DomainEvent): void {
  if (e.type !== 'FundamentalsReported') return;
  const { symbol, period, announcedDay, values } = e.data;
  const list = s.bySymbol.get(symbol);
  const report = { symbol, period, announcedDay, values };
  if (list) list.push(report); else s.bySymbol.set(symbol, [report]);
}
