import { describe, expect, it } from 'vitest';
import { MeanReversionParamsSchema, meanReversion, type MeanReversionParams } from '../../../src/domain/strategy/meanReversion.js';
import { closesOn, dayN, holding } from './fixtures.js';

const A = '600000.SH';

function lastSignals(p: MeanReversionParams, series: readonly number[], held: readonly string[]) {
  const strat = meanReversion(p);
  let st = strat.init();
  let out: ReturnType<typeof strat.signals> = [];
  series.forEach((c, i) => {
    const bars = closesOn(dayN(i), { [A]: c });
    st = strat.onBars(st, bars);
    out = strat.signals(st, bars, holding(held));
  });
  return { out, st };
}

describe('meanReversion', () => {
  const p = { period: 3, k: 1, rsiPeriod: 2, oversold: 30, overbought: 70 };

  /**
   * Closes 10, 10, 10, 7. RSI(2) seeds on changes (0, 0) → 50; then change −3: gain (0·1 + 0)/2 = 0,
   * loss (0·1 + 3)/2 = 1.5 → RSI 0. Bollinger(3, 1) on (10, 10, 7): mid 9, σ = √2, lower 7.586.
   * 7 < 7.586 and 0 < 30 → buy; strength (7.586 − 7)/(9 − 7.586) = 0.4142.
   */
  it('buys a dip below the lower band with RSI oversold', () => {
    const { out, st } = lastSignals(p, [10, 10, 10, 7], []);
    expect(st.today.get(A)!.rsi).toBe(0);
    expect(out).toEqual([expect.objectContaining({ symbol: A, side: 'buy', strength: 0.4142 })]);
  });

  /**
   * Closes 10, 12, 14, 11 with k = 0.5: window (12, 14, 11) mid 12.333, σ = 1.247, lower 11.710 → the
   * close 11 is below. RSI(2): seed (+2, +2) → gain 2, loss 0; change −3 → gain 1, loss 1.5 → RSI 40.
   * oversold 30: no buy (RSI too high); oversold 45: buy.
   */
  it('needs BOTH conditions: below the band but RSI 40 is not oversold at 30', () => {
    const q = { ...p, k: 0.5 };
    expect(lastSignals(q, [10, 12, 14, 11], []).out).toEqual([]);
    expect(lastSignals({ ...q, oversold: 45 }, [10, 12, 14, 11], []).out.map((s) => s.side)).toEqual(['buy']);
    expect(lastSignals(q, [10, 12, 14, 11], []).st.today.get(A)!.rsi).toBeCloseTo(40, 12);
  });

  /** Closes 10, 10, 10, 7, 10: mid of (10, 7, 10) = 9 < 10 → a holder sells ("close above mid"). */
  it('sells a holding once the close is back above the mid', () => {
    const { out } = lastSignals(p, [10, 10, 10, 7, 10], [A]);
    expect(out).toEqual([expect.objectContaining({ side: 'sell', strength: 1, reason: 'close above Bollinger mid (SMA3)' })]);
    expect(lastSignals(p, [10, 10, 10, 7, 10], []).out).toEqual([]); // nothing to sell, no dip to buy
  });

  /** period 3, RSI(1): closes 30, 10, 11 → mid 17 > 11, but RSI(1) after an up-move is 100 > 70 → sell. */
  it('sells on RSI overbought even below the mid', () => {
    const { out } = lastSignals({ ...p, rsiPeriod: 1 }, [30, 10, 11], [A]);
    expect(out).toEqual([expect.objectContaining({ side: 'sell', reason: 'RSI1 100.0 > 70' })]);
  });

  it('no readings until warm (period closes and rsiPeriod + 1 closes)', () => {
    expect(lastSignals({ ...p, period: 5 }, [10, 10, 10, 7], []).st.today.size).toBe(0);
  });

  it('parameters validated by the schema', () => {
    expect(MeanReversionParamsSchema.safeParse({ ...p, overbought: 20 }).success).toBe(false);
    expect(() => meanReversion({ ...p, period: 1 })).toThrow(RangeError);
  });
});
