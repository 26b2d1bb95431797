import type { DayBars } from '../bars.js';
import type { PortfolioView } from '../views/portfolioView.js';
import type { SignalDraft, Strategy } from './strategy.js';
import { crossoverSignals } from './crossoverSignals.js';

export interface SmaCrossoverParams {
  /** Fast window, trading days. */
  readonly fast: number;
  /** Slow window, trading days (> fast). */
  readonly slow: number;
}

interface SymbolSma {
  readonly ring: Float64Array; // last `slow` closes, 0.001 CNY (integers, so sums are exact)
  pos: number;
  count: number;
  sumFast: number;
  sumSlow: number;
  /** Sign of (fast SMA − slow SMA) at the previous close; 0 until warm. */
  rel: -1 | 0 | 1;
  warm: boolean;
}

export interface SmaCrossoverState {
  readonly bySymbol: Map<string, SymbolSma>;
  /** Crossings seen at the latest close: symbol → +1 (golden cross) / −1 (death cross). */
  crossings: Map<string, { dir: 1 | -1; gap: number }>;
}

/**
 * Trend following on raw closes: a golden cross (fast SMA rises above the slow SMA) is a buy signal
 * for a symbol not held; a death cross a sell signal for a symbol held. Strength is the relative
 * gap |fast/slow − 1| × 20, capped at 1. Comparisons use integer sums (`sumFast × slow` vs
 * `sumSlow × fast`), so the decision is exact and platform-independent. Issue 4 moves indicators
 * onto forward-adjusted prices; until then an ex-dividend gap can trigger a crossing.
 */
export function smaCrossover(p: SmaCrossoverParams): Strategy<SmaCrossoverState> {
  if (!(Number.isInteger(p.fast) && Number.isInteger(p.slow) && p.fast >= 1 && p.slow > p.fast)) {
    throw new RangeError(`sma-crossover needs integers 1 ≤ fast < slow (got fast=${p.fast}, slow=${p.slow})`);
  }
  const { fast, slow } = p;
  return {
    name: `sma-crossover(${fast},${slow})`,
    init: () => ({ bySymbol: new Map(), crossings: new Map() }),
    onBars(state, bars: DayBars) {
      const crossings = new Map<string, { dir: 1 | -1; gap: number }>();
      const { symbols, close } = bars;
      for (let i = 0; i < symbols.length; i++) {
        const sym = symbols[i]!;
        let s = state.bySymbol.get(sym);
        if (!s) {
          s = { ring: new Float64Array(slow), pos: 0, count: 0, sumFast: 0, sumSlow: 0, rel: 0, warm: false };
          state.bySymbol.set(sym, s);
        }
        const c = close[i]!;
        const outSlow = s.count >= slow ? s.ring[s.pos]! : 0;
        const outFast = s.count >= fast ? s.ring[(s.pos - fast + slow) % slow]! : 0;
        s.ring[s.pos] = c;
        s.pos = (s.pos + 1) % slow;
        s.count++;
        s.sumSlow += c - outSlow;
        s.sumFast += c - outFast;
        if (s.count < slow) continue;
        const lhs = s.sumFast * slow, rhs = s.sumSlow * fast;
        const rel: -1 | 0 | 1 = lhs > rhs ? 1 : lhs < rhs ? -1 : 0;
        if (s.warm && rel !== s.rel) {
          const gap = Math.abs(lhs / rhs - 1);
          if (rel > 0 && s.rel <= 0) crossings.set(sym, { dir: 1, gap });
          else if (rel <= 0 && s.rel > 0) crossings.set(sym, { dir: -1, gap });
        }
        s.rel = rel;
        s.warm = true;
      }
      state.crossings = crossings;
      return state;
    },
    signals(state, _bars, portfolio: PortfolioView): SignalDraft[] {
      return crossoverSignals(state.crossings, portfolio, (d) => `SMA${fast} crossed ${d} SMA${slow}`);
    },
    clone(state) {
      // Every ring copied into one buffer (an audit replay clones the state each day: one
      // allocation instead of one per symbol).
      const bySymbol = new Map<string, SymbolSma>();
      const rings = new Float64Array(state.bySymbol.size * slow);
      let at = 0;
      for (const [k, v] of state.bySymbol) {
        const ring = rings.subarray(at, at + slow);
        ring.set(v.ring);
        at += slow;
        bySymbol.set(k, { ...v, ring });
      }
      return { bySymbol, crossings: new Map(state.crossings) };
    },
  };
}
