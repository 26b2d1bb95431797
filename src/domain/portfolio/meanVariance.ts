import { z } from 'zod';
import { assertCovariance, matVec, type Matrix } from './covariance.js';
import { projectCappedSimplex } from './projection.js';
import type { SolverResult } from './riskParity.js';

/** zod schema of the mean-variance parameters (for YAML). */
export const MeanVarianceParamsSchema = z.object({
  /** λ in max μᵀw − (λ/2)·wᵀΣw; > 0. */
  riskAversion: z.number().positive().finite(),
  /** Largest |weight| of one asset, (0, 1]; default 1. */
  maxWeight: z.number().positive().max(1).default(1),
  /** Most assets with a non-zero weight; default unlimited. */
  maxPositions: z.number().int().min(1).optional(),
  /** True (default): 0 ≤ w ≤ maxWeight. False: −maxWeight ≤ w ≤ maxWeight. Always Σw = 1. */
  longOnly: z.boolean().default(true),
  /** Stopping tolerance on weights (default 1e-12). */
  tol: z.number().positive().default(1e-12),
  /** Iteration cap per solve (default 200 000). */
  maxIter: z.number().int().positive().default(200_000),
}).strict();
export type MeanVarianceParams = z.input<typeof MeanVarianceParamsSchema>;

/**
 * Fully invested mean-variance: maximise μᵀw − (λ/2)·wᵀΣw subject to Σw = 1 and the box
 * (long-only: 0 ≤ wᵢ ≤ maxWeight; else |wᵢ| ≤ maxWeight), μ = expected returns, Σ = covariance,
 * both per the same period.
 *
 * Solver: accelerated projected gradient (FISTA with O'Donoghue–Candès gradient restart) on the
 * convex f(w) = −μᵀw + (λ/2)wᵀΣw, step 1/L with L = λ·max row-sum |Σᵢⱼ| (a Gershgorin bound on
 * the largest eigenvalue, so the step is always safe); each step projects onto the capped simplex
 * (`projectCappedSimplex`). Convergence criterion: the projected-gradient step from the extrapolated
 * point moves no weight by more than `tol` — the gradient mapping, zero exactly at a KKT point.
 *
 * `maxPositions` (a cardinality limit, not convex) is a stated heuristic: solve on all assets; if
 * more than K weights are non-zero (after snapping |w| ≤ 1e-12 to 0), keep the K largest |w| (ties: lower index) and
 * re-solve on those alone. Infeasible caps (min(n, K)·maxWeight < 1) throw.
 */
export function meanVariance(mu: readonly number[], cov: Matrix, params: MeanVarianceParams): SolverResult {
  const p = MeanVarianceParamsSchema.parse(params);
  assertCovariance(cov);
  const n = mu.length;
  if (n === 0 || cov.length !== n) throw new RangeError('meanVariance: μ and Σ must describe the same n ≥ 1 assets');
  const k = Math.min(n, p.maxPositions ?? n);
  if (k * p.maxWeight < 1 - 1e-12) throw new RangeError(`meanVariance: infeasible, ${k} positions × maxWeight ${p.maxWeight} < 1`);
  const all = mu.map((_, i) => i);
  let r = solveOn(all, mu, cov, p);
  let weights = r.weights;
  const held = all.filter((i) => weights[i] !== 0);
  if (held.length > k) {
    const keep = held.sort((a, b) => Math.abs(weights[b]!) - Math.abs(weights[a]!) || a - b).slice(0, k).sort((a, b) => a - b);
    const r2 = solveOn(keep, mu, cov, p);
    r = { weights: r2.weights, iterations: r.iterations + r2.iterations, converged: r.converged && r2.converged };
    weights = r.weights;
  }
  return r;
}

const DUST = 1e-12;
type Parsed = z.output<typeof MeanVarianceParamsSchema>;

/** FISTA on the sub-problem over `idx`; returns full-length weights (zeros outside `idx`). */
function solveOn(idx: readonly number[], muAll: readonly number[], covAll: Matrix, p: Parsed): SolverResult {
  const m = idx.length;
  const mu = idx.map((i) => muAll[i]!);
  const cov = idx.map((i) => idx.map((j) => covAll[i]![j]!));
  const lo = p.longOnly ? 0 : -p.maxWeight, hi = p.maxWeight;
  const L = p.riskAversion * Math.max(...cov.map((row) => row.reduce((a, v) => a + Math.abs(v), 0)));
  const grad = (w: readonly number[]): number[] => matVec(cov, w).map((s, i) => p.riskAversion * s - mu[i]!);
  let w = projectCappedSimplex(new Array<number>(m).fill(1 / m), lo, hi);
  let y = w, t = 1;
  let it = 0, converged = false;
  while (it < p.maxIter) {
    it++;
    const g = grad(y);
    const next = projectCappedSimplex(y.map((v, i) => v - g[i]! / L), lo, hi);
    let move = 0;
    for (let i = 0; i < m; i++) move = Math.max(move, Math.abs(next[i]! - y[i]!));
    if (move <= p.tol) { w = next; converged = true; break; }
    // Restart the momentum when it points against the descent direction (keeps FISTA monotone-ish).
    let dot = 0;
    for (let i = 0; i < m; i++) dot += (y[i]! - next[i]!) * (next[i]! - w[i]!);
    if (dot > 0) t = 1;
    const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    const beta = (t - 1) / tNext;
    y = next.map((v, i) => v + beta * (v - w[i]!));
    w = next;
    t = tNext;
  }
  // Snap dust (|w| ≤ 1e-12, float residue of the projection) to exact 0 so positions count cleanly;
  // the mass moved goes to the weights strictly inside their bounds.
  let dust = 0;
  w = w.map((v) => (Math.abs(v) <= DUST ? ((dust += v), 0) : v));
  const inside = w.map((v, i) => (v !== 0 && v > lo && v < hi ? i : -1)).filter((i) => i >= 0);
  for (const i of inside) w[i] = w[i]! + dust / inside.length;
  const full = new Array<number>(muAll.length).fill(0);
  idx.forEach((i, j) => { full[i] = w[j]!; });
  return { weights: full, iterations: it, converged };
}

/** Objective μᵀw − (λ/2)·wᵀΣw (for tests and reports). */
export function meanVarianceUtility(mu: readonly number[], cov: Matrix, riskAversion: number, w: readonly number[]): number {
  const sw = matVec(cov, w);
  return w.reduce((a, wi, i) => a + wi * mu[i]! - (riskAversion / 2) * wi * sw[i]!, 0);
}
