import { createHash } from 'node:crypto';
import { right } from 'fp-ts/lib/Either.js';
import type { Bar } from '../../domain/bars.js';
import type { BarQuery, MarketDataProvider } from '../../domain/data/provider.js';
import type { SecuritySymbol } from '../../domain/symbol.js';
import type { TradingDay } from '../../domain/tradingDay.js';
import { withCache } from './cachedProvider.js';

export interface CacheMeasurement {
  /** Provider calls made by the research session without a cache (= its requests). */
  readonly callsWithout: number;
  /** Provider calls made by the same session through `withCache`. */
  readonly callsWith: number;
  /** 1 − callsWith / callsWithout. */
  readonly reduction: number;
  /** True when every answer through the cache equalled the uncached answer. */
  readonly identical: boolean;
}

export interface ResearchPattern {
  /** Strategy variants the researcher runs, one after another (default 24). */
  readonly variants?: number;
  /** Symbols in the starting universe (default 30); every 4th variant adds 3 new ones. */
  readonly universe?: number;
  /** Cache capacity in answers (default 2,000). */
  readonly max?: number;
  /** Walk-forward folds reloaded per variant (default 2; 0 = each variant loads its window once). */
  readonly folds?: number;
  /** PRNG seed: same seed, same session (default 7). */
  readonly seed?: number;
}

const DAY_MS = 86_400_000;
const END = Date.UTC(2024, 11, 31);
const dayAt = (ms: number): TradingDay => new Date(ms).toISOString().slice(0, 10) as TradingDay;
const symbolAt = (i: number): SecuritySymbol => `${String(600000 + i).padStart(6, '0')}.SH` as SecuritySymbol;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A deterministic vendor: weekday calendar, a price derived from symbol and day, every call counted. */
export function countingProvider(): MarketDataProvider & { readonly calls: () => number } {
  let calls = 0;
  const calendar: TradingDay[] = [];
  for (let t = Date.UTC(2015, 0, 1); t <= END; t += DAY_MS) {
    const wd = new Date(t).getUTCDay();
    if (wd !== 0 && wd !== 6) calendar.push(dayAt(t));
  }
  const weekdays = (from: string, to: string): TradingDay[] => calendar.filter((d) => d >= from && d <= to);
  const bar = (symbol: SecuritySymbol, day: TradingDay): Bar => {
    let h = 2166136261; // FNV-1a: cheap and deterministic
    for (let i = 0; i < symbol.length + day.length; i++) h = Math.imul(h ^ (symbol + day).charCodeAt(i), 16777619) >>> 0;
    const close = 5_000 + (h % 20_000);
    return { symbol, day, open: close, high: close + 10, low: close - 10, close, volume: h % 1_000_000, amountFen: h, preClose: null, isSt: 0 };
  };
  const rows = <T>(q: BarQuery, f: (s: SecuritySymbol, d: TradingDay) => T): T[] =>
    weekdays(q.from, q.to).flatMap((d) => (q.symbols ?? []).map((s) => f(s as SecuritySymbol, d)));
  return {
    name: 'counting-fake',
    calls: () => calls,
    dailyBars: async (q) => { calls++; return right(rows(q, bar)); },
    adjFactors: async (q) => { calls++; return right(rows(q, (symbol, day) => ({ symbol, day, factor: 1 + (symbol.charCodeAt(5) % 7) / 10 }))); },
    tradeCalendar: async (q) => { calls++; return right(weekdays(q.from, q.to)); },
  };
}

/**
 * The research session: a researcher iterating strategy variants against one data vendor, as a
 * notebook does when every run reloads its data. Each variant
 * - picks a lookback ending 2024-12-31: 1 or 2 years most of the time, 3 or 5 years one time in four
 *   (a longer lookback is a miss the first time, then covers the shorter ones);
 * - one time in three moves the end back 3–9 months (an out-of-sample hold-out): a sub-range;
 * - loads the trading calendar, then per symbol (as vendor APIs are called, one code at a time)
 *   daily bars and adjustment factors over the window;
 * - evaluates `folds` (default 2) anchored walk-forward folds (the first third and two thirds of
 *   the window), reloading the bars of each fold's sub-window per symbol;
 * every 4th variant adds 3 symbols to the universe (new symbols: misses).
 * Pure given the seed; `record` receives every answer in order.
 */
async function researchSession(p: MarketDataProvider, o: ResearchPattern, record: (answer: unknown) => void): Promise<void> {
  const rnd = mulberry32(o.seed ?? 7);
  let universe = o.universe ?? 30;
  for (let v = 0; v < (o.variants ?? 24); v++) {
    if (v > 0 && v % 4 === 0) universe += 3;
    const years = rnd() < 0.75 ? (rnd() < 0.5 ? 1 : 2) : (rnd() < 0.5 ? 3 : 5);
    const end = rnd() < 1 / 3 ? END - Math.floor(90 + rnd() * 180) * DAY_MS : END;
    const from = dayAt(end - years * 365 * DAY_MS), to = dayAt(end);
    record(await p.tradeCalendar!({ from, to }));
    for (let i = 0; i < universe; i++) {
      const q = { symbols: [symbolAt(i)], from, to };
      record(await p.dailyBars(q));
      record(await p.adjFactors!(q));
    }
    const span = Date.parse(to) - Date.parse(from);
    const folds = o.folds ?? 2;
    for (let f = 1; f <= folds; f++) {
      const foldTo = dayAt(Date.parse(from) + Math.floor((span * f) / (folds + 1)));
      for (let i = 0; i < universe; i++) record(await p.dailyBars({ symbols: [symbolAt(i)], from, to: foldTo }));
    }
  }
}

/**
 * Runs the research session against a counting fake vendor without and with `withCache`, and
 * reports the provider calls of each. Deterministic: the figure depends only on the pattern.
 */
export async function measureCache(o: ResearchPattern = {}): Promise<CacheMeasurement> {
  const digest = async (p: MarketDataProvider): Promise<string[]> => {
    const out: string[] = [];
    await researchSession(p, o, (a) => out.push(createHash('sha256').update(JSON.stringify(a)).digest('hex')));
    return out;
  };
  const plain = countingProvider();
  const without = await digest(plain);
  const inner = countingProvider();
  const withC = await digest(withCache(inner, { max: o.max ?? 2_000 }));
  const callsWithout = plain.calls(), callsWith = inner.calls();
  return {
    callsWithout, callsWith,
    reduction: callsWithout === 0 ? 0 : 1 - callsWith / callsWithout,
    identical: without.length === withC.length && without.every((h, i) => h === withC[i]),
  };
}
