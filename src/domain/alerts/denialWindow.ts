import { MAX_DENIAL_BURST_COUNT } from './alertsConfig.js';

interface DenialNode {
  readonly at: number;
  readonly rule: string;
  readonly next: DenialNode | null;
}

/**
 * The most recent OrderDenied (newest first) as an immutable linked list: adding one is O(1) and
 * shares the rest with the previous state. The fold does not know the configured window, so it keeps
 * the last MAX_DENIAL_BURST_COUNT denials (enough for any allowed `count`); it lets the list grow to
 * twice that, then rebuilds it once, so the cost stays O(1) amortised and the memory bounded.
 */
export interface DenialWindow {
  readonly head: DenialNode | null;
  readonly length: number;
}

export const emptyDenialWindow: DenialWindow = Object.freeze({ head: null, length: 0 });

export function pushDenial(w: DenialWindow, at: number, rule: string): DenialWindow {
  const head: DenialNode = { at, rule, next: w.head };
  if (w.length < 2 * MAX_DENIAL_BURST_COUNT) return { head, length: w.length + 1 };
  const kept: DenialNode[] = [];
  for (let x: DenialNode | null = head; x !== null && kept.length < MAX_DENIAL_BURST_COUNT; x = x.next) kept.push(x);
  let rebuilt: DenialNode | null = null;
  for (let i = kept.length - 1; i >= 0; i--) rebuilt = { at: kept[i]!.at, rule: kept[i]!.rule, next: rebuilt };
  return { head: rebuilt, length: kept.length };
}

export interface DenialsInWindow {
  readonly count: number;
  /** occurredAt of the newest denial counted, epoch ms (null when none). */
  readonly latestAt: number | null;
  /** Denials per rule, most first, then by rule name. */
  readonly byRule: readonly (readonly [string, number])[];
}

/** The denials among the last MAX_DENIAL_BURST_COUNT that occurred at or after `fromMs`. */
export function denialsSince(w: DenialWindow, fromMs: number): DenialsInWindow {
  const byRule = new Map<string, number>();
  let count = 0, latestAt: number | null = null, seen = 0;
  for (let x = w.head; x !== null && seen < MAX_DENIAL_BURST_COUNT; x = x.next, seen++) {
    if (x.at < fromMs) continue;
    count++;
    if (latestAt === null || x.at > latestAt) latestAt = x.at;
    byRule.set(x.rule, (byRule.get(x.rule) ?? 0) + 1);
  }
  const sorted = [...byRule].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { count, latestAt, byRule: sorted };
}
