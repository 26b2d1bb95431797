import type { Indicator, Ohlcv } from './types.js';

/** Throws unless `v` is an integer ≥ `min` (parameters are validated once, at construction). */
export function checkInt(name: string, v: number, min = 1): number {
  if (!Number.isInteger(v) || v < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${v}`);
  return v;
}

/** Throws unless `v` is a finite number > 0 (or ≥ 0 when `allowZero`). */
export function checkPositive(name: string, v: number, allowZero = false): number {
  if (!Number.isFinite(v) || v < 0 || (v === 0 && !allowZero)) throw new RangeError(`${name} must be a finite number ${allowZero ? '>=' : '>'} 0, got ${v}`);
  return v;
}

/** Rejects a non-finite input before it reaches any state: bad data never corrupts an indicator. */
export function finite(x: number): number {
  if (!Number.isFinite(x)) throw new RangeError(`indicator input must be a finite number, got ${x}`);
  return x;
}

export function finiteBar(b: Ohlcv): Ohlcv {
  finite(b.open); finite(b.high); finite(b.low); finite(b.close); finite(b.volume);
  if (b.amount !== undefined) finite(b.amount);
  return b;
}

/**
 * The batch form of every indicator: the incremental form run over the array. Batch and incremental
 * therefore perform the same float operations in the same order and agree bit for bit.
 */
export function runBatch<I, O>(ind: Indicator<I, O>, xs: readonly I[]): (O | null)[] {
  const out: (O | null)[] = new Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = ind.update(xs[i]!);
  return out;
}

/** Typical price (H + L + C) / 3. */
export const typicalPrice = (b: Ohlcv): number => (b.high + b.low + b.close) / 3;

/** True range against the previous close (the bar's own range when there is none). */
export const trueRange = (b: Ohlcv, prevClose: number | null): number =>
  prevClose === null ? b.high - b.low : Math.max(b.high - b.low, Math.abs(b.high - prevClose), Math.abs(b.low - prevClose));
