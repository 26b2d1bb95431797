import type { DayBars } from '../bars.js';

/** Per symbol, the last `capacity` daily close-to-close returns (of adjusted closes), oldest first on read. */
export interface ReturnsWindow {
  readonly capacity: number;
  readonly bySymbol: Map<string, { ring: Float64Array; pos: number; count: number; lastClose: number }>;
}

export const newReturnsWindow = (capacity = 60): ReturnsWindow => ({ capacity, bySymbol: new Map() });

export const cloneReturnsWindow = (w: ReturnsWindow): ReturnsWindow =>
  ({ capacity: w.capacity, bySymbol: new Map([...w.bySymbol].map(([k, v]) => [k, { ...v, ring: v.ring.slice() }])) });

/** Folds a day of (adjusted) bars in place: an owned fold state, like a strategy's. */
export function pushReturns(w: ReturnsWindow, bars: DayBars): void {
  for (let i = 0; i < bars.symbols.length; i++) {
    const sym = bars.symbols[i]!, close = bars.close[i]!;
    const s = w.bySymbol.get(sym);
    if (!s) { w.bySymbol.set(sym, { ring: new Float64Array(w.capacity), pos: 0, count: 0, lastClose: close }); continue; }
    s.ring[s.pos] = close / s.lastClose - 1;
    s.pos = (s.pos + 1) % w.capacity;
    s.count = Math.min(s.count + 1, w.capacity);
    s.lastClose = close;
  }
}

/** The symbol's recent returns, oldest first (empty when unknown). */
export function recentReturns(w: ReturnsWindow, symbol: string): number[] {
  const s = w.bySymbol.get(symbol);
  if (!s) return [];
  const out: number[] = [];
  for (let k = s.count; k >= 1; k--) out.push(s.ring[(s.pos - k + w.capacity) % w.capacity]!);
  return out;
}
