import { RollingWindow } from './rollingWindow.js';
import { checkInt, finiteBar, runBatch } from './support.js';
import type { Indicator, Ohlcv } from './types.js';

/**
 * Volume ratio (Tongdaxin VR): over the last `period` bars, TH/TL/TQ = volume on up/down/unchanged
 * closes; VR = 100·(2·TH + TQ) / (2·TL + TQ). Reported from bar period+1. 100 when the window has no
 * volume at all; +Infinity when every traded bar rose (the ratio is unbounded).
 */
export function vr(period = 26): Indicator<Ohlcv, number> {
  const th = new RollingWindow(checkInt('period', period)), tl = new RollingWindow(period), tq = new RollingWindow(period);
  let prev: number | null = null;
  return {
    update(bar) {
      finiteBar(bar);
      const p = prev;
      prev = bar.close;
      if (p === null) return null;
      const v = bar.volume;
      th.push(bar.close > p ? v : 0);
      tl.push(bar.close < p ? v : 0);
      tq.push(bar.close === p ? v : 0);
      if (!th.isFull()) return null;
      const num = 2 * th.sum() + tq.sum(), den = 2 * tl.sum() + tq.sum();
      return den === 0 ? (num === 0 ? 100 : Number.POSITIVE_INFINITY) : (100 * num) / den;
    },
    isWarm: () => th.isFull(),
  };
}

export const vrBatch = (bars: readonly Ohlcv[], period = 26): (number | null)[] => runBatch(vr(period), bars);
