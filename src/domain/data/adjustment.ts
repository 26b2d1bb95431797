import type { Bar } from '../bars.js';
import type { DataFindingKind, ValidationThresholds } from './finding.js';

/**
 * Price adjustment of a daily series (ashare-market-rules.md §7.4). `qfq` (前复权, forward): the
 * latest prices are the traded ones and earlier prices are scaled by the corporate actions since
 * (down, after dividends); `hfq` (后复权, backward): the earliest prices are traded, later ones scaled
 * (up). Vendors adjust open/high/low/close/pre_close only: volume and amount stay as traded.
 */
export type PriceAdjustment = 'qfq' | 'hfq';

export const ADJUSTMENT_NAMES: Readonly<Record<PriceAdjustment, string>> = { qfq: 'forward-adjusted (qfq)', hfq: 'backward-adjusted (hfq)' };

/**
 * What the validator leaves out for an adjusted series, and why: each of these checks assumes
 * prices that were traded on their day.
 * - BAND_VIOLATION: the day's limits are the exchange's rounding of a traded reference price; an
 *   adjusted reference (4 decimals) gives limits that adjusted highs and lows break by rounding.
 * - VOLUME_SANITY's turnover test (amount ÷ volume inside [low, high]): amount and volume are
 *   unadjusted, so their ratio is a traded price and lies outside an adjusted day's range on every
 *   row before (qfq) or after (hfq) a corporate action. Negative amounts and zero volume are still checked.
 * - OFF_TICK (the board's price tick): adjusted prices carry 4 decimals, so they are not on it.
 * OHLC consistency, duplicates, order, the calendar and outliers apply unchanged.
 */
export const ADJUSTED_SKIPPED_KINDS: ReadonlySet<DataFindingKind> = new Set<DataFindingKind>(['BAND_VIOLATION', 'OFF_TICK']);
export const ADJUSTED_THRESHOLDS: Partial<ValidationThresholds> = Object.freeze({ amountPriceTolerance: Number.POSITIVE_INFINITY });
/** The skipped checks in one phrase, for help texts and warnings. */
export const ADJUSTED_SKIPPED_TEXT = 'price limits (BAND_VIOLATION), the price tick (OFF_TICK) and the amount ÷ volume price test of VOLUME_SANITY';

/** Why a batch looks adjusted: where the unadjusted turnover price leaves the adjusted day's range. */
export interface AdjustmentEvidence {
  readonly adjustment: PriceAdjustment;
  /** Symbols whose series shows the pattern, of `symbolsSeen` with usable rows. */
  readonly symbols: number;
  readonly symbolsSeen: number;
  /** Rows of those symbols whose turnover price lies outside the day's [low, high]. */
  readonly rows: number;
  /** The first such row: turnover price (amount ÷ volume) and the day's range, 0.001 CNY. */
  readonly example: { readonly symbol: string; readonly day: string; readonly avgPriceMilli: number; readonly low: number; readonly high: number };
}

/** Out-of-range rows a symbol needs before its pattern counts (a few bad rows are not an adjustment). */
const MIN_ROWS = 3;
/** Share of a symbol's out-of-range rows that must lie on the adjustment's side. */
const SAME_SIDE = 0.95;
/** Relative slack around [low, high], as the validator's default amountPriceTolerance (vendor rounding). */
const TOLERANCE = 0.01;

type Side = -1 | 0 | 1;

/** Below (-1), inside (0) or above (1) the day's range, widened by the tolerance; null when the row cannot tell. */
function sideOf(b: Bar): Side | null {
  if (!(b.volume > 0 && b.amountFen > 0 && b.low > 0 && b.high >= b.low)) return null;
  const avg = (b.amountFen * 10) / b.volume; // 1 fen = 10 × 0.001 CNY
  return avg > b.high * (1 + TOLERANCE) ? 1 : avg < b.low * (1 - TOLERANCE) ? -1 : 0;
}

/**
 * Recognises adjusted prices from what adjustment leaves alone: volume and amount. A symbol's series
 * is forward-adjusted when its turnover price (amount ÷ volume) lies above the day's high on its
 * earliest row and on ≥ 95% of its out-of-range rows, and inside the range on its latest row (the
 * anchor, where the factor is 1); backward-adjusted is the mirror image (inside first, below later).
 * Raw data with a wrong amount unit is out of range on every row, first and last alike, so it does
 * not match. The batch is judged adjusted when some symbols match one way and none the other.
 */
export function detectAdjustment(rows: readonly Bar[]): AdjustmentEvidence | null {
  const bySymbol = new Map<string, Bar[]>();
  for (const b of rows) {
    let a = bySymbol.get(b.symbol);
    if (!a) bySymbol.set(b.symbol, (a = []));
    a.push(b);
  }
  const found: Record<PriceAdjustment, { symbols: number; rows: number; example: AdjustmentEvidence['example'] | null }> = {
    qfq: { symbols: 0, rows: 0, example: null }, hfq: { symbols: 0, rows: 0, example: null },
  };
  let seen = 0;
  for (const series of bySymbol.values()) {
    const usable = series.map((b) => ({ b, side: sideOf(b) })).filter((x): x is { b: Bar; side: Side } => x.side !== null)
      .sort((x, y) => (x.b.day < y.b.day ? -1 : x.b.day > y.b.day ? 1 : 0));
    if (usable.length === 0) continue;
    seen++;
    const out = usable.filter((x) => x.side !== 0);
    if (out.length < MIN_ROWS) continue;
    const first = usable[0]!.side, last = usable[usable.length - 1]!.side;
    const above = out.filter((x) => x.side === 1).length, below = out.length - above;
    const kind: PriceAdjustment | null = first === 1 && last === 0 && above >= SAME_SIDE * out.length ? 'qfq'
      : first === 0 && last === -1 && below >= SAME_SIDE * out.length ? 'hfq' : null;
    if (kind === null) continue;
    const f = found[kind];
    f.symbols++;
    f.rows += out.length;
    if (f.example === null) {
      const b = out[0]!.b;
      f.example = { symbol: b.symbol, day: b.day, avgPriceMilli: Math.round((b.amountFen * 10) / b.volume), low: b.low, high: b.high };
    }
  }
  for (const [k, other] of [['qfq', 'hfq'], ['hfq', 'qfq']] as const) {
    const f = found[k];
    if (f.symbols > 0 && found[other].symbols === 0) return { adjustment: k, symbols: f.symbols, symbolsSeen: seen, rows: f.rows, example: f.example! };
  }
  return null;
}
