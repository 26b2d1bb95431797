import { checkPositive, finiteBar, runBatch } from './support.js';
import type { Indicator, Ohlcv } from './types.js';

/**
 * Wilder's parabolic SAR exactly as TA-Lib's `SAR(high, low, acceleration, maximum)` computes it
 * (ta_SAR.c), so our values can be checked against any tool built on TA-Lib at 1e-9:
 * - Bar 1 only seeds; the first value is for bar 2. The first trend comes from the first pair's
 *   directional movement: short when −DM > 0 and +DM < −DM (the low fell further than the high rose),
 *   else long (a tie is long). Long seeds SAR = L1, EP = H2; short seeds SAR = H1, EP = L2.
 * - Each bar: if its low (long) / high (short) touches the SAR, the trend flips and the bar's SAR is the
 *   old EP pushed outside this bar and the previous one (≥ both highs when turning short, ≤ both
 *   lows when turning long); then AF = step, EP = this bar's low (high). Otherwise the bar's SAR
 *   stands and a new extreme moves EP and raises AF by `step`, capped at `max`.
 * - The next bar's SAR = SAR + AF·(EP − SAR), kept at or below this bar's and the previous bar's lows
 *   (long) / at or above their highs (short). For bar 2, "the previous bar" is bar 2 itself: TA-Lib
 *   does not use bar 1's range in that clamp.
 * - A `step` above `max` is lowered to `max`, as TA-Lib does.
 * Output: the SAR that applies to the bar (null for the first bar). Prices in any unit; AF unitless.
 */
export function parabolicSar(step = 0.02, max = 0.2): Indicator<Ohlcv, number> {
  checkPositive('step', step);
  checkPositive('max', max);
  const accel = Math.min(step, max);
  let bars = 0;
  let long = true, sar = 0, ep = 0, af = accel;
  let prevHigh = 0, prevLow = 0; // the previous bar's range

  /** One bar with the SAR that applies to it already in `sar`; returns that bar's output. */
  function advance(high: number, low: number): number {
    let out: number;
    if (long) {
      if (low <= sar) {
        long = false;
        out = Math.max(ep, prevHigh, high);
        af = accel;
        ep = low;
        sar = Math.max(out + af * (ep - out), prevHigh, high);
      } else {
        out = sar;
        if (high > ep) { ep = high; af = Math.min(af + accel, max); }
        sar = Math.min(sar + af * (ep - sar), prevLow, low);
      }
    } else if (high >= sar) {
      long = true;
      out = Math.min(ep, prevLow, low);
      af = accel;
      ep = high;
      sar = Math.min(out + af * (ep - out), prevLow, low);
    } else {
      out = sar;
      if (low < ep) { ep = low; af = Math.min(af + accel, max); }
      sar = Math.max(sar + af * (ep - sar), prevHigh, high);
    }
    return out;
  }

  return {
    update(bar) {
      finiteBar(bar);
      bars++;
      let out: number | null = null;
      if (bars === 2) {
        const minusDm = prevLow - bar.low, plusDm = bar.high - prevHigh;
        long = !(minusDm > 0 && plusDm < minusDm);
        sar = long ? prevLow : prevHigh;
        ep = long ? bar.high : bar.low;
        af = accel;
        prevHigh = bar.high; prevLow = bar.low; // TA-Lib's first step clamps to bar 2 alone
      }
      if (bars >= 2) out = advance(bar.high, bar.low);
      prevHigh = bar.high; prevLow = bar.low;
      return out;
    },
    isWarm: () => bars >= 2,
  };
}

export const parabolicSarBatch = (bars: readonly Ohlcv[], step = 0.02, max = 0.2): (number | null)[] => runBatch(parabolicSar(step, max), bars);
