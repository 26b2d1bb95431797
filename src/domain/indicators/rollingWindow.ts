import { finite } from './support.js';

/**
 * The last `size` values with running sum and sum of squared deviations (sliding Welford).
 * Updates are O(1); every `size` evictions the sums are recomputed from the buffer (two-pass, amortised
 * O(1)), so float drift cannot build up over a long series, and also at once when an update would
 * cancel away most of the spread's digits (an outlier leaving a near-flat window), so a flat window
 * reads variance 0 rather than the rounding residue of the values that left it.
 */
export class RollingWindow {
  private readonly buf: Float64Array;
  private head = 0;
  private n = 0;
  private total = 0;
  private m2 = 0;
  private evictions = 0;

  constructor(readonly size: number) {
    this.buf = new Float64Array(size);
  }

  /** Adds `x`; returns the value it pushed out, or undefined while the window fills. */
  push(x: number): number | undefined {
    finite(x);
    const oldMean = this.n > 0 ? this.total / this.n : 0;
    if (this.n < this.size) {
      this.buf[(this.head + this.n) % this.size] = x;
      this.n++;
      this.total += x;
      this.m2 += (x - oldMean) * (x - this.total / this.n);
      return undefined;
    }
    const y = this.buf[this.head]!;
    this.buf[this.head] = x;
    this.head = (this.head + 1) % this.size;
    if (++this.evictions >= this.size) {
      this.recompute();
      return y;
    }
    const oldTotal = this.total;
    this.total += x - y;
    const delta = (x - y) * (x - this.total / this.n + y - oldMean);
    const m2 = this.m2 + delta;
    // Cancellation: when a value much farther out than the rest leaves, the new spread (or sum) can be
    // millions of times smaller than the terms that produced it; recompute rather than keep noise
    // (e.g. a window of zero money flows must sum to exactly 0).
    if (m2 < 1e-6 * (Math.abs(this.m2) + Math.abs(delta)) || Math.abs(this.total) < 1e-9 * (Math.abs(oldTotal) + Math.abs(y))) this.recompute();
    else this.m2 = m2;
    return y;
  }

  private recompute(): void {
    this.evictions = 0;
    let s = 0;
    for (let i = 0; i < this.n; i++) s += this.buf[i]!;
    const mean = s / this.n;
    let q = 0;
    for (let i = 0; i < this.n; i++) q += (this.buf[i]! - mean) ** 2;
    this.total = s;
    this.m2 = q;
  }

  count(): number { return this.n; }
  isFull(): boolean { return this.n === this.size; }
  sum(): number { return this.total; }
  mean(): number { return this.total / this.n; }
  /**
   * Population variance (divide by n). A spread below 1e-12 of the mean's magnitude is below what the
   * float sums resolve, so it reads as exactly 0 (a flat window stays flat).
   */
  variance(): number {
    const v = Math.max(0, this.m2) / this.n, m = this.total / this.n;
    return v <= 1e-24 * m * m ? 0 : v;
  }
  /** Population standard deviation (divide by n). */
  std(): number { return Math.sqrt(this.variance()); }
  /** Element `i`, 0 = oldest. */
  at(i: number): number { return this.buf[(this.head + i) % this.size]!; }
}
