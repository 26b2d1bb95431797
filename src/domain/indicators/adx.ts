import { WilderSmoother } from './smoothing.js';
import { checkInt, finiteBar, runBatch, trueRange } from './support.js';
import type { Indicator, Ohlcv } from './types.js';

export interface AdxValue { readonly pdi: number; readonly mdi: number; readonly adx: number }

/**
 * Wilder's directional movement. +DM = up move when it beats the down move and is positive (else 0),
 * −DM likewise; TR, +DM and −DM are Wilder-smoothed (seeded with their mean), PDI/MDI = 100·DM/TR,
 * DX = 100·|PDI − MDI|/(PDI + MDI) (0 when both are 0), ADX = Wilder average of DX. All three are
 * reported together from bar 2·period (period DX values need period+1 bars each way).
 */
export function adx(period: number): Indicator<Ohlcv, AdxValue> {
  checkInt('period', period);
  const tr = new WilderSmoother(period), pdm = new WilderSmoother(period), mdm = new WilderSmoother(period);
  const adxS = new WilderSmoother(period);
  let prev: Ohlcv | null = null;
  return {
    update(bar) {
      finiteBar(bar);
      const p = prev;
      prev = bar;
      if (p === null) return null;
      const up = bar.high - p.high, down = p.low - bar.low;
      const t = tr.push(trueRange(bar, p.close));
      const plus = pdm.push(up > down && up > 0 ? up : 0);
      const minus = mdm.push(down > up && down > 0 ? down : 0);
      if (!tr.isWarm()) return null;
      const pdi = t === 0 ? 0 : (100 * plus) / t;
      const mdi = t === 0 ? 0 : (100 * minus) / t;
      const dx = pdi + mdi === 0 ? 0 : (100 * Math.abs(pdi - mdi)) / (pdi + mdi);
      const a = adxS.push(dx);
      return adxS.isWarm() ? { pdi, mdi, adx: a } : null;
    },
    isWarm: () => adxS.isWarm(),
  };
}

export const adxBatch = (bars: readonly Ohlcv[], period: number): (AdxValue | null)[] => runBatch(adx(period), bars);
