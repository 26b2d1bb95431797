import { describe, expect, it } from 'vitest';
import type { DayBars } from '../../../src/domain/bars.js';
import { smaCrossover } from '../../../src/domain/strategy/smaCrossover.js';
import type { PortfolioView } from '../../../src/domain/views/portfolioView.js';

/** One day of bars with only closes mattering; symbols given in ascending order. */
function bars(day: string, closes: Readonly<Record<string, number>>): DayBars {
  const symbols = Object.keys(closes).sort();
  const c = symbols.map((s) => closes[s]!);
  return {
    day, symbols, open: c, high: c, low: c, close: c, volume: c.map(() => 1_000), amountFen: c.map(() => 0),
    preClose: c.map(() => null), isSt: c.map(() => 0 as const),
  };
}

function holding(held: readonly string[]): PortfolioView {
  return {
    day: null, cashFen: 0, positionCount: held.length, equityFen: () => 0,
    position: (s) => (held.includes(s) ? { symbol: s, qty: 100, sellable: 100, costFen: 0, lastPrice: 0 } : undefined),
  };
}

const A = '600000.SH';
const B = '000001.SZ';
/**
 * Closes in CNY (× 1000 below), fast = 2, slow = 4:
 * day 4: fast (11+10)/2 = 10.5 < slow (13+12+11+10)/4 = 11.5 (warm, below)
 * day 5: fast 10.0 < slow 10.75
 * day 6: fast 11.0 > slow (11+10+10+12)/4 = 10.75 → golden cross
 * day 7: fast 12.5 > slow 11.25 (still above, no new signal)
 * day 8: fast 10.5 < slow (10+12+13+8)/4 = 10.75 → death cross
 */
const SERIES = [13, 12, 11, 10, 10, 12, 13, 8];
const day = (i: number): string => `2024-01-${String(i + 2).padStart(2, '0')}`;

