import { RollingWindow } from './rollingWindow.js';
import { checkInt, finiteBar, runBatch, typicalPrice } from './support.js';
import type { Indicator, Ohlcv } from './types.js';

/**
 * Commodity channel index: (TP − MA(TP)) / (0.015 × mean absolute deviation of TP around that MA),
 * TP = (H+L+C)/3 — Tongdaxin's AVEDEV, which Tushare's `cci` matches. The mean deviation needs the whole
 * window, so a bar costs O(period): constant in the series length, not in the period (no rolling form
 * of Σ|x − mean| exists when the mean moves). A flat window reads 0.
 */
export function cci(period = 14): Indicator<Ohlcv, number> {
  const w = new RollingWindow(checkInt('period', period));
  return {
    update(bar) {
      const tp = typicalPrice(finiteBar(bar));
      w.push(tp);
      if (!w.isFull()) return null;
      const m = w.mean();
      let dev = 0;
      for (let i = 0; i < period; i++) dev += Math.abs(w.at(i) - m);
      dev /= period;
      return dev === 0 ? 0 : (tp - m) / (0.015 * dev);
    },
    isWarm: () => w.isFull(),
  };
}

export const cciBatch = (bars: readonly Ohlcv[], period = 14): (number | null)[] => runBatch(cci(period), bars);
