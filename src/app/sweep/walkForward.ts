import type { GridPoint } from './grid.js';
import type { RankMetric, SweepMetrics, SweepOptions } from './runSweep.js';
import { rankRows, runSweep } from './runSweep.js';

export interface WalkForwardWindow {
  readonly inSample: { readonly from: string; readonly to: string };
  readonly outOfSample: { readonly from: string; readonly to: string };
  /** The grid point that ranked first in sample, or null when none ran. */
  readonly best: GridPoint | null;
  readonly inSampleMetrics: SweepMetrics | null;
  readonly outOfSampleMetrics: SweepMetrics | null;
  readonly error?: string;
}

/**
 * Rolling walk-forward: windows of `isDays` in-sample trading days followed by `oosDays`
 * out-of-sample days, stepping by `oosDays`. In each window every grid point runs in sample, the
 * best by `rank` then runs alone out of sample. Each run starts flat with fresh indicator state, so
 * the first days of an out-of-sample window are warm-up (say so when reading the figures).
 */
export async function walkForward(
  tradingDays: readonly string[], points: readonly GridPoint[], isDays: number, oosDays: number, rank: RankMetric,
  o: SweepOptions,
): Promise<WalkForwardWindow[]> {
  const out: WalkForwardWindow[] = [];
  for (let s = 0, w = 1; s + isDays + oosDays <= tradingDays.length; s += oosDays, w++) {
    const inSample = { from: tradingDays[s]!, to: tradingDays[s + isDays - 1]! };
    const outOfSample = { from: tradingDays[s + isDays]!, to: tradingDays[s + isDays + oosDays - 1]! };
    const ins = rankRows(await runSweep(points, { ...o, outDir: `${o.outDir}/w${w}-is`, dayRange: inSample }), rank);
    const top = ins[0];
    if (!top || !top.result.ok) {
      out.push({ inSample, outOfSample, best: null, inSampleMetrics: null, outOfSampleMetrics: null, error: top && !top.result.ok ? top.result.error : 'no grid point ran' });
      continue;
    }
    const [oos] = await runSweep([top.point], { ...o, outDir: `${o.outDir}/w${w}-oos`, dayRange: outOfSample });
    out.push({
      inSample, outOfSample, best: top.point, inSampleMetrics: top.result.metrics,
      outOfSampleMetrics: oos && oos.result.ok ? oos.result.metrics : null,
      ...(oos && !oos.result.ok ? { error: oos.result.error } : {}),
    });
  }
  return out;
}
