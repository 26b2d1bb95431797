/** 1/n to each of `n` assets (n ≥ 1). */
export function equalWeight(n: number): number[] {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`equalWeight needs n ≥ 1 (got ${n})`);
  return Array.from({ length: n }, () => 1 / n);
}

/**
 * Weights proportional to 1/σᵢ (σ = volatility, any consistent unit), summing to 1. A volatility
 * that is not finite and positive is a caller error (a zero-variance series has no risk estimate).
 */
export function inverseVolatility(vols: readonly number[]): number[] {
  if (vols.length === 0) throw new RangeError('inverseVolatility: no assets');
  for (const s of vols) if (!(Number.isFinite(s) && s > 0)) throw new RangeError(`inverseVolatility needs σ > 0 (got ${s})`);
  const inv = vols.map((s) => 1 / s);
  const total = inv.reduce((a, x) => a + x, 0);
  return inv.map((x) => x / total);
}
