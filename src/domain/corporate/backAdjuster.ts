import type { DayBars } from '../bars.js';

/** Per symbol: the cumulative backward factor and the last raw close seen. */
export interface BackAdjustState {
  readonly bySymbol: Map<string, { factor: number; lastClose: number }>;
}

export const newBackAdjustState = (): BackAdjustState => ({ bySymbol: new Map() });

export const cloneBackAdjustState = (s: BackAdjustState): BackAdjustState =>
  ({ bySymbol: new Map([...s.bySymbol].map(([k, v]) => [k, { ...v }])) });

/**
 * The day's bars with prices backward-adjusted (hfq-style): raw × a cumulative factor that starts at
 * 1 on a symbol's first bar and is multiplied by close(t−1) / preClose(t) on each ex-date (§7.3).
 * Computed incrementally, so it never looks ahead — unlike qfq, whose anchor is the latest day. The
 * two differ by a constant factor per symbol, so scale-free indicators (moving-average crossovers,
 * RSI, Bollinger position, returns) read the same on either. Prices become floats: indicator inputs
 * only; orders always use raw integer prices. Updates `state` in place (an owned fold state).
 */
export function backAdjust(state: BackAdjustState, bars: DayBars): DayBars {
  const n = bars.symbols.length;
  const open = new Array<number>(n), high = new Array<number>(n), low = new Array<number>(n), close = new Array<number>(n);
  let changed = false;
  for (let i = 0; i < n; i++) {
    const sym = bars.symbols[i]!;
    const prev = state.bySymbol.get(sym);
    let factor = prev?.factor ?? 1;
    const pre = bars.preClose[i];
    if (prev && pre !== null && pre !== undefined && pre > 0 && pre !== prev.lastClose) factor *= prev.lastClose / pre;
    if (prev) { prev.factor = factor; prev.lastClose = bars.close[i]!; } else state.bySymbol.set(sym, { factor, lastClose: bars.close[i]! });
    if (factor !== 1) changed = true;
    open[i] = bars.open[i]! * factor; high[i] = bars.high[i]! * factor; low[i] = bars.low[i]! * factor; close[i] = bars.close[i]! * factor;
  }
  return changed ? { ...bars, open, high, low, close } : bars;
}
