import { checkPositive, finiteBar, runBatch } from './support.js';
import type { Indicator, Ohlcv } from './types.js';

/**
 * Wilder's parabolic SAR. Bar 2 opens the first trend: long if C2 ≥ C1 (SAR = L1, EP = max(H1,H2)),
 * else short (SAR = H1, EP = min(L1,L2)). Each later bar: SAR += AF·(EP − SAR), kept at or below the
 * two previous lows (long) / at or above the two previous highs (short); when the bar's low (high)
 * touches it the trend flips, SAR = the old EP, EP = this bar's low (high), AF = step; otherwise a new
 * extreme moves EP and raises AF by `step` up to `max`. Output: the SAR that applies to the bar.
 */
export function parabolicSar(step = 0.02, max = 0.2): Indicator<Ohlcv, number> {
  checkPositive('step', step);
  checkPositive('max', max);
  let bars = 0;
  let long = true, sar = 0, ep = 0, af = step;
  let h1 = 0, l1 = 0, h2 = 0, l2 = 0, c1 = 0; // previous bar (1) and the one before (2)
  return {
    update(bar) {
      finiteBar(bar);
      bars++;
      let out: number | null = null;
      if (bars === 2) {
        long = bar.close >= c1;
        sar = long ? l1 : h1;
        ep = long ? Math.max(h1, bar.high) : Math.min(l1, bar.low);
        af = step;
        out = sar;
      } else if (bars > 2) {
        let next = sar + af * (ep - sar);
        if (long) {
          next = Math.min(next, l1, l2);
          if (bar.low <= next) { long = false; next = ep; ep = bar.low; af = step; }
          else if (bar.high > ep) { ep = bar.high; af = Math.min(af + step, max); }
        } else {
          next = Math.max(next, h1, h2);
          if (bar.high >= next) { long = true; next = ep; ep = bar.high; af = step; }
          else if (bar.low < ep) { ep = bar.low; af = Math.min(af + step, max); }
        }
        sar = next;
        out = sar;
      }
      h2 = h1; l2 = l1;
      h1 = bar.high; l1 = bar.low; c1 = bar.close;
      return out;
    },
    isWarm: () => bars >= 2,
  };
}

export const parabolicSarBatch = (bars: readonly Ohlcv[], step = 0.02, max = 0.2): (number | null)[] => runBatch(parabolicSar(step, max), bars);
