import { RollingWindow } from './rollingWindow.js';
import { checkInt, finiteBar, runBatch, typicalPrice } from './support.js';
import type { Indicator, Ohlcv } from './types.js';

/**
 * Rolling volume-weighted average price over `period` bars: Σturnover / Σvolume, a bar's turnover
 * being its `amount` when given (it must then be in price unit × volume unit: CNY with shares, not
 * Tushare's thousand CNY with lots) and typical price × volume otherwise. With no volume in the
 * window it reads the bar's typical price.
 */
export function vwap(period = 20): Indicator<Ohlcv, number> {
  const turnover = new RollingWindow(checkInt('period', period)), vol = new RollingWindow(period);
  return {
    update(bar) {
      finiteBar(bar);
      turnover.push(bar.amount ?? typicalPrice(bar) * bar.volume);
      vol.push(bar.volume);
      if (!vol.isFull()) return null;
      const v = vol.sum();
      return v > 0 ? turnover.sum() / v : typicalPrice(bar);
    },
    isWarm: () => vol.isFull(),
  };
}

export const vwapBatch = (bars: readonly Ohlcv[], period = 20): (number | null)[] => runBatch(vwap(period), bars);
