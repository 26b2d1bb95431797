import type { DayBars } from '../bars.js';

/**
 * Wilder's average true range per symbol over raw daily bars, kept as an owned fold state the
 * engine updates in place and clones for replays (like a strategy's state). True ranges start at
 * a symbol's second bar; the first ATR is the mean of `period` of them, then
 * ATR = (ATR × (period − 1) + TR) / period. Same arithmetic as indicators/atr.ts, for all symbols at
 * once, except across ex-days (see pushAtr). Units: 0.001 CNY (rounded to the nearest on read).
 */
export interface AtrWindow {
  readonly period: number;
  readonly bySymbol: Map<string, { prevClose: number; n: number; sum: number; atr: number }>;
}

export const newAtrWindow = (period: number): AtrWindow => {
  if (!Number.isInteger(period) || period < 1) throw new RangeError(`ATR period must be a positive integer (got ${period})`);
  return { period, bySymbol: new Map() };
};

export const cloneAtrWindow = (w: AtrWindow): AtrWindow =>
  ({ period: w.period, bySymbol: new Map([...w.bySymbol].map(([k, v]) => [k, { ...v }])) });

/**
 * Folds one day of raw bars in place. On an ex-day (the bar's reference `preClose` differs from the
 * last close) the window moves to the new price basis first, as backward adjustment does: the ATR
 * and the warm-up sum scale by preClose / last close and the true range is measured from preClose,
 * so a dividend or bonus-share gap is not a range and the ATR stays in today's prices (ATR stops,
 * volatility-target sizing). Bars without a preClose are taken as no corporate action.
 */
export function pushAtr(w: AtrWindow, bars: DayBars): void {
  const p = w.period;
  for (let i = 0; i < bars.symbols.length; i++) {
    const sym = bars.symbols[i]!, high = bars.high[i]!, low = bars.low[i]!, close = bars.close[i]!;
    const s = w.bySymbol.get(sym);
    if (!s) { w.bySymbol.set(sym, { prevClose: close, n: 0, sum: 0, atr: 0 }); continue; }
    const pre = bars.preClose[i];
    if (pre !== null && pre !== undefined && pre > 0 && s.prevClose > 0 && pre !== s.prevClose) {
      const f = pre / s.prevClose;
      s.atr *= f;
      s.sum *= f;
      s.prevClose = pre;
    }
    const tr = Math.max(high - low, Math.abs(high - s.prevClose), Math.abs(low - s.prevClose));
    s.prevClose = close;
    s.n++;
    if (s.n < p) s.sum += tr;
    else if (s.n === p) s.atr = (s.sum + tr) / p;
    else s.atr = (s.atr * (p - 1) + tr) / p;
  }
}

/** The symbol's ATR in 0.001 CNY, rounded to the nearest; undefined until `period` true ranges are in. */
export function atrOf(w: AtrWindow, symbol: string): number | undefined {
  const s = w.bySymbol.get(symbol);
  return s && s.n >= w.period ? Math.round(s.atr) : undefined;
}
