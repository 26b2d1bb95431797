import { mulDivRound } from '../money.js';
import { codeOf, exchangeOf, type SecuritySymbol } from '../symbol.js';
import type { TradingDay } from '../tradingDay.js';

/**
 * Market segment of a security. Rules below cite the shared reference ashare-market-rules.md ("ref")
 * and its source tags; a later issue moves them into dated tables under config/market.
 */
export type Board = 'SSE_MAIN' | 'STAR' | 'SZSE_MAIN' | 'CHINEXT' | 'BSE' | 'INDEX' | 'FUND' | 'B_SHARE';

/** Basis points: 1000 = 10%. */
export type BandBp = number;

/**
 * Board from the 6-digit code and the exchange suffix (ref §1.1, sources S1, S24, S49, S53).
 * The suffix decides first: 000001.SH is the SSE Composite index, 000001.SZ is a stock; 920xxx is BSE
 * only with `.BJ` (libraries that routed "9 → SH" went wrong, ref §1.1). Undefined for codes the
 * reference does not place (bonds, repos, options, the unconfirmed ChiNext 302 segment).
 */
export function tryBoardOf(symbol: SecuritySymbol): Board | undefined {
  const code = codeOf(symbol);
  const p3 = code.slice(0, 3);
  const p2 = code.slice(0, 2);
  switch (exchangeOf(symbol)) {
    case 'SH':
      if (p3 === '600' || p3 === '601' || p3 === '603' || p3 === '605') return 'SSE_MAIN';
      if (p3 === '688' || p3 === '689') return 'STAR';
      if (p3 === '000') return 'INDEX';
      if (p3 === '900') return 'B_SHARE';
      if (code[0] === '5') return 'FUND'; // ETFs, LOFs, REITs (5xxxxx)
      return undefined;
    case 'SZ':
      if (p3 === '000' || p3 === '001' || p3 === '002' || p3 === '003') return 'SZSE_MAIN'; // 002 = former SME board
      if (p3 === '300' || p3 === '301') return 'CHINEXT';
      if (p3 === '399') return 'INDEX';
      if (p3 === '200') return 'B_SHARE';
      if (p2 === '15' || p2 === '16') return 'FUND';
      return undefined;
    case 'BJ':
      // 920 for every BSE stock since 2025-10-09; 43/83/87/88 are the legacy codes (ref §1.2, S49).
      if (p3 === '920' || p2 === '43' || p2 === '83' || p2 === '87' || p2 === '88') return 'BSE';
      return undefined;
  }
}

/** Board of a symbol; throws for a code the reference does not place (a broken input, not a market event). */
export function boardOf(symbol: SecuritySymbol): Board {
  const b = tryBoardOf(symbol);
  if (b === undefined) throw new RangeError(`no board known for code prefix of ${symbol} (ashare-market-rules.md §1.1)`);
  return b;
}

/** Boards whose shares the equity rules below cover. */
export const isStockBoard = (b: Board): boolean =>
  b === 'SSE_MAIN' || b === 'SZSE_MAIN' || b === 'CHINEXT' || b === 'STAR' || b === 'BSE';

/** Last day of the ±5% band for main-board ST stocks; ±10% applies from the next trading day, 2026-07-06 (ref §2.1, S1–S5). */
const ST_FIVE_PERCENT_LAST_DAY = '2026-07-03';
/** ChiNext registration reform: ±20% from this day (ref §2.1, S58, S61, S2). */
const CHINEXT_TWENTY_PERCENT_FROM = '2020-08-24';

/**
 * Daily price-limit band in basis points for a normal trading day (ref §2.1). IPO no-limit days
 * (§2.2) are the caller's business. Throws for boards the reference gives no band for (indices have
 * none; fund and B-share bands are not sourced there yet).
 */
export function dailyLimitBand(board: Board, isSt: boolean, day: TradingDay): BandBp {
  switch (board) {
    case 'SSE_MAIN':
    case 'SZSE_MAIN':
      return isSt && day <= ST_FIVE_PERCENT_LAST_DAY ? 500 : 1000;
    case 'CHINEXT':
      return day >= CHINEXT_TWENTY_PERCENT_FROM ? 2000 : 1000; // ST included: no separate ChiNext ST band
    case 'STAR':
      return 2000;
    case 'BSE':
      return 3000;
    default:
      throw new RangeError(`no daily price-limit band sourced for board ${board} (ashare-market-rules.md §2.1)`);
  }
}

export interface LimitPrices {
  /** Highest valid price of the day, 0.001 CNY. */
  readonly up: number;
  /** Lowest valid price of the day, 0.001 CNY. */
  readonly down: number;
}

/**
 * Limit-up / limit-down prices: `ref × (1 ± band)` rounded half-up to the tick (ref §2.3, S62, S63, S1):
 * the exchanges round 四舍五入 on decimals, so this works in integers (ref 10.05, 10% → 11.055 → 11.06).
 * `refPriceMilli` is the previous-close reference price (the ex-rights price on an ex-date, §7.2).
 */
export function limitPrices(refPriceMilli: number, bandBp: BandBp, tickMilli: number): LimitPrices {
  if (!Number.isSafeInteger(refPriceMilli) || refPriceMilli <= 0) throw new RangeError(`reference price must be a positive integer (got ${refPriceMilli})`);
  if (!Number.isSafeInteger(bandBp) || bandBp < 0 || bandBp >= 10_000) throw new RangeError(`band must be 0…9999 bp (got ${bandBp})`);
  if (!Number.isSafeInteger(tickMilli) || tickMilli <= 0) throw new RangeError(`tick must be a positive integer (got ${tickMilli})`);
  const d = 10_000 * tickMilli;
  const up = mulDivRound(refPriceMilli, 10_000 + bandBp, d, 'halfUp') * tickMilli;
  const down = mulDivRound(refPriceMilli, 10_000 - bandBp, d, 'halfUp') * tickMilli;
  return { up, down };
}

export interface LotRule {
  /** Smallest buy order, shares. */
  readonly minBuy: number;
  /** Increment above the minimum, shares. */
  readonly step: number;
}

/**
 * Buy-quantity rule (ref §3, S50, S26): main board and ChiNext buy in round lots of 100; STAR buys at
 * least 200 then in single shares; BSE at least 100 then single shares. Throws for boards not covered.
 */
export function lotRule(board: Board): LotRule {
  switch (board) {
    case 'SSE_MAIN':
    case 'SZSE_MAIN':
    case 'CHINEXT':
      return { minBuy: 100, step: 100 };
    case 'STAR':
      return { minBuy: 200, step: 1 };
    case 'BSE':
      return { minBuy: 100, step: 1 };
    default:
      throw new RangeError(`no lot rule sourced for board ${board} (ashare-market-rules.md §3)`);
  }
}

/** Price tick in 0.001 CNY: RMB 0.01 for A-shares, 0.001 for exchange-traded funds (ref §2.3, S26, S63). */
export function tickOf(board: Board): number {
  if (isStockBoard(board)) return 10;
  if (board === 'FUND') return 1;
  throw new RangeError(`no tick size sourced for board ${board} (ashare-market-rules.md §2.3)`);
}
