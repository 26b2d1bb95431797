import { mulDivRound } from '../money.js';
import type { FundamentalsReport } from './fundamentalsStore.js';
import { latestValue, trailingDividendMicro, ttmOf } from './ttm.js';

/**
 * Valuation ratios of one symbol at one price. Ratios are plain fractions (floats: they are
 * indicators, nothing is booked from them): `roe` 0.25 is 25 %, `dividendYield` 0.035 is 3.5 %.
 * `marketCapFen` is an integer in fen. Every field is null — never NaN or ±Infinity — when an
 * input is missing or its denominator is ≤ 0 (so a loss-making company has no PE, not a negative one).
 */
export interface ValuationRatios {
  /** Market cap / TTM net profit (fallback: price / TTM EPS). */
  readonly pe: number | null;
  /** Market cap / equity (fallback: price / book value per share). */
  readonly pb: number | null;
  /** Market cap / TTM revenue. */
  readonly ps: number | null;
  /** TTM net profit / latest equity (fallback: TTM EPS / BVPS); may be negative. */
  readonly roe: number | null;
  /** Trailing cash dividends per share / price. */
  readonly dividendYield: number | null;
  /** Price × total shares, fen, rounded half-up. */
  readonly marketCapFen: number | null;
}

/** `n / d`, or null when either is missing, `d` ≤ 0, or the quotient is not finite. */
export function ratioOrNull(n: number | null, d: number | null): number | null {
  if (n === null || d === null || !(d > 0)) return null;
  const q = n / d;
  return Number.isFinite(q) ? q : null;
}

/** Market cap in fen: `priceMilli × totalShares / 10`, half-up (exact through BigInt for large products). */
export function marketCapFen(priceMilli: number, totalShares: number | null): number | null {
  if (totalShares === null || !(priceMilli > 0) || !Number.isSafeInteger(priceMilli) || totalShares <= 0) return null;
  return mulDivRound(priceMilli, totalShares, 10, 'halfUp');
}

/**
 * The ratios from point-in-time reports (`fundamentalsOn`'s output: latest period first) and a
 * price in 0.001 CNY. Each stock figure comes from the latest report carrying it; TTM flows per `ttmOf`.
 * Totals (fen) are preferred; the per-share fallback is used only when a total is missing.
 */
export function valuationRatios(reports: readonly FundamentalsReport[], priceMilli: number): ValuationRatios {
  const cap = marketCapFen(priceMilli, latestValue(reports, 'totalShares'));
  const priceMicro = priceMilli > 0 ? priceMilli * 1000 : null;
  const equity = latestValue(reports, 'equityFen');
  const bvps = latestValue(reports, 'bvpsMicro');
  const netProfit = ttmOf(reports, 'netProfitFen');
  const eps = ttmOf(reports, 'epsMicro');
  const revenue = ttmOf(reports, 'revenueFen');
  const preferTotals = (byTotal: number | null, usable: boolean, byShare: number | null): number | null =>
    usable ? byTotal : byShare;
  return {
    pe: preferTotals(ratioOrNull(cap, netProfit), cap !== null && netProfit !== null, ratioOrNull(priceMicro, eps)),
    pb: preferTotals(ratioOrNull(cap, equity), cap !== null && equity !== null, ratioOrNull(priceMicro, bvps)),
    ps: ratioOrNull(cap, revenue),
    roe: preferTotals(ratioOrNull(netProfit, equity), netProfit !== null && equity !== null, ratioOrNull(eps, bvps)),
    dividendYield: ratioOrNull(trailingDividendMicro(reports), priceMicro),
    marketCapFen: cap,
  };
}
