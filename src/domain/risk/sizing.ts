import { z } from 'zod';
import type { LotRule } from '../market/board.js';
import { divRound, mulDivRound, rateFromFraction } from '../money.js';

/**
 * Position sizing (issue 6 item 3). Every method returns a buy quantity in shares, rounded DOWN to
 * a valid lot (`LotRule`: at least `minBuy`, then in `step`s), or 0 when the amount does not reach
 * the board minimum. Fractions are floats in config; they become parts per billion (rounded to the
 * nearest ppb) before any money is computed, and every division below rounds `down`, so a size
 * never buys more than its budget. No method sizes above equity / price (no leverage).
 * Units: equity in fen, prices and ATR in 0.001 CNY.
 */

const PPB = 1_000_000_000;

const fractionOpen = z.number().gt(0).lte(1);

export const FixedFractionParamsSchema = z.strictObject({
  /** Target position value as a fraction of equity, (0, 1]. */
  fraction: fractionOpen,
});
export type FixedFractionParams = z.infer<typeof FixedFractionParamsSchema>;

export const VolatilityTargetParamsSchema = z.strictObject({
  /** Equity put at risk per trade (loss if the price falls `atrMultiple` ATRs), (0, 1]. */
  riskPerTradeFraction: fractionOpen,
  /** Distance of the assumed exit in ATRs, > 0. */
  atrMultiple: z.number().gt(0).lte(1000),
});
export type VolatilityTargetParams = z.infer<typeof VolatilityTargetParamsSchema>;

export const FractionalKellyParamsSchema = z.strictObject({
  /** Probability a round trip wins, [0, 1]. */
  winRate: z.number().min(0).max(1),
  /** Payoff ratio b = average win / average loss, > 0. */
  payoff: z.number().gt(0),
  /** Share of full Kelly to bet (0.5 = half Kelly), (0, 1]. */
  fraction: fractionOpen,
  /** Most of equity one position may take, (0, 1]. */
  cap: fractionOpen,
});
export type FractionalKellyParams = z.infer<typeof FractionalKellyParamsSchema>;

function checkInputs(equityFen: number, priceMilli: number, lot: LotRule): void {
  if (!Number.isSafeInteger(equityFen)) throw new RangeError(`equity must be an integer number of fen (got ${equityFen})`);
  if (!Number.isSafeInteger(priceMilli) || priceMilli <= 0) throw new RangeError(`price must be a positive integer in 0.001 CNY (got ${priceMilli})`);
  if (!Number.isSafeInteger(lot.minBuy) || lot.minBuy <= 0 || !Number.isSafeInteger(lot.step) || lot.step <= 0) {
    throw new RangeError(`lot rule needs positive integer minBuy and step (got ${lot.minBuy}/${lot.step})`);
  }
}

/** Rounds a raw share count DOWN to a valid buy lot; 0 below the board minimum. */
export function roundDownToLot(rawShares: number, lot: LotRule): number {
  if (!Number.isSafeInteger(rawShares) || rawShares < lot.minBuy) return 0;
  return lot.minBuy + divRound(rawShares - lot.minBuy, lot.step, 'down') * lot.step;
}

/** Shares `budgetFen` buys at `priceMilli`, rounded down (fen × 10 = 0.001 CNY). */
const affordableShares = (budgetFen: number, priceMilli: number): number =>
  budgetFen <= 0 ? 0 : mulDivRound(budgetFen, 10, priceMilli, 'down');

/** `equityFen × fraction`, rounded down to the fen; the fraction is taken to the nearest ppb. */
const budgetOf = (equityFen: number, fraction: number): number =>
  equityFen <= 0 ? 0 : mulDivRound(equityFen, rateFromFraction(fraction), PPB, 'down');

/** Fixed fraction: buy `fraction × equity` worth, rounded down to a lot. */
export function fixedFraction(p: FixedFractionParams, equityFen: number, priceMilli: number, lot: LotRule): number {
  checkInputs(equityFen, priceMilli, lot);
  return roundDownToLot(affordableShares(budgetOf(equityFen, p.fraction), priceMilli), lot);
}

/**
 * Volatility target: shares such that `atrMultiple × ATR × shares = riskPerTradeFraction × equity`
 * (a move of `atrMultiple` ATRs against the position loses the risk budget), rounded down to a lot
 * and capped at what the whole equity buys. `atrMilli` is the ATR in 0.001 CNY; an ATR ≤ 0 (no
 * history, or a flat series) throws, because the size would be unbounded.
 */
