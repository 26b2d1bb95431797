import type { DataRejectedData, RowRejection } from './applyPolicies.js';

/**
 * Folds per-row rejections into one `DataRejected` (v2) per source, symbol, finding kind and policy,
 * in order of first appearance: how many rows, the first and last day, and the earliest row with its
 * finding as the example. A batch therefore journals at most symbols × kinds × 2 rejections however
 * many rows break a rule — a rule that fails on every row (adjusted prices checked as raw) is one
 * finding per symbol with a count, not one event per row. Pure: the same rows give the same events.
 */
export function summariseRejections(rows: readonly RowRejection[]): DataRejectedData[] {
  const groups = new Map<string, { first: RowRejection; lastDay: string; rows: number }>();
  for (const r of rows) {
    const key = `${r.source}\u0000${r.symbol}\u0000${r.kind}\u0000${r.policy}`;
    const g = groups.get(key);
    if (!g) { groups.set(key, { first: r, lastDay: r.day, rows: 1 }); continue; }
    g.rows++;
    if (r.day > g.lastDay) g.lastDay = r.day;
    if (r.day < g.first.day) g.first = r;
  }
  return [...groups.values()].map((g) => ({ ...g.first, lastDay: g.lastDay, rows: g.rows }));
}