describe('smaCrossover(2, 4)', () => {
  const strat = smaCrossover({ fast: 2, slow: 4 });

  /** Feeds the series; returns the crossings seen after each day. */
  function run(series: readonly number[], sym = A) {
    let s = strat.init();
    const seen: Array<Map<string, { dir: 1 | -1; gap: number }>> = [];
    series.forEach((c, i) => { s = strat.onBars(s, bars(day(i), { [sym]: c * 1000 })); seen.push(s.crossings); });
    return { state: s, seen };
  }

  it('sees a golden cross on day 6 and a death cross on day 8, nothing else', () => {
    const { seen } = run(SERIES);
    const dirs = seen.map((m) => m.get(A)?.dir ?? 0);
    expect(dirs).toEqual([0, 0, 0, 0, 0, 1, 0, -1]);
  });

  it('strength is the relative gap × 20: day 6 is |(22000·4)/(43000·2) − 1| × 20 = 0.4651', () => {
    let s = strat.init();
    SERIES.slice(0, 6).forEach((c, i) => { s = strat.onBars(s, bars(day(i), { [A]: c * 1000 })); });
    const sig = strat.signals(s, bars(day(5), { [A]: 12_000 }), holding([]));
    expect(sig).toEqual([{ symbol: A, side: 'buy', strength: 0.4651, reason: 'SMA2 crossed above SMA4' }]);
  });

  it('a golden cross is a buy only when not held; a death cross a sell only when held', () => {
    let s = strat.init();
    const out: Array<{ day: number; held: string; none: string }> = [];
    SERIES.forEach((c, i) => {
      const b = bars(day(i), { [A]: c * 1000 });
      s = strat.onBars(s, b);
      const whenHeld = strat.signals(s, b, holding([A])).map((x) => x.side).join(',');
      const whenFlat = strat.signals(s, b, holding([])).map((x) => x.side).join(',');
      if (whenHeld || whenFlat) out.push({ day: i + 1, held: whenHeld, none: whenFlat });
    });
    expect(out).toEqual([{ day: 6, held: '', none: 'buy' }, { day: 8, held: 'sell', none: '' }]);
  });

  it('no crossing before warm-up, nor on the first warm day even when fast is already above slow', () => {
    const { seen } = run([10, 11, 12, 13, 14, 15]); // rising: fast > slow from day 4 on
    expect(seen.every((m) => m.size === 0)).toBe(true);
  });

  it('a fall into equality counts as a death cross (fast no longer above slow)', () => {
    // day 8 at 9: fast (13+9)/2 = 11 = slow (10+12+13+9)/4.
    const { seen } = run([...SERIES.slice(0, 7), 9]);
    expect(seen[7]!.get(A)?.dir).toBe(-1);
  });

  it('a suspended day (symbol absent) does not advance that symbol\'s window', () => {
    let s = strat.init();
    const dirsA: number[] = [], dirsB: number[] = [];
    // B is suspended on calendar day index 4 and resumes with the same closes one day late.
    const bClose = [13, 12, 11, 10, null, 10, 12, 13, 8];
    for (let i = 0; i < bClose.length; i++) {
      const closes: Record<string, number> = {};
      if (i < SERIES.length) closes[A] = SERIES[i]! * 1000;
      if (bClose[i] !== null) closes[B] = bClose[i]! * 1000;
      s = strat.onBars(s, bars(day(i), closes));
      dirsA.push(s.crossings.get(A)?.dir ?? 0);
      dirsB.push(s.crossings.get(B)?.dir ?? 0);
    }
    expect(dirsA).toEqual([0, 0, 0, 0, 0, 1, 0, -1, 0]);
    expect(dirsB).toEqual([0, 0, 0, 0, 0, 0, 1, 0, -1]);
  });

  it('signals come out in symbol order', () => {
    let s = strat.init();
    SERIES.slice(0, 6).forEach((c, i) => { s = strat.onBars(s, bars(day(i), { [A]: c * 1000, [B]: c * 1000 })); });
    const sig = strat.signals(s, bars(day(5), {}), holding([]));
    expect(sig.map((x) => x.symbol)).toEqual([B, A]);
  });

  it('clone is independent of the original', () => {
    let s = strat.init();
    SERIES.slice(0, 5).forEach((c, i) => { s = strat.onBars(s, bars(day(i), { [A]: c * 1000 })); });
    const copy = strat.clone(s);
    expect(copy.crossings).not.toBe(s.crossings);
    // Advance the original through the rest (it mutates in place) …
    const origDirs = SERIES.slice(5).map((c, k) => { s = strat.onBars(s, bars(day(5 + k), { [A]: c * 1000 })); return s.crossings.get(A)?.dir ?? 0; });
    expect(origDirs).toEqual([1, 0, -1]);
    // … the copy still stands at day 5 and replays the same future to the same crossings.
    let c2 = copy;
    const copyDirs = SERIES.slice(5).map((c, k) => { c2 = strat.onBars(c2, bars(day(5 + k), { [A]: c * 1000 })); return c2.crossings.get(A)?.dir ?? 0; });
    expect(copyDirs).toEqual([1, 0, -1]);
  });

  it('clone of a state does not see later changes to it (ring buffer copied)', () => {
    let s = strat.init();
    SERIES.slice(0, 5).forEach((c, i) => { s = strat.onBars(s, bars(day(i), { [A]: c * 1000 })); });
    const copy = strat.clone(s);
    const snapshot = Array.from(copy.bySymbol.get(A)!.ring);
    s = strat.onBars(s, bars(day(5), { [A]: 99_000 }));
    expect(Array.from(copy.bySymbol.get(A)!.ring)).toEqual(snapshot);
    expect(copy.bySymbol.get(A)!.count).toBe(5);
  });

  it('clones many symbols into rings that do not share values (one buffer behind them)', () => {
    const syms = [A, B, '600519.SH', '830799.BJ'];
    const close = (i: number, k: number) => (10 + ((i * 7 + k * 3) % 11)) * 1000;
    let s = strat.init();
    for (let i = 0; i < 6; i++) s = strat.onBars(s, bars(day(i), Object.fromEntries(syms.map((x, k) => [x, close(i, k)]))));
    let copy = strat.clone(s);
    const shape = (st: typeof s) => [...st.bySymbol].map(([k, v]) => [k, Array.from(v.ring), v.pos, v.count, v.sumFast, v.sumSlow, v.rel, v.warm]);
    expect(shape(copy)).toEqual(shape(s));
    for (let i = 6; i < 12; i++) {
      const b = bars(day(i), Object.fromEntries(syms.map((x, k) => [x, close(i, k)])));
      s = strat.onBars(s, b);
      copy = strat.onBars(copy, b);
      expect(shape(copy)).toEqual(shape(s));
      expect([...copy.crossings]).toEqual([...s.crossings]);
    }
  });

  it.each([
    [{ fast: 4, slow: 4 }], [{ fast: 5, slow: 4 }], [{ fast: 0, slow: 4 }], [{ fast: 1.5, slow: 4 }],
  ])('refuses bad windows %j', (p) => {
    expect(() => smaCrossover(p)).toThrow(RangeError);
  });
});