export function volatilityTarget(
  p: VolatilityTargetParams, equityFen: number, priceMilli: number, atrMilli: number, lot: LotRule,
): number {
  checkInputs(equityFen, priceMilli, lot);
  if (!Number.isSafeInteger(atrMilli) || atrMilli <= 0) throw new RangeError(`ATR must be a positive integer in 0.001 CNY (got ${atrMilli})`);
  const riskFen = budgetOf(equityFen, p.riskPerTradeFraction);
  // Risk per share in 0.001 CNY × 1e9: atrMultiple (ppb) × ATR; riskFen × 10 is the risk in 0.001 CNY.
  // BigInt: ppb × ATR leaves the safe range for large multiples and ATRs.
  const multPpb = rateFromFraction(p.atrMultiple);
  if (!Number.isSafeInteger(multPpb) || multPpb <= 0) throw new RangeError(`ATR multiple out of range (got ${p.atrMultiple})`);
  const ceiling = affordableShares(Math.max(equityFen, 0), priceMilli);
  if (riskFen <= 0) return 0;
  const raw = (BigInt(riskFen) * 10n * BigInt(PPB)) / (BigInt(multPpb) * BigInt(atrMilli)); // BigInt division truncates: 'down'
  return roundDownToLot(raw < BigInt(ceiling) ? Number(raw) : ceiling, lot);
}

/**
 * Full Kelly fraction for a bet that wins with probability `p` and pays `b` per unit lost:
 * f* = p − (1 − p) / b. May be negative (a losing edge: do not bet). This is the Kelly criterion;
 * the client's original `(signal_strength − 0.5) / volatility` is not Kelly (it has neither a
 * win probability nor a payoff ratio) and is not reproduced.
 */
export function kellyFraction(p: number, b: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`win rate must be in [0, 1] (got ${p})`);
  if (!(b > 0) || !Number.isFinite(b)) throw new RangeError(`payoff ratio must be finite and > 0 (got ${b})`);
  return p - (1 - p) / b;
}

/**
 * Fraction of equity fractional Kelly bets: `fraction × f*` clamped to [0, cap]. Rounded to the
 * nearest ppb so that 0.55 − 0.45 / 1.5 is exactly 0.25 rather than a float neighbour.
 */
export function fractionalKellyWeight(p: FractionalKellyParams): number {
  const f = kellyFraction(p.winRate, p.payoff) * p.fraction;
  if (!(f > 0)) return 0;
  const ppb = Math.min(rateFromFraction(f), rateFromFraction(p.cap));
  return ppb / PPB;
}

/**
 * Fractional Kelly: buy `clamp(fraction × f*, 0, cap) × equity` worth, rounded down to a lot;
 * 0 shares when f* ≤ 0. See {@link kellyFraction} for why this is not the client's formula.
 */
export function fractionalKelly(p: FractionalKellyParams, equityFen: number, priceMilli: number, lot: LotRule): number {
  checkInputs(equityFen, priceMilli, lot);
  const w = fractionalKellyWeight(p);
  if (w <= 0) return 0;
  return roundDownToLot(affordableShares(budgetOf(equityFen, w), priceMilli), lot);
}

export interface KellyEstimate {
  /** Wins / all round trips (scratch trades with pnl 0 count as not winning). */
  readonly p: number;
  /** Average win / average loss (both as positive amounts). */
  readonly b: number;
}

/**
 * Win rate and payoff ratio from closed round trips (any pnl unit, as long as it is one unit).
 * Null when there are fewer than `minTrades` (default 20) trips, or no wins or no losses: the payoff
 * ratio is then undefined and a Kelly size from it would be noise or infinite.
 */
export function estimateKelly(trades: readonly { readonly pnl: number }[], minTrades = 20): KellyEstimate | null {
  if (trades.length < Math.max(1, minTrades)) return null;
  let wins = 0, winSum = 0, losses = 0, lossSum = 0;
  for (const t of trades) {
    if (!Number.isFinite(t.pnl)) throw new RangeError(`round-trip pnl must be finite (got ${t.pnl})`);
    if (t.pnl > 0) { wins++; winSum += t.pnl; } else if (t.pnl < 0) { losses++; lossSum -= t.pnl; }
  }
  if (wins === 0 || losses === 0) return null;
  return { p: wins / trades.length, b: (winSum / wins) / (lossSum / losses) };
}
