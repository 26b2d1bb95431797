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
