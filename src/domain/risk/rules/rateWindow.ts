import type { RecentAction, RiskContext } from './riskRule.js';

/**
 * An index over a list of recent actions, built as the list grows: the engine appends each order it
 * sends to one list per day and asks about it before every order, so scanning the whole list each
 * time would make a day's checks quadratic in its orders. Lists are append-only (never edited in
 * place); a list whose times do not ascend is answered by a scan, exactly as before.
 */
interface ActionIndex {
  indexed: number;
  ascending: boolean;
  times: number[];
  /** symbol|side|qty → the actions with that key, in list order. */
  byKey: Map<string, { readonly atMs: number }[]> | null;
}

const indexes = new WeakMap<readonly { readonly atMs: number }[], ActionIndex>();
const keyOf = (a: { readonly symbol: string; readonly side: string; readonly qty: number }): string => `${a.symbol}|${a.side}|${a.qty}`;

function indexOf(actions: readonly { readonly atMs: number }[]): ActionIndex {
  let ix = indexes.get(actions);
  if (!ix) indexes.set(actions, (ix = { indexed: 0, ascending: true, times: [], byKey: null }));
  for (; ix.indexed < actions.length; ix.indexed++) {
    const a = actions[ix.indexed]!;
    if (ix.times.length > 0 && a.atMs < ix.times[ix.times.length - 1]!) ix.ascending = false;
    ix.times.push(a.atMs);
    if (ix.byKey && 'symbol' in a) push(ix.byKey, a as RecentAction);
  }
  return ix;
}

function push(byKey: Map<string, { readonly atMs: number }[]>, a: RecentAction): void {
  const k = keyOf(a);
  const l = byKey.get(k);
  if (l) l.push(a);
  else byKey.set(k, [a]);
}

/** First index in ascending `times` with time > t (upper) or ≥ t (lower). */
function bound(times: readonly number[], t: number, strict: boolean): number {
  let lo = 0, hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? times[mid]! <= t : times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Actions in the last second (nowMs-1000, nowMs] and today [dayStartMs, nowMs]. */
export function countRecent(ctx: RiskContext, actions: readonly { readonly atMs: number }[]): { second: number; day: number } {
  const ix = indexOf(actions);
  if (ix.ascending) {
    const upTo = bound(ix.times, ctx.nowMs, true);
    return { second: upTo - bound(ix.times, ctx.nowMs - 1000, true), day: upTo - bound(ix.times, ctx.dayStartMs, false) };
  }
  let second = 0, day = 0;
  for (const a of actions) {
    if (a.atMs > ctx.nowMs) continue;
    if (a.atMs > ctx.nowMs - 1000) second++;
    if (a.atMs >= ctx.dayStartMs) day++;
  }
  return { second, day };
}

/** The first action in list order with the same symbol, side and quantity sent in (fromMs, toMs]. */
export function findSimilar(actions: readonly RecentAction[], a: { symbol: string; side: string; qty: number }, fromMs: number, toMs: number): { readonly atMs: number } | undefined {
  const ix = indexOf(actions);
  if (!ix.byKey) {
    ix.byKey = new Map();
    for (let i = 0; i < ix.indexed; i++) push(ix.byKey, actions[i]!);
  }
  return ix.byKey.get(keyOf(a))?.find((o) => o.atMs > fromMs && o.atMs <= toMs);
}
