import { z } from 'zod';
import type { DayBars } from '../bars.js';
import { isRebalanceDue, RebalanceScheduleSchema, type RebalanceSchedule } from '../portfolio/schedule.js';
import { closeAgo, cloneHistory, type CloseHistory, newHistory, pushClose } from './closeHistory.js';
import { topNEqualWeights, type TargetWeightStrategy } from './targetWeights.js';

/** zod schema of the parameters (for YAML). */
export const MomentumParamsSchema = z.object({
  /** Bars back to the start of the measured return (≥ 1). */
  lookback: z.number().int().min(1),
  /** Most recent bars left out (short-term reversal), 0 ≤ skip < lookback. */
  skip: z.number().int().min(0),
  /** Names held (≥ 1). */
  topN: z.number().int().min(1),
  /** When targets are produced (default monthly). */
  schedule: RebalanceScheduleSchema.default('monthly'),
}).strict().refine((p) => p.skip < p.lookback, { message: 'skip must be below lookback', path: ['skip'] });
export type MomentumParams = z.input<typeof MomentumParamsSchema>;

export interface MomentumState {
  readonly bySymbol: Map<string, CloseHistory>;
  /** Last trading day seen, and whether it started a new rebalancing period. */
  lastDay: string | null;
  due: boolean;
}

/**
 * Cross-sectional momentum rotation. Score of a symbol = close[t − skip] / close[t − lookback] − 1,
 * t its latest bar, counted in the bars the symbol traded (suspended days do not count). Ranked:
 * symbols that traded today with at least lookback + 1 bars. Targets: 1/N on each of the top N
 * scores (N = min(topN, ranked); ties by symbol), everything else 0. Targets are given on the first
 * trading day of each schedule period (`isRebalanceDue`) and null otherwise or when nothing ranks.
 * Raw closes (an ex-dividend gap lowers the score until issue 4 feeds adjusted prices).
 */
export function momentum(params: MomentumParams): TargetWeightStrategy<MomentumState> {
  const parsed = MomentumParamsSchema.safeParse(params);
  if (!parsed.success) throw new RangeError(`momentum: invalid parameters ${JSON.stringify(params)}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const { lookback, skip, topN, schedule } = parsed.data;
  return {
    name: `momentum(${lookback},${skip},${topN},${schedule})`,
    init: () => ({ bySymbol: new Map(), lastDay: null, due: false }),
    onBars(state, bars: DayBars) {
      for (let i = 0; i < bars.symbols.length; i++) {
        const sym = bars.symbols[i]!;
        let h = state.bySymbol.get(sym);
        if (!h) state.bySymbol.set(sym, (h = newHistory(lookback + 1)));
        pushClose(h, bars.close[i]!);
      }
      advanceSchedule(state, schedule, bars.day);
      return state;
    },
    targets(state, bars) {
      if (!state.due) return null;
      const scores = new Map<string, number>();
      for (const sym of bars.symbols) {
        const r = trailingReturn(state.bySymbol.get(sym), lookback, skip);
        if (r !== undefined) scores.set(sym, r);
      }
      return topNEqualWeights(scores, topN);
    },
    clone: (state) => ({ bySymbol: new Map([...state.bySymbol].map(([k, h]) => [k, cloneHistory(h)])), lastDay: state.lastDay, due: state.due }),
  };
}

/** close[t − skip] / close[t − lookback] − 1, or undefined without lookback + 1 bars. */
export function trailingReturn(h: CloseHistory | undefined, lookback: number, skip: number): number | undefined {
  if (!h) return undefined;
  const end = closeAgo(h, skip), start = closeAgo(h, lookback);
  return end === undefined || start === undefined || !(start > 0) ? undefined : end / start - 1;
}

/** Marks whether `day` starts a new schedule period relative to the previous trading day seen. */
export function advanceSchedule(state: { lastDay: string | null; due: boolean }, schedule: RebalanceSchedule, day: string): void {
  state.due = isRebalanceDue(schedule, state.lastDay, day);
  state.lastDay = day;
}
