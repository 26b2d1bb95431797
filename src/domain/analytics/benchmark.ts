import type { DayBars } from '../bars.js';

export type BenchmarkBars = Pick<DayBars, 'day' | 'symbols' | 'close' | 'preClose'>;

export interface BenchmarkPoint {
  readonly day: string;
  /** Equal-weighted mean of the day's close-to-close returns (0 when no symbol had a reference price). */
  readonly r: number;
  /** Growth of 1 from before the first day: Π(1 + r). */
  readonly index: number;
  /** How many symbols the day's mean is over. */
  readonly constituents: number;
}

/**
 * The run's own market as a benchmark: each day, the equal-weighted mean of every traded symbol's
 * close / reference − 1, rebalanced daily. The reference is the exchange's `preClose` when the
 * data gives it — on an ex-dividend day that is the close minus the dividend, so the index does not
 * book the mechanical ex-day drop as a loss (a total-return index, dividends reinvested in the
 * symbol) and a symbol back from suspension is measured against its last close. Without preClose
 * the reference is the symbol's previous close in these bars (a price index on ex-days); a symbol
 * with neither (its first bar, no preClose) is left out that day.
 */
export function equalWeightBenchmark(days: readonly BenchmarkBars[]): BenchmarkPoint[] {
  const b = new BenchmarkFold();
  for (const d of days) b.add(d);
  return b.points;
}

/** The same benchmark a day at a time, keeping only each symbol's last close (a run's bars are not held for it). */
export class BenchmarkFold {
  readonly points: BenchmarkPoint[] = [];
  private readonly lastClose = new Map<string, number>();
  private index = 1;

  add(d: BenchmarkBars): void {
    let sum = 0, n = 0;
    for (let i = 0; i < d.symbols.length; i++) {
      const s = d.symbols[i]!;
      const close = d.close[i]!;
      const ref = d.preClose[i] ?? this.lastClose.get(s);
      if (ref !== undefined && ref > 0) { sum += close / ref - 1; n++; }
      this.lastClose.set(s, close);
    }
    const r = n ? sum / n : 0;
    this.index *= 1 + r;
    this.points.push({ day: d.day, r, index: this.index, constituents: n });
  }
}
