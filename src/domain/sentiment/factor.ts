/*
 * The daily per-symbol sentiment factor: a decayed, count-aware mean of the scored items about a
 * symbol up to and including the day being decided (an item published on day d is usable from d's
 * close). Each day's items count by how many there were — ten agreeing headlines say more than one —
 * and older days weigh less (half-life in calendar days); the sum is shrunk toward 0 by `prior`
 * pseudo-items of score 0, so a single stray comment cannot make a strong signal. Owned state,
 * updated in place by the kernel's fold; `clone` for forks.
 */

export interface SentimentFactorParams {
  /** Calendar days after which a day's items weigh half (default 5). */
  readonly halfLifeDays: number;
  /** Pseudo-items of score 0 the mean is shrunk with (default 1). */
  readonly prior: number;
  /** Days of items kept per symbol (older ones weigh ~0 anyway; default 60). */
  readonly keepDays: number;
}

export const DEFAULT_SENTIMENT_FACTOR: SentimentFactorParams = Object.freeze({ halfLifeDays: 5, prior: 1, keepDays: 60 });

interface DayAgg {
  readonly day: string;
  sum: number;
  count: number;
}

export interface OwnedSentiment {
  readonly bySymbol: Map<string, DayAgg[]>;
  readonly params: SentimentFactorParams;
}

export const newOwnedSentiment = (params: SentimentFactorParams = DEFAULT_SENTIMENT_FACTOR): OwnedSentiment => ({ bySymbol: new Map(), params });

export const cloneOwnedSentiment = (s: OwnedSentiment): OwnedSentiment =>
  ({ bySymbol: new Map([...s.bySymbol].map(([k, v]) => [k, v.map((d) => ({ ...d }))])), params: s.params });

const dayNumber = (day: string): number => Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 86_400_000;

/** Adds one scored item about `symbol` published on `day`. Items arrive in journal order; a late one for an earlier day is merged into it. */
export function appendSentiment(s: OwnedSentiment, symbol: string, day: string, score: number): void {
  let days = s.bySymbol.get(symbol);
  if (!days) s.bySymbol.set(symbol, (days = []));
  let agg = days.find((d) => d.day === day);
  if (!agg) {
    agg = { day, sum: 0, count: 0 };
    days.push(agg);
    days.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
    const oldest = dayNumber(day) - s.params.keepDays;
    while (days.length > 0 && dayNumber(days[0]!.day) < oldest) days.shift();
  }
  agg.sum += score;
  agg.count += 1;
}

/** The factor of `symbol` at the close of `day` (items up to and including it), or null when none is known. */
export function sentimentOn(s: OwnedSentiment, symbol: string, day: string): number | null {
  const days = s.bySymbol.get(symbol);
  if (!days || days.length === 0) return null;
  const t = dayNumber(day);
  let num = 0, den = 0;
  for (const d of days) {
    const age = t - dayNumber(d.day);
    if (age < 0 || age > s.params.keepDays) continue;
    const w = 0.5 ** (age / s.params.halfLifeDays);
    num += w * d.sum;
    den += w * d.count;
  }
  if (den === 0) return null;
  return num / (den + s.params.prior);
}
