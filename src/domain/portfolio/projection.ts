/**
 * Euclidean projection onto the box-capped simplex { w : Σw = 1, lo ≤ wᵢ ≤ hi }.
 *
 * The projection is wᵢ = clip(vᵢ − τ, lo, hi) for the unique τ with Σw = 1 (Σ clip(vᵢ − τ) is
 * continuous and non-increasing in τ). τ is bracketed by [min v − hi, max v − lo] and found by
 * bisection to machine precision; the last ulp-sized residual is then spread over the coordinates
 * strictly inside their bounds, so the result sums to 1 within a few ulps.
 * Throws when the set is empty (n·hi < 1 or n·lo > 1) — a caller's broken invariant.
 */
export function projectCappedSimplex(v: readonly number[], lo: number, hi: number): number[] {
  const n = v.length;
  if (n === 0) throw new RangeError('projectCappedSimplex: no coordinates');
  if (!(lo <= hi) || n * hi < 1 - 1e-12 || n * lo > 1 + 1e-12) {
    throw new RangeError(`projectCappedSimplex: empty set (n=${n}, lo=${lo}, hi=${hi})`);
  }
  const sumAt = (tau: number): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.min(hi, Math.max(lo, v[i]! - tau));
    return s;
  };
  let a = Math.min(...v) - hi; // sum at a is n·hi ≥ 1
  let b = Math.max(...v) - lo; // sum at b is n·lo ≤ 1
  for (let k = 0; k < 200 && b - a > 0; k++) {
    const m = (a + b) / 2;
    if (m === a || m === b) break;
    if (sumAt(m) >= 1) a = m;
    else b = m;
  }
  const w = v.map((x) => Math.min(hi, Math.max(lo, x - a)));
  const free = w.map((x, i) => (x > lo && x < hi ? i : -1)).filter((i) => i >= 0);
  if (free.length > 0) {
    const r = (1 - w.reduce((s, x) => s + x, 0)) / free.length;
    for (const i of free) w[i] = Math.min(hi, Math.max(lo, w[i]! + r));
  }
  return w;
}
