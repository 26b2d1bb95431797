import { z } from 'zod';
import type { DayBars } from '../bars.js';
import type { PortfolioView } from '../views/portfolioView.js';
import { cloneHistory, type CloseHistory, meanStd, newHistory, pushClose } from './closeHistory.js';
import type { SignalDraft, Strategy } from './strategy.js';

/** zod schema of the parameters (for YAML). */
export const MeanReversionParamsSchema = z.object({
  /** Bollinger window, trading days (≥ 2). */
  period: z.number().int().min(2),
  /** Band width in population standard deviations (> 0). */
  k: z.number().positive(),
  /** Wilder RSI period (≥ 1). */
  rsiPeriod: z.number().int().min(1),
  /** RSI level below which a dip may be bought (0…100). */
  oversold: z.number().min(0).max(100),
  /** RSI level above which a holding is sold (0…100, > oversold). */
  overbought: z.number().min(0).max(100),
}).strict().refine((p) => p.overbought > p.oversold, { message: 'overbought must exceed oversold', path: ['overbought'] });
export type MeanReversionParams = z.infer<typeof MeanReversionParamsSchema>;

interface SymbolMr {
  readonly hist: CloseHistory;
  /** Closes seen, for the RSI seed. */
  n: number;
  prev: number;
  gainSum: number;
  lossSum: number;
  avgGain: number;
  avgLoss: number;
}

/** Today's readings of a symbol that traded and is warm. */
export interface MrReading { readonly close: number; readonly mid: number; readonly lower: number; readonly rsi: number }

export interface MeanReversionState {
  readonly bySymbol: Map<string, SymbolMr>;
  today: Map<string, MrReading>;
}

/**
 * Mean reversion on raw closes with Bollinger bands (mid = SMA(period), bands mid ± k·σ, σ the
 * population standard deviation, as in `../indicators/bollinger`) and Wilder's RSI (averages seeded
 * with the mean of the first `rsiPeriod` changes, then RMA; 100·gain/(gain+loss), 50 when flat).
 * A symbol is warm once it has `period` closes and `rsiPeriod + 1` closes.
 * - Buy (not held): close < lower band AND RSI < oversold. Strength = depth below the lower band in
 *   band half-widths, (lower − close)/(mid − lower), capped at 1.
 * - Sell (held): close > mid ("reverted to the mean") OR RSI > overbought. Strength 1.
 * Signals are level-based: they repeat each day the condition holds (sizing skips duplicates).
 */
export function meanReversion(params: MeanReversionParams): Strategy<MeanReversionState> {
  const parsed = MeanReversionParamsSchema.safeParse(params);
  if (!parsed.success) throw new RangeError(`mean-reversion: invalid parameters ${JSON.stringify(params)}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const { period, k, rsiPeriod, oversold, overbought } = parsed.data;
  return {
    name: `mean-reversion(${period},${k},${rsiPeriod},${oversold},${overbought})`,
    init: () => ({ bySymbol: new Map(), today: new Map() }),
    onBars(state, bars: DayBars) {
      const today = new Map<string, MrReading>();
      for (let i = 0; i < bars.symbols.length; i++) {
        const sym = bars.symbols[i]!, c = bars.close[i]!;
        let s = state.bySymbol.get(sym);
        if (!s) state.bySymbol.set(sym, (s = { hist: newHistory(period), n: 0, prev: 0, gainSum: 0, lossSum: 0, avgGain: 0, avgLoss: 0 }));
        pushClose(s.hist, c);
        s.n++;
        if (s.n >= 2) {
          const d = c - s.prev, g = Math.max(d, 0), l = Math.max(-d, 0);
          const changes = s.n - 1;
          if (changes < rsiPeriod) { s.gainSum += g; s.lossSum += l; }
          else if (changes === rsiPeriod) { s.avgGain = (s.gainSum + g) / rsiPeriod; s.avgLoss = (s.lossSum + l) / rsiPeriod; }
          else { s.avgGain = (s.avgGain * (rsiPeriod - 1) + g) / rsiPeriod; s.avgLoss = (s.avgLoss * (rsiPeriod - 1) + l) / rsiPeriod; }
        }
        s.prev = c;
        const band = meanStd(s.hist, period);
        if (!band || s.n < rsiPeriod + 1) continue;
        const tot = s.avgGain + s.avgLoss;
        today.set(sym, { close: c, mid: band.mean, lower: band.mean - k * band.std, rsi: tot === 0 ? 50 : (100 * s.avgGain) / tot });
      }
      state.today = today;
      return state;
    },
    signals(state, _bars, portfolio: PortfolioView): SignalDraft[] {
      const out: SignalDraft[] = [];
      for (const sym of [...state.today.keys()].sort()) {
        const r = state.today.get(sym)!;
        const held = (portfolio.position(sym)?.qty ?? 0) > 0;
        if (!held && r.close < r.lower && r.rsi < oversold) {
          const strength = Math.min(1, Math.round(((r.lower - r.close) / (r.mid - r.lower)) * 10_000) / 10_000);
          out.push({ symbol: sym, side: 'buy', strength, reason: `close below lower Bollinger(${period},${k}) and RSI${rsiPeriod} ${r.rsi.toFixed(1)} < ${oversold}` });
        } else if (held && (r.close > r.mid || r.rsi > overbought)) {
          const why = r.close > r.mid ? `close above Bollinger mid (SMA${period})` : `RSI${rsiPeriod} ${r.rsi.toFixed(1)} > ${overbought}`;
          out.push({ symbol: sym, side: 'sell', strength: 1, reason: why });
        }
      }
      return out;
    },
    clone(state) {
      const bySymbol = new Map<string, SymbolMr>();
      for (const [key, v] of state.bySymbol) bySymbol.set(key, { ...v, hist: cloneHistory(v.hist) });
      return { bySymbol, today: new Map(state.today) };
    },
  };
}
