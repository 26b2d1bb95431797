import { assertCovariance, type Matrix } from './covariance.js';

/** Result of an iterative optimizer. */
export interface SolverResult {
  readonly weights: number[];
  readonly iterations: number;
  /** False when the iteration cap was hit before the stopping rule held. */
  readonly converged: boolean;
}

export interface RiskParityOptions {
  /** Stop when no weight moves by more than `tol` in a full sweep (default 1e-12). */
  readonly tol?: number;
  /** Sweep cap (default 10 000). */
  readonly maxIter?: number;
}

/**
 * Equal risk contribution (long-only, fully invested): find w > 0 with wᵢ·(Σw)ᵢ equal for all i.
 *
 * Solver: cyclical coordinate descent on the strictly convex f(x) = ½xᵀΣx − (1/n)·Σ ln xᵢ
 * (Griveau-Billion, Richard & Roncalli 2013), whose minimiser has xᵢ(Σx)ᵢ = 1/n for every i; each
 * coordinate step is the positive root of Σᵢᵢxᵢ² + cᵢxᵢ − 1/n = 0 with cᵢ = Σ_{j≠i} Σᵢⱼxⱼ. The
 * weights are x / Σx. Converges for any positive-definite Σ; stopping rule: the largest change of
 * a normalised weight in one sweep is ≤ `tol`.
 */
export function riskParity(cov: Matrix, opts: RiskParityOptions = {}): SolverResult {
  assertCovariance(cov);
  const n = cov.length;
  if (n === 0) throw new RangeError('riskParity: no assets');
  const tol = opts.tol ?? 1e-12, maxIter = opts.maxIter ?? 10_000;
  const b = 1 / n;
  const x = cov.map((row, i) => 1 / Math.sqrt(row[i]!)); // inverse-vol start
  let prev = normalise(x);
  for (let it = 1; it <= maxIter; it++) {
    for (let i = 0; i < n; i++) {
      const row = cov[i]!;
      let c = 0;
      for (let j = 0; j < n; j++) if (j !== i) c += row[j]! * x[j]!;
      const a = row[i]!;
      x[i] = (-c + Math.sqrt(c * c + 4 * a * b)) / (2 * a);
    }
    const w = normalise(x);
    let move = 0;
    for (let i = 0; i < n; i++) move = Math.max(move, Math.abs(w[i]! - prev[i]!));
    prev = w;
    if (move <= tol) return { weights: w, iterations: it, converged: true };
  }
  return { weights: prev, iterations: maxIter, converged: false };
}

/** Risk contribution shares wᵢ(Σw)ᵢ / wᵀΣw (sum to 1). */
export function riskContributions(cov: Matrix, w: readonly number[]): number[] {
  const sw = cov.map((row) => row.reduce((a, v, j) => a + v * w[j]!, 0));
  const total = w.reduce((a, wi, i) => a + wi * sw[i]!, 0);
  return w.map((wi, i) => (wi * sw[i]!) / total);
}

function normalise(x: readonly number[]): number[] {
  const s = x.reduce((a, v) => a + v, 0);
  return x.map((v) => v / s);
}
