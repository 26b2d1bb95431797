/**
 * The last `capacity` closes of one symbol (days it traded), plain data so strategy states clone
 * cheaply. The strategies keep their own rolling state rather than the closure-based indicators of
 * `../indicators` because a strategy state must be cloneable (`Strategy.clone`).
 */
export interface CloseHistory {
  readonly ring: Float64Array;
  pos: number;
  count: number;
}

export const newHistory = (capacity: number): CloseHistory => ({ ring: new Float64Array(capacity), pos: 0, count: 0 });

export function pushClose(h: CloseHistory, close: number): void {
  h.ring[h.pos] = close;
  h.pos = (h.pos + 1) % h.ring.length;
  h.count++;
}

/** The close `k` bars back (0 = latest), or undefined when not that much history is kept. */
export function closeAgo(h: CloseHistory, k: number): number | undefined {
  const cap = h.ring.length;
  if (k < 0 || k >= cap || k >= h.count) return undefined;
  return h.ring[(h.pos - 1 - k + 2 * cap) % cap];
}

export const cloneHistory = (h: CloseHistory): CloseHistory => ({ ring: h.ring.slice(), pos: h.pos, count: h.count });

/** Mean and population standard deviation of the latest `n` closes (undefined until n are kept). */
export function meanStd(h: CloseHistory, n: number): { mean: number; std: number } | undefined {
  if (h.count < n || n > h.ring.length) return undefined;
  let s = 0;
  for (let k = 0; k < n; k++) s += closeAgo(h, k)!;
  const mean = s / n;
  let v = 0;
  for (let k = 0; k < n; k++) v += (closeAgo(h, k)! - mean) ** 2;
  return { mean, std: Math.sqrt(v / n) };
}

/** Population standard deviation of the latest `n` simple daily returns (needs n + 1 closes). */
export function returnStd(h: CloseHistory, n: number): number | undefined {
  if (h.count < n + 1 || n + 1 > h.ring.length || n < 2) return undefined;
  const r: number[] = [];
  for (let k = 0; k < n; k++) r.push(closeAgo(h, k)! / closeAgo(h, k + 1)! - 1);
  const m = r.reduce((a, x) => a + x, 0) / n;
  return Math.sqrt(r.reduce((a, x) => a + (x - m) ** 2, 0) / n);
}
