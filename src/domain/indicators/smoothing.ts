import { finite } from './support.js';

/**
 * Exponential smoothing `y = y' + α(x − y')` seeded with the FIRST value (the Tongdaxin/Tushare
 * convention for EMA(X,N) with α = 2/(N+1) and for the Chinese SMA(X,N,M) with α = M/N).
 */
export class ExpSmoother {
  value = Number.NaN;
  count = 0;
  constructor(readonly alpha: number) {}
  push(x: number): number {
    finite(x);
    this.value = this.count++ === 0 ? x : this.value + this.alpha * (x - this.value);
    return this.value;
  }
}

/** α for EMA(N): 2 / (N + 1). */
export const emaAlpha = (period: number): number => 2 / (period + 1);

/**
 * Wilder's smoothing (RMA): the simple mean of the first `period` values, then
 * `y = (y'(n − 1) + x) / n`. `value` is NaN until `period` values have arrived.
 */
export class WilderSmoother {
  value = Number.NaN;
  count = 0;
  private seedSum = 0;
  constructor(readonly period: number) {}
  push(x: number): number {
    finite(x);
    const n = this.period;
    this.count++;
    if (this.count < n) this.seedSum += x;
    else if (this.count === n) this.value = (this.seedSum + x) / n;
    else this.value = (this.value * (n - 1) + x) / n;
    return this.value;
  }
  isWarm(): boolean { return this.count >= this.period; }
}
