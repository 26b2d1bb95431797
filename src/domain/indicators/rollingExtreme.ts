import { finite } from './support.js';

/** Rolling max or min of the last `size` values: a monotonic deque, amortised O(1) per value. */
export class RollingExtreme {
  private readonly vals: Float64Array;
  private readonly seqs: Float64Array;
  private head = 0;
  private len = 0;
  private seq = 0;

  constructor(readonly size: number, private readonly kind: 'max' | 'min') {
    this.vals = new Float64Array(size);
    this.seqs = new Float64Array(size);
  }

  push(x: number): void {
    finite(x);
    const s = this.seq++;
    const cap = this.size;
    while (this.len > 0 && this.seqs[this.head]! <= s - cap) { this.head = (this.head + 1) % cap; this.len--; }
    while (this.len > 0) {
      const back = this.vals[(this.head + this.len - 1) % cap]!;
      if (this.kind === 'max' ? back <= x : back >= x) this.len--;
      else break;
    }
    const at = (this.head + this.len) % cap;
    this.vals[at] = x;
    this.seqs[at] = s;
    this.len++;
  }

  isFull(): boolean { return this.seq >= this.size; }
  value(): number { return this.vals[this.head]!; }
}

/** The last `n` bars' highest high and lowest low (HHV/LLV): the window of Donchian, %R, Stochastic and KDJ. */
export class HighLowWindow {
  private readonly hi: RollingExtreme;
  private readonly lo: RollingExtreme;

  constructor(n: number) {
    this.hi = new RollingExtreme(n, 'max');
    this.lo = new RollingExtreme(n, 'min');
  }

  /** Adds a bar; the window's {high, low} once it holds `n` bars, else null. */
  push(high: number, low: number): { high: number; low: number } | null {
    this.hi.push(high);
    this.lo.push(low);
    return this.hi.isFull() ? { high: this.hi.value(), low: this.lo.value() } : null;
  }

  isFull(): boolean {
    return this.hi.isFull();
  }
}

/** Where `close` sits in the window, 100·(C − LLV)/(HHV − LLV); `flat` when the window has no range. */
export const rangePercent = (close: number, w: { high: number; low: number }, flat: number): number =>
  (w.high - w.low === 0 ? flat : (100 * (close - w.low)) / (w.high - w.low));
