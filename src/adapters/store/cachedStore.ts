import { toDayBars, type Bar } from '../../domain/bars.js';
import type { CacheStats } from './cachedProvider.js';
import type { MarketStore } from './marketStore.js';
import { createRangeCache, type RangeCacheOptions } from './rangeCache.js';

export type CachedMarketStore = MarketStore & { stats(): CacheStats };

/**
 * An LRU in front of a store's `bars` / `dayBars` reads (per `asOf`; a sub-range or symbol subset of
 * a cached read is served by filtering it). Writes made through the wrapper empty the cache; writes
 * made to the wrapped store directly are not seen — wrap the store once and use only the wrapper.
 */
export function cachedStore(store: MarketStore, o: RangeCacheOptions = { max: 64 }): CachedMarketStore {
  const cache = createRangeCache<Bar>(o, (b) => b.day, (b) => b.symbol);
  let calls = 0;
  const bars: MarketStore['bars'] = (q) => {
    const scope = `bars|${q.asOf ?? 'latest'}`;
    const hit = cache.get(scope, q);
    if (hit !== undefined) return hit;
    calls++;
    const rows = store.bars(q);
    cache.put(scope, q, rows);
    return rows;
  };
  const clearing = <A extends unknown[], R>(f: (...a: A) => R) => (...a: A): R => { cache.clear(); return f(...a); };
  return {
    ...store,
    upsertBars: clearing(store.upsertBars),
    upsertAdjFactors: clearing(store.upsertAdjFactors),
    upsertDividends: clearing(store.upsertDividends),
    upsertCalendar: clearing(store.upsertCalendar),
    upsertInstruments: clearing(store.upsertInstruments),
    upsertStHistory: clearing(store.upsertStHistory),
    upsertFundamentals: clearing(store.upsertFundamentals),
    bars,
    dayBars: (q) => toDayBars(bars(q)),
    stats: () => ({ hits: cache.counters.hits, misses: cache.counters.misses, calls }),
  };
}
