import { LRUCache } from 'lru-cache';

/** A query over days and (optionally) symbols; omitted symbols = all of them. */
export interface RangeKey {
  readonly symbols?: readonly string[];
  readonly from: string;
  readonly to: string;
}

interface Entry<T> {
  readonly scope: string;
  /** Sorted distinct symbols, or null for "every symbol". */
  readonly symbols: ReadonlySet<string> | null;
  readonly from: string;
  readonly to: string;
  readonly rows: readonly T[];
}

export interface CacheCounters { hits: number; misses: number }

export interface RangeCacheOptions {
  /** Most entries (answers) kept; the least recently used goes first. */
  readonly max: number;
  /** Entries older than this are not served (default: no expiry). */
  readonly ttlMs?: number;
}

/** `method|symbols|from|to` with the symbols sorted and deduplicated: equal queries, equal keys. */
export function canonicalKey(scope: string, q: RangeKey): string {
  const syms = q.symbols === undefined ? '*' : [...new Set(q.symbols)].sort().join(',');
  return `${scope}|${syms}|${q.from}|${q.to}`;
}

const covers = (e: Entry<unknown>, q: RangeKey): boolean =>
  e.from <= q.from && e.to >= q.to && (e.symbols === null || (q.symbols !== undefined && q.symbols.every((s) => e.symbols!.has(s))));

/**
 * An LRU of answers to range queries. A query is a hit when a cached answer in the same scope
 * covers it: its days contain the query's days and its symbols contain the query's symbols (an
 * all-symbols answer covers any symbol list). A covered query is answered by filtering the cached
 * rows, which equals the source's own answer as long as the source is deterministic and answers a
 * range query with exactly the rows inside the range.
 */
export function createRangeCache<T>(o: RangeCacheOptions, dayOf: (t: T) => string, symbolOf: (t: T) => string) {
  const byScope = new Map<string, Set<string>>();
  const lru = new LRUCache<string, Entry<T>>({
    max: o.max,
    ...(o.ttlMs !== undefined ? { ttl: o.ttlMs } : {}),
    dispose: (e, k) => { byScope.get(e.scope)?.delete(k); },
  });
  const counters: CacheCounters = { hits: 0, misses: 0 };

  const lookup = (scope: string, q: RangeKey): T[] | undefined => {
    const exact = lru.get(canonicalKey(scope, q));
    if (exact !== undefined) return exact.rows.slice();
    for (const k of byScope.get(scope) ?? []) {
      const e = lru.peek(k);
      if (e === undefined || !covers(e, q)) continue;
      lru.get(k); // refresh recency (and honour the TTL)
      const want = q.symbols === undefined ? null : new Set(q.symbols);
      return e.rows.filter((r) => {
        const d = dayOf(r);
        return d >= q.from && d <= q.to && (want === null || want.has(symbolOf(r)));
      });
    }
    return undefined;
  };

  return {
    counters,
    /** The cached answer, or undefined (counted as a miss: the caller asks the source and `put`s). */
    get(scope: string, q: RangeKey): T[] | undefined {
      const rows = lookup(scope, q);
      if (rows === undefined) counters.misses++; else counters.hits++;
      return rows;
    },
    put(scope: string, q: RangeKey, rows: readonly T[]): void {
      const k = canonicalKey(scope, q);
      let keys = byScope.get(scope);
      if (keys === undefined) byScope.set(scope, (keys = new Set()));
      lru.set(k, { scope, symbols: q.symbols === undefined ? null : new Set(q.symbols), from: q.from, to: q.to, rows: rows.slice() });
      keys.add(k);
    },
    clear(): void { lru.clear(); byScope.clear(); },
  };
}
