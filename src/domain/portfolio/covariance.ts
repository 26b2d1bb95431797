/** A square symmetric matrix, row-major, as plain arrays (assets × assets). */
export type Matrix = readonly (readonly number[])[];

/** Simple daily returns cₜ/cₜ₋₁ − 1 of a close series (any price unit; every close must be > 0). */
export function dailyReturns(closes: readonly number[]): number[] {
  const out: number[] = [];
  for (let t = 1; t < closes.length; t++) {
    const prev = closes[t - 1]!;
    if (!(prev > 0)) throw new RangeError(`dailyReturns: non-positive close ${prev} at ${t - 1}`);
    out.push(closes[t]! / prev - 1);
  }
  return out;
}

export interface CovarianceOptions {
  /**
   * Shrinkage intensity δ ∈ [0, 1] toward the diagonal: Σ = (1 − δ)·S + δ·diag(S). δ = 0 (default)
   * is the sample covariance; δ = 1 drops every correlation. A fixed δ, not an estimated one.
   */
  readonly shrinkage?: number;
}

/**
 * Covariance of daily returns, `returns[asset][t]` (every asset over the same T ≥ 2 days), with the
 * unbiased T − 1 denominator, optionally shrunk toward its diagonal.
 */
export function covariance(returns: readonly (readonly number[])[], opts: CovarianceOptions = {}): number[][] {
  const n = returns.length;
  const delta = opts.shrinkage ?? 0;
  if (!(delta >= 0 && delta <= 1)) throw new RangeError(`covariance: shrinkage must be in [0, 1] (got ${delta})`);
  if (n === 0) return [];
  const T = returns[0]!.length;
  if (T < 2 || returns.some((r) => r.length !== T)) throw new RangeError('covariance: every asset needs the same T ≥ 2 returns');
  const means = returns.map((r) => r.reduce((a, x) => a + x, 0) / T);
  const out: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      const ri = returns[i]!, rj = returns[j]!, mi = means[i]!, mj = means[j]!;
      for (let t = 0; t < T; t++) s += (ri[t]! - mi) * (rj[t]! - mj);
      const c = (s / (T - 1)) * (i === j ? 1 : 1 - delta);
      out[i]![j] = c;
      out[j]![i] = c;
    }
  }
  return out;
}

/** Σ·w. */
export function matVec(m: Matrix, w: readonly number[]): number[] {
  return m.map((row) => row.reduce((a, x, j) => a + x * w[j]!, 0));
}

/** Checks a covariance matrix is square, finite and symmetric with a positive diagonal. */
export function assertCovariance(m: Matrix): void {
  const n = m.length;
  for (let i = 0; i < n; i++) {
    const row = m[i]!;
    if (row.length !== n) throw new RangeError('covariance matrix must be square');
    if (!(row[i]! > 0)) throw new RangeError(`covariance matrix: variance of asset ${i} must be > 0`);
    for (let j = 0; j < n; j++) {
      if (!Number.isFinite(row[j]!) || Math.abs(row[j]! - m[j]![i]!) > 1e-12 * (Math.abs(row[j]!) + 1)) {
        throw new RangeError('covariance matrix must be finite and symmetric');
      }
    }
  }
}
