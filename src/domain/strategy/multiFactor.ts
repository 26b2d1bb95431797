import { z } from 'zod';
import type { DayBars } from '../bars.js';
import { RebalanceScheduleSchema } from '../portfolio/schedule.js';
import { cloneHistory, type CloseHistory, newHistory, pushClose, returnStd } from './closeHistory.js';
import { advanceSchedule, trailingReturn } from './momentum.js';
import { topNEqualWeights, type StrategyFundamentalsView, type TargetWeightStrategy } from './targetWeights.js';

const factorWeight = z.number().min(0).default(0);
/** zod schema of the parameters (for YAML). */
export const MultiFactorParamsSchema = z.object({
  /** Non-negative factor weights; at least one > 0. A factor with weight 0 is not computed. */
  // sentiment is optional rather than defaulted, so a config without it keeps its hash (and its journals resume).
  weights: z.object({ value: factorWeight, quality: factorWeight, momentum: factorWeight, lowVol: factorWeight, sentiment: z.number().min(0).optional() }).strict()
    .refine((w) => w.value + w.quality + w.momentum + w.lowVol + (w.sentiment ?? 0) > 0, 'at least one factor weight must be > 0'),
  topN: z.number().int().min(1),
  /** Z-score every factor within its industry instead of across the market (default false). */
  industryNeutral: z.boolean().default(false),
  /** Momentum: return from t − lookback to t − skip (defaults 120 and 20 trading days). */
  lookback: z.number().int().min(1).default(120),
  skip: z.number().int().min(0).default(20),
  /** Low volatility: window of daily returns for σ (default 60, ≥ 2). */
  volWindow: z.number().int().min(2).default(60),
  schedule: RebalanceScheduleSchema.default('monthly'),
}).strict().refine((p) => p.skip < p.lookback, { message: 'skip must be below lookback', path: ['skip'] });
export type MultiFactorParams = z.input<typeof MultiFactorParamsSchema>;

export type FactorName = 'value' | 'quality' | 'momentum' | 'lowVol' | 'sentiment';
const FACTORS: readonly FactorName[] = ['value', 'quality', 'momentum', 'lowVol', 'sentiment'];

export interface MultiFactorState {
  readonly bySymbol: Map<string, CloseHistory>;
  lastDay: string | null;
  due: boolean;
}

/**
 * Cross-sectional z-scores, winsorised: z = (x − mean)/σ (population σ) over the symbols of the same
 * group, clamped to ±`limit`. A group with fewer than 2 members or σ = 0 scores 0 for all.
 */
export function winsorisedZScores(values: ReadonlyMap<string, number>, groupOf: (s: string) => string = () => '', limit = 3): Map<string, number> {
  const groups = new Map<string, [string, number][]>();
  for (const [s, v] of values) {
    const g = groupOf(s);
    let a = groups.get(g);
    if (!a) groups.set(g, (a = []));
    a.push([s, v]);
  }
  const out = new Map<string, number>();
  for (const members of groups.values()) {
    const n = members.length;
    const mean = members.reduce((a, [, v]) => a + v, 0) / n;
    const sd = Math.sqrt(members.reduce((a, [, v]) => a + (v - mean) ** 2, 0) / n);
    for (const [s, v] of members) out.set(s, n < 2 || !(sd > 0) ? 0 : Math.max(-limit, Math.min(limit, (v - mean) / sd)));
  }
  return out;
}

/**
 * Multi-factor stock selection, on the symbols that traded today:
 * - value = earnings yield 1/PE (PE null or 0 → missing; a negative PE gives a negative yield);
 * - quality = ROE; value and quality come from the point-in-time `StrategyFundamentalsView` (none → missing);
 * - momentum = close[t − skip]/close[t − lookback] − 1 over the symbol's own bars (as `momentum`);
 * - lowVol = −σ of the last `volWindow` daily returns (needs volWindow + 1 bars);
 * - sentiment = the decayed, count-aware news/forum sentiment at this close (domain/sentiment/factor;
 *   from the journal's SentimentScored events; none known → missing).
 * Each factor is z-scored across the symbols that have it (industry-neutral: within each industry,
 * unclassified symbols forming one group of their own) and winsorised at ±3. Composite = Σ wᶠ·zᶠ /
 * Σ wᶠ over the factors the symbol HAS (missing factors are skipped, not scored 0); a symbol with
 * none is not ranked. Targets: 1/N on the top N composites (ties by symbol), on the first trading
 * day of each schedule period; null otherwise or when nothing ranks.
 */
export function multiFactor(params: MultiFactorParams): TargetWeightStrategy<MultiFactorState> {
  const parsed = MultiFactorParamsSchema.safeParse(params);
  if (!parsed.success) throw new RangeError(`multi-factor: invalid parameters: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const p = parsed.data;
  const capacity = Math.max(p.lookback, p.volWindow) + 1;
  const weightOf = (f: FactorName): number => p.weights[f] ?? 0;
  const active = FACTORS.filter((f) => weightOf(f) > 0);
  return {
    name: `multi-factor(${active.map((f) => `${f}=${weightOf(f)}`).join(',')};top${p.topN}${p.industryNeutral ? ';industry-neutral' : ''})`,
    init: () => ({ bySymbol: new Map(), lastDay: null, due: false }),
    onBars(state, bars: DayBars) {
      for (let i = 0; i < bars.symbols.length; i++) {
        const sym = bars.symbols[i]!;
        let h = state.bySymbol.get(sym);
        if (!h) state.bySymbol.set(sym, (h = newHistory(capacity)));
        pushClose(h, bars.close[i]!);
      }
      advanceSchedule(state, p.schedule, bars.day);
      return state;
    },
    targets(state, bars, _portfolio, fundamentals?: StrategyFundamentalsView) {
      if (!state.due) return null;
      const raw = new Map<FactorName, Map<string, number>>(active.map((f) => [f, new Map()]));
      for (const sym of bars.symbols) {
        const f = fundamentals?.get(sym);
        const h = state.bySymbol.get(sym);
        const put = (name: FactorName, v: number | null | undefined): void => {
          if (v !== null && v !== undefined && Number.isFinite(v)) raw.get(name)?.set(sym, v);
        };
        if (f?.pe) put('value', 1 / f.pe);
        put('quality', f?.roe);
        put('momentum', trailingReturn(h, p.lookback, p.skip));
        const sd = h ? returnStd(h, p.volWindow) : undefined;
        put('lowVol', sd === undefined ? undefined : -sd);
        put('sentiment', f?.sentiment);
      }
      const groupOf = p.industryNeutral ? (s: string): string => fundamentals?.get(s)?.industry ?? '\u0000unclassified' : undefined;
      const num = new Map<string, number>(), den = new Map<string, number>();
      for (const name of active) {
        const w = weightOf(name);
        for (const [s, zv] of winsorisedZScores(raw.get(name)!, groupOf)) {
          num.set(s, (num.get(s) ?? 0) + w * zv);
          den.set(s, (den.get(s) ?? 0) + w);
        }
      }
      const composite = new Map([...num].map(([s, v]) => [s, v / den.get(s)!]));
      return topNEqualWeights(composite, p.topN);
    },
    clone: (state) => ({ bySymbol: new Map([...state.bySymbol].map(([k, h]) => [k, cloneHistory(h)])), lastDay: state.lastDay, due: state.due }),
  };
}
