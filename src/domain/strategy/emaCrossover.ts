import { z } from 'zod';
import type { DayBars } from '../bars.js';
import type { PortfolioView } from '../views/portfolioView.js';
import type { SignalDraft, Strategy } from './strategy.js';
import { crossoverSignals } from './crossoverSignals.js';

/** zod schema of the parameters (for YAML): integers 1 ≤ fast < slow, trading days. */
export const EmaCrossoverParamsSchema = z.object({ fast: z.number().int().min(1), slow: z.number().int().min(2) }).strict()
  .refine((p) => p.slow > p.fast, { message: 'slow must be greater than fast', path: ['slow'] });
export type EmaCrossoverParams = z.infer<typeof EmaCrossoverParamsSchema>;

interface SymbolEma { fast: number; slow: number; count: number; rel: -1 | 0 | 1 }

export interface EmaCrossoverState {
  readonly bySymbol: Map<string, SymbolEma>;
  /** Crossings at the latest close: symbol → direction and relative gap |fast/slow − 1|. */
  crossings: Map<string, { dir: 1 | -1; gap: number }>;
}

/**
 * Trend following on EMAs of raw closes, α = 2/(n+1), each EMA seeded with the symbol's first close
 * (the Tongdaxin convention `../indicators/ema` uses). The pair is warm from the symbol's `slow`-th
 * bar; from then on, a change of sign of (fast − slow) between consecutive closes is a crossing:
 * golden (fast rises above slow) → buy if not held; death (fast falls to or below slow) → sell if
 * held. Strength |fast/slow − 1| × 20, capped at 1 (4 decimals). A suspended symbol's EMAs pause.
 */
export function emaCrossover(params: EmaCrossoverParams): Strategy<EmaCrossoverState> {
  const parsed = EmaCrossoverParamsSchema.safeParse(params);
  if (!parsed.success) throw new RangeError(`ema-crossover needs integers 1 ≤ fast < slow (got ${JSON.stringify(params)})`);
  const { fast, slow } = parsed.data;
  const aF = 2 / (fast + 1), aS = 2 / (slow + 1);
  return {
    name: `ema-crossover(${fast},${slow})`,
    init: () => ({ bySymbol: new Map(), crossings: new Map() }),
    onBars(state, bars: DayBars) {
      const crossings = new Map<string, { dir: 1 | -1; gap: number }>();
      for (let i = 0; i < bars.symbols.length; i++) {
        const sym = bars.symbols[i]!, c = bars.close[i]!;
        let s = state.bySymbol.get(sym);
        if (!s) {
          state.bySymbol.set(sym, { fast: c, slow: c, count: 1, rel: 0 });
          continue;
        }
        s.fast += aF * (c - s.fast);
        s.slow += aS * (c - s.slow);
        s.count++;
        if (s.count < slow) continue;
        const rel: -1 | 0 | 1 = s.fast > s.slow ? 1 : s.fast < s.slow ? -1 : 0;
        if (s.count > slow) {
          const gap = Math.abs(s.fast / s.slow - 1);
          if (rel > 0 && s.rel <= 0) crossings.set(sym, { dir: 1, gap });
          else if (rel <= 0 && s.rel > 0) crossings.set(sym, { dir: -1, gap });
        }
        s.rel = rel;
      }
      state.crossings = crossings;
      return state;
    },
    signals(state, _bars, portfolio: PortfolioView): SignalDraft[] {
      return crossoverSignals(state.crossings, portfolio, (d) => `EMA${fast} crossed ${d} EMA${slow}`);
    },
    clone(state) {
      const bySymbol = new Map<string, SymbolEma>();
      for (const [k, v] of state.bySymbol) bySymbol.set(k, { ...v });
      return { bySymbol, crossings: new Map(state.crossings) };
    },
  };
}
