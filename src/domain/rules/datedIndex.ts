import { addCalendarDays, type TradingDay } from '../tradingDay.js';

/** A table row in force on the days [from, to] (`to` inclusive; open-ended when absent). */
export interface DatedRow {
  readonly from: TradingDay;
  readonly to?: TradingDay | undefined;
}

/**
 * The rows in force on a day, precomputed: the days on which the set of rows changes are sorted once,
 * each with its frozen set, so a lookup is one binary search (O(log k) for k boundaries) and returns
 * a shared array — cheap enough to call per order and per bar.
 */
export interface DatedIndex<R> {
  at(day: string): readonly R[];
  /** Boundaries and the rows in force from each, for whole-table checks. */
  readonly segments: readonly { readonly start: string; readonly rows: readonly R[] }[];
}

export function buildDatedIndex<R extends DatedRow>(rows: readonly R[]): DatedIndex<R> {
  const cuts = new Set<string>();
  for (const r of rows) {
    cuts.add(r.from);
    if (r.to !== undefined) cuts.add(addCalendarDays(r.to, 1));
  }
  const starts = [...cuts].sort();
  const sets = starts.map((s) => Object.freeze(rows.filter((r) => r.from <= s && (r.to === undefined || r.to >= s))));
  const empty: readonly R[] = Object.freeze([]);
  return {
    at(day: string): readonly R[] {
      let lo = 0, hi = starts.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (starts[mid]! <= day) lo = mid + 1; else hi = mid;
      }
      return lo === 0 ? empty : sets[lo - 1]!;
    },
    segments: starts.map((start, i) => ({ start, rows: sets[i]! })),
  };
}

/** Indexes rows under every key `keysOf` gives them (a row may apply to several boards). */
export function buildKeyedIndex<R extends DatedRow>(rows: readonly R[], keysOf: (r: R) => readonly string[]): Map<string, DatedIndex<R>> {
  const groups = new Map<string, R[]>();
  for (const r of rows) for (const k of keysOf(r)) groups.set(k, [...(groups.get(k) ?? []), r]);
  return new Map([...groups].map(([k, g]) => [k, buildDatedIndex(g)]));
}

/**
 * Overlaps among rows that must be unique per key on any day: `table[i]: overlaps table[j] for KEY
 * from DAY`. `keysOf` gives each row's keys; rows are named by their index in `rows`.
 */
export function findOverlaps<R extends DatedRow>(rows: readonly R[], table: string, keysOf: (r: R) => readonly string[]): string[] {
  const byKey = new Map<string, number[]>();
  rows.forEach((r, i) => { for (const k of keysOf(r)) byKey.set(k, [...(byKey.get(k) ?? []), i]); });
  const issues: string[] = [];
  for (const [key, idx] of byKey) {
    const sorted = [...idx].sort((a, b) => (rows[a]!.from < rows[b]!.from ? -1 : rows[a]!.from > rows[b]!.from ? 1 : a - b));
    for (let n = 1; n < sorted.length; n++) {
      const prev = rows[sorted[n - 1]!]!, cur = rows[sorted[n]!]!;
      if (prev.to === undefined || prev.to >= cur.from) {
        issues.push(`${table}[${sorted[n]}]: overlaps ${table}[${sorted[n - 1]}] for ${key} from ${cur.from} (one row per ${key} per day)`);
      }
    }
  }
  return issues;
}
