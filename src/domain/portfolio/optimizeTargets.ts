import { z } from 'zod';
import { covariance } from './covariance.js';
import { inverseVolatility } from './equalWeight.js';
import { meanVariance } from './meanVariance.js';
import { riskParity } from './riskParity.js';

export const OptimizerSchema = z.enum(['equal', 'inverse-vol', 'risk-parity', 'mean-variance']);
export type Optimizer = z.infer<typeof OptimizerSchema>;

export interface OptimizeOptions {
  readonly optimizer: Optimizer;
  /** Mean-variance only: λ in μᵀw − (λ/2)·wᵀΣw. */
  readonly riskAversion: number;
  /** Mean-variance only: cap per name as a fraction of the invested budget. */
  readonly maxWeight: number;
  /** Fewest common daily returns needed; with fewer, the strategy's own weights stand. */
  readonly minObservations: number;
  /** Shrinkage of the sample covariance toward its diagonal, [0, 1]. */
  readonly shrinkage: number;
}

/**
 * Re-weights the names a target-weight strategy picked, keeping its total invested weight: inverse
 * volatility, risk parity (equal risk contributions) or long-only mean-variance with a cap, on the
 * covariance of the names' most recent common daily returns (shrunk toward the diagonal). `equal`
 * leaves the strategy's weights as they are; so does too short a history (a new listing).
 */
export function optimizeTargets(
  targets: ReadonlyMap<string, number>, returnsOf: (symbol: string) => readonly number[], o: OptimizeOptions,
): ReadonlyMap<string, number> {
  const names = [...targets.keys()].filter((s) => targets.get(s)! > 0).sort();
  if (o.optimizer === 'equal' || names.length < 2) return targets;
  const budget = names.reduce((a, s) => a + targets.get(s)!, 0);
  const series = names.map(returnsOf);
  const n = Math.min(...series.map((r) => r.length));
  if (n < o.minObservations) return targets;
  const rows = series.map((r) => r.slice(r.length - n));
  const cov = covariance(rows, { shrinkage: o.shrinkage });
  let w: readonly number[];
  if (o.optimizer === 'inverse-vol') w = inverseVolatility(cov.map((row, i) => Math.sqrt(row[i]!)));
  else if (o.optimizer === 'risk-parity') w = riskParity(cov).weights;
  else {
    const mu = rows.map((r) => r.reduce((a, b) => a + b, 0) / n);
    const cap = Math.max(o.maxWeight, 1 / names.length); // a cap below 1/n has no feasible portfolio
    w = meanVariance(mu, cov, { riskAversion: o.riskAversion, maxWeight: cap, longOnly: true }).weights;
  }
  const out = new Map<string, number>();
  names.forEach((s, i) => { const x = w[i]! * budget; if (x > 1e-12) out.set(s, x); });
  return out;
}
