import { isRight, right, type Either } from 'fp-ts/lib/Either.js';
import type { MarketDataProvider, ProviderError } from '../../domain/data/provider.js';
import type { TradingDay } from '../../domain/tradingDay.js';
import { createRangeCache, type RangeCacheOptions, type RangeKey } from './rangeCache.js';

export interface CacheStats {
  /** Requests answered from the cache. */
  readonly hits: number;
  /** Requests that went to the wrapped provider. */
  readonly misses: number;
  /** Calls made to the wrapped provider (failed ones included). */
  readonly calls: number;
}

export type CachedProvider = MarketDataProvider & { stats(): CacheStats };

type Row = { readonly symbol?: string; readonly day?: string | null; readonly exDay?: string | null };
const NO_DAY = '';

/**
 * Puts an LRU cache (lru-cache) in front of a provider. Keys are the method and the canonical query
 * (symbols sorted and deduplicated); a query for days and symbols inside a cached answer is a hit,
 * served by filtering it. Only successful answers are cached; errors always reach the caller.
 * `dividends` and `instruments` are cached by their (symbol) query alone.
 */
export function withCache(provider: MarketDataProvider, o: RangeCacheOptions): CachedProvider {
  const cache = createRangeCache<unknown>(o,
    (r) => (typeof r === 'string' ? r : ((r as Row).day ?? NO_DAY)),
    (r) => (typeof r === 'string' ? '' : ((r as Row).symbol ?? '')));
  let calls = 0;

  async function cached<T>(scope: string, q: RangeKey, fetch: () => Promise<Either<ProviderError, T[]>>): Promise<Either<ProviderError, T[]>> {
    const hit = cache.get(scope, q) as T[] | undefined;
    if (hit !== undefined) return right(hit);
    calls++;
    const r = await fetch();
    if (isRight(r)) cache.put(scope, q, r.right);
    return r;
  }
  const p = provider;
  const out: CachedProvider = {
    name: p.name,
    dailyBars: (q) => cached('dailyBars', q, () => p.dailyBars(q)),
    stats: () => ({ hits: cache.counters.hits, misses: cache.counters.misses, calls }),
  };
  if (p.tradeCalendar) {
    const f = p.tradeCalendar.bind(p);
    out.tradeCalendar = (q) => cached<TradingDay>('tradeCalendar', q, () => f(q));
  }
  if (p.adjFactors) { const f = p.adjFactors.bind(p); out.adjFactors = (q) => cached('adjFactors', q, () => f(q)); }
  if (p.suspensions) { const f = p.suspensions.bind(p); out.suspensions = (q) => cached('suspensions', q, () => f(q)); }
  if (p.limits) { const f = p.limits.bind(p); out.limits = (q) => cached('limits', q, () => f(q)); }
  if (p.instruments) {
    const f = p.instruments.bind(p);
    out.instruments = () => cached('instruments', { from: NO_DAY, to: NO_DAY }, f);
  }
  if (p.dividends) {
    const f = p.dividends.bind(p);
    // Dividends are not a day range: every answer spans "all days" so only the symbol subset matters.
    out.dividends = (q) => cached('dividends', { symbols: q.symbols, from: NO_DAY, to: NO_DAY }, () => f(q));
  }
  return out;
}
