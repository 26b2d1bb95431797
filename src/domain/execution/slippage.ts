import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { z } from 'zod';
import type { Side } from '../events/primitives.js';
import { mulDivRound } from '../money.js';

/**
 * How far a simulated fill moves against the trader from its base price (open, VWAP, close or the
 * limit). Data, so a run config can pick one; `parseSlippage` reads the CLI spelling.
 * - `none`: the base price.
 * - `bps`: price × (1 ± bps / 10 000); `bps` is 0…10 000 with at most two decimals.
 * - `ticks`: price ± ticks × tick; `ticks` is a whole number 0…1 000 000.
 * - `sqrtImpact`: price × (1 ± k × σ_daily × √(qty / barVolume)), see `impactFraction`.
 */
export type SlippageModel =
  | { readonly kind: 'none' }
  | { readonly kind: 'bps'; readonly bps: number }
  | { readonly kind: 'ticks'; readonly ticks: number }
  | { readonly kind: 'sqrtImpact'; readonly k: number; readonly dailyVolatility: number };

export interface SlippageError {
  readonly code: 'SLIPPAGE_INVALID';
  /** One sentence for the user. */
  readonly message: string;
}

const hasAtMostTwoDecimals = (x: number): boolean => Math.abs(Math.round(x * 100) - x * 100) < 1e-6;

/** zod schema for a slippage model in a config file (same bounds as `slippageProblem`). */
export const SlippageModelSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z.object({ kind: z.literal('bps'), bps: z.number().min(0).max(10_000).refine(hasAtMostTwoDecimals, 'bps takes at most two decimals') }).strict(),
  z.object({ kind: z.literal('ticks'), ticks: z.number().int().min(0).max(1_000_000) }).strict(),
  z.object({ kind: z.literal('sqrtImpact'), k: z.number().min(0).max(100), dailyVolatility: z.number().min(0).max(1) }).strict(),
]);

/**
 * Why a model is out of bounds, or null when it is usable. Bounds keep the integer arithmetic safe
 * and catch unit mistakes (σ = 2 meaning 2% rather than 200%).
 */
export function slippageProblem(m: SlippageModel): string | null {
  const finite = (x: number): boolean => typeof x === 'number' && Number.isFinite(x);
  switch (m.kind) {
    case 'none':
      return null;
    case 'bps':
      return finite(m.bps) && m.bps >= 0 && m.bps <= 10_000 && hasAtMostTwoDecimals(m.bps)
        ? null : `bps slippage must be between 0 and 10000 with at most two decimals (got ${m.bps}).`;
    case 'ticks':
      return Number.isSafeInteger(m.ticks) && m.ticks >= 0 && m.ticks <= 1_000_000
        ? null : `tick slippage must be a whole number of ticks between 0 and 1000000 (got ${m.ticks}).`;
    case 'sqrtImpact':
      if (!finite(m.k) || m.k < 0 || m.k > 100) return `square-root impact k must be between 0 and 100 (got ${m.k}).`;
      return finite(m.dailyVolatility) && m.dailyVolatility >= 0 && m.dailyVolatility <= 1
        ? null : `daily volatility must be a fraction between 0 and 1, e.g. 0.02 for 2% (got ${m.dailyVolatility}).`;
  }
}

const DECIMAL = /^\d+(?:\.\d+)?$/;
const WHOLE = /^\d+$/;

/**
 * Reads a CLI/config spelling: `none`, `bps:<n>`, `ticks:<n>`, `sqrt:<k>:<dailyVolatility>`
 * (e.g. `sqrt:0.1:0.02`). Numbers are plain non-negative decimals.
 */
export function parseSlippage(spec: string): Either<SlippageError, SlippageModel> {
  const bad = (message: string): Either<SlippageError, SlippageModel> => left({ code: 'SLIPPAGE_INVALID', message });
  const parts = spec.trim().split(':');
  const [kind, a, b] = parts;
  let m: SlippageModel;
  if (kind === 'none' && parts.length === 1) m = { kind: 'none' };
  else if (kind === 'bps' && parts.length === 2 && DECIMAL.test(a!)) m = { kind: 'bps', bps: Number(a) };
  else if (kind === 'ticks' && parts.length === 2 && WHOLE.test(a!)) m = { kind: 'ticks', ticks: Number(a) };
  else if (kind === 'sqrt' && parts.length === 3 && DECIMAL.test(a!) && DECIMAL.test(b!)) {
    m = { kind: 'sqrtImpact', k: Number(a), dailyVolatility: Number(b) };
  } else {
    return bad(`Slippage "${spec}" is not one of none, bps:<n>, ticks:<n> or sqrt:<k>:<dailyVolatility> (e.g. bps:5, ticks:1, sqrt:0.1:0.02).`);
  }
  const problem = slippageProblem(m);
  return problem === null ? right(m) : bad(`Slippage "${spec}": ${problem}`);
}

/**
 * Relative price impact of the square-root law: k × σ_daily × √(qty / barVolume).
 *
 * Convention: the "square-root law" of market impact, I ≈ Y·σ·√(Q/V) with Y of order 1 (Grinold &
 * Kahn, Active Portfolio Management, 2000; confirmed across markets by Tóth et al. 2011 and, on the
 * whole Tokyo exchange, Sato & Kanazawa 2024). Almgren, Thum, Hauptmann & Li ("Direct estimation of
 * equity market impact", Risk 2005) fit the same σ-scaled form for temporary impact with an exponent
 * near 3/5; we keep 1/2. Q is the quantity filled, V the day's bar volume (the law uses average
 * daily volume; one daily bar is the closest this matcher sees), σ the daily volatility as a fraction.
 */
export const impactFraction = (k: number, dailyVolatility: number, qty: number, barVolume: number): number =>
  barVolume > 0 && qty > 0 ? k * dailyVolatility * Math.sqrt(qty / barVolume) : 0;

const PPB = 1_000_000_000;

export interface SlippageInput {
  readonly side: Side;
  /** Base price, 0.001 CNY, on the tick. */
  readonly price: number;
  /** Shares being filled. */
  readonly qty: number;
  /** The bar's volume in shares (for the impact model). */
  readonly barVolume: number;
  readonly tickMilli: number;
}

/**
 * Price after slippage, 0.001 CNY: moved against the trader (buys up, sells down) and rounded to the
 * tick away from the trader's favour (buys `ceil`, sells `floor`). Integer arithmetic throughout;
 * the impact model's float fraction is first rounded half-up to parts per billion (so float noise in
 * an exact product cannot push it over a tick). Not clamped: the
 * matcher clamps into what traded and the day's limits (a sell may come out at or below zero here).
 */
export function slippedPrice(m: SlippageModel, x: SlippageInput): number {
  const sign = x.side === 'buy' ? 1 : -1;
  const rounding = x.side === 'buy' ? 'ceil' : 'floor';
  let ppb: number;
  switch (m.kind) {
    case 'none':
      return x.price;
    case 'ticks':
      return x.price + sign * m.ticks * x.tickMilli;
    case 'bps':
      ppb = Math.round(m.bps * 100) * 1_000; // hundredths of a bp are 1 000 ppb
      break;
    case 'sqrtImpact':
      ppb = Math.round(impactFraction(m.k, m.dailyVolatility, x.qty, x.barVolume) * PPB);
      break;
  }
  return mulDivRound(x.price, PPB + sign * ppb, PPB * x.tickMilli, rounding) * x.tickMilli;
}
