/**
 * A persistent (immutable, structurally shared) string-keyed map for the projections' per-symbol
 * and per-order state. The folds are pure: each event returns a new state and never touches the
 * old one. With a plain Map that means copying the whole map on every fill — O(positions) per
 * fill, the quadratic term of a full-market backtest (5,000 positions × thousands of fills a day).
 * Here the keys are spread over 64 buckets by an FNV-1a hash and an update copies only its bucket
 * and the bucket table: O(n/64 + 64) instead of O(n), and the old map stays valid.
 *
 * Iteration is deterministic: bucket by bucket, and within a bucket in key order (so two maps with
 * the same entries iterate identically whatever order they were built in). Nothing that reaches the
 * journal or a hash depends on it: the canonical forms sort by key.
 */
const BITS = 6;
const BUCKETS = 1 << BITS;

type Bucket<V> = ReadonlyMap<string, V>;

const bucketOf = (key: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> BITS * 4) & (BUCKETS - 1);
};

/** A copy of `b` with `key` set, keeping the bucket's keys in ascending order. */
function bucketWith<V>(b: Bucket<V> | undefined, key: string, value: V): Bucket<V> {
  if (b === undefined) return new Map([[key, value]]);
  if (b.has(key)) {
    const out = new Map(b);
    out.set(key, value);
    return out;
  }
  const out = new Map<string, V>();
  let placed = false;
  for (const [k, v] of b) {
    if (!placed && key < k) {
      out.set(key, value);
      placed = true;
    }
    out.set(k, v);
  }
  if (!placed) out.set(key, value);
  return out;
}

export class PersistentMap<V> implements ReadonlyMap<string, V> {
  private static readonly EMPTY = new PersistentMap<never>(new Array<undefined>(BUCKETS).fill(undefined), 0);

  private constructor(private readonly buckets: readonly (Bucket<V> | undefined)[], readonly size: number) {}

  static empty<V>(): PersistentMap<V> {
    return PersistentMap.EMPTY as PersistentMap<V>;
  }

  /** The map of `entries` (a later entry for a key wins, as with `new Map`). */
  static from<V>(entries: Iterable<readonly [string, V]>): PersistentMap<V> {
    if (entries instanceof PersistentMap) return entries as PersistentMap<V>;
    const parts: [string, V][][] = Array.from({ length: BUCKETS }, () => []);
    const seen = new Map<string, V>();
    for (const [k, v] of entries) seen.set(k, v);
    for (const [k, v] of seen) parts[bucketOf(k)]!.push([k, v]);
    const buckets = parts.map((p) => (p.length === 0 ? undefined : new Map(p.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)))));
    return new PersistentMap(buckets, seen.size);
  }

  get(key: string): V | undefined {
    return this.buckets[bucketOf(key)]?.get(key);
  }

  has(key: string): boolean {
    return this.buckets[bucketOf(key)]?.has(key) ?? false;
  }

  /** A map with `key` set to `value`; this one is unchanged. */
  set(key: string, value: V): PersistentMap<V> {
    const i = bucketOf(key);
    const b = this.buckets[i];
    const had = b?.has(key) ?? false;
    if (had && b!.get(key) === value) return this;
    const buckets = this.buckets.slice();
    buckets[i] = bucketWith(b, key, value);
    return new PersistentMap(buckets, had ? this.size : this.size + 1);
  }

  /** A map without `key`; this one is unchanged. */
  delete(key: string): PersistentMap<V> {
    const i = bucketOf(key);
    const b = this.buckets[i];
    if (b === undefined || !b.has(key)) return this;
    const buckets = this.buckets.slice();
    if (b.size === 1) buckets[i] = undefined;
    else {
      const out = new Map(b);
      out.delete(key);
      buckets[i] = out;
    }
    return new PersistentMap(buckets, this.size - 1);
  }

  /** Every value replaced by `f(value, key)` (the same keys, so no rehashing or reordering); this map is unchanged. */
  map(f: (value: V, key: string) => V): PersistentMap<V> {
    const buckets = this.buckets.map((b) => {
      if (b === undefined) return undefined;
      const out = new Map<string, V>();
      for (const [k, v] of b) out.set(k, f(v, k));
      return out;
    });
    return new PersistentMap(buckets, this.size);
  }

  *entries(): MapIterator<[string, V]> {
    for (const b of this.buckets) if (b !== undefined) yield* b.entries();
  }

  *keys(): MapIterator<string> {
    for (const b of this.buckets) if (b !== undefined) yield* b.keys();
  }

  *values(): MapIterator<V> {
    for (const b of this.buckets) if (b !== undefined) yield* b.values();
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(f: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const b of this.buckets) if (b !== undefined) for (const [k, v] of b) f.call(thisArg, v, k, this);
  }

  get [Symbol.toStringTag](): string {
    return 'PersistentMap';
  }
}

/** `m` with `key` set: shared structure when `m` is persistent, else a persistent copy (states built by hand in tests, snapshots). */
export const setIn = <V>(m: ReadonlyMap<string, V>, key: string, value: V): PersistentMap<V> =>
  PersistentMap.from(m).set(key, value);

/** `m` without `key` (see setIn). */
export const deleteIn = <V>(m: ReadonlyMap<string, V>, key: string): PersistentMap<V> =>
  PersistentMap.from(m).delete(key);
