/**
 * Price adjustment for indicators (§7.3–7.4 of the market-rules reference). Adjusted prices are
 * floats in the unit of the raw input and are for indicator inputs only: orders, limits, fills and
 * valuation always use the raw integer prices (0.001 CNY) the exchange quotes.
 *
 * Conventions (Tushare's, source S13): `adj_factor` is a cumulative backward factor that steps on
 * ex-dates; back-adjusted (后复权, hfq) = raw × adj_factor(t); forward-adjusted (前复权, qfq) =
 * raw × adj_factor(t) / adj_factor(anchor). The anchor is the last day of the series by default, so
 * a qfq series changes whenever a new corporate action arrives: never store it as immutable.
 */

/** Open/high/low/close of one bar, in any one price unit. */
export interface Ohlc {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

const isFactor = (f: number): boolean => Number.isFinite(f) && f > 0;

function checkFactor(f: number | undefined, what: string): number {
  if (f === undefined || !isFactor(f)) throw new RangeError(`${what} must be a positive finite number (got ${f})`);
  return f;
}

/** Back-adjusted (hfq) price: `raw × adjFactor`, in the unit of `raw`. */
export const hfqPrice = (raw: number, adjFactor: number): number => raw * adjFactor;

/** Forward-adjusted (qfq) price: `raw × adjFactor / anchorFactor`, in the unit of `raw`. */
export const qfqPrice = (raw: number, adjFactor: number, anchorFactor: number): number => (raw * adjFactor) / anchorFactor;

function adjustSeries(rows: readonly Ohlc[], factors: readonly number[], scale: (f: number) => number): Ohlc[] {
  if (rows.length !== factors.length) throw new RangeError(`${rows.length} bars but ${factors.length} factors`);
  return rows.map((r, i) => {
    const f = scale(checkFactor(factors[i], `factor ${i}`));
    return { open: r.open * f, high: r.high * f, low: r.low * f, close: r.close * f };
  });
}

/** Back-adjusts a series: bar `i` times `factors[i]` (arrays aligned by index, any order). */
export const hfqSeries = (rows: readonly Ohlc[], factors: readonly number[]): Ohlc[] =>
  adjustSeries(rows, factors, (f) => f);

/**
 * Forward-adjusts a series: bar `i` times `factors[i] / anchorFactor`. The anchor defaults to the
 * factor of the LAST element, so pass the series oldest-first (or pass the anchor explicitly, e.g.
 * the factor of the `end_date` a vendor anchored on).
 */
export function qfqSeries(rows: readonly Ohlc[], factors: readonly number[], anchorFactor?: number): Ohlc[] {
  const anchor = checkFactor(anchorFactor ?? factors[factors.length - 1], 'anchorFactor');
  return adjustSeries(rows, factors, (f) => f / anchor);
}

/** A bar as the adjustment needs it: its close and the exchange's reference previous close (null when unknown). */
export interface CloseAndPreClose {
  readonly close: number;
  readonly preClose: number | null;
}

/**
 * A cumulative backward factor from the bars themselves (§7.3, rustdx's `compute_factor`, S1):
 * `start` on the first bar, multiplied on every ex-date — a bar whose reference `preClose` differs
 * from the previous bar's `close` — by `close(t−1) / preClose(t)`. Rows oldest-first, consecutive
 * trading bars of one security (a suspension gap is fine: `preClose` refers to the last close).
 * A null `preClose` is taken as "no corporate action". The ratio method treats cash dividends as
 * reinvested, as Tushare does.
 */
export function backwardFactorsFromBars(rows: readonly CloseAndPreClose[], start = 1): number[] {
  checkFactor(start, 'start');
  const out: number[] = [];
  let f = start;
  rows.forEach((r, i) => {
    const prev = i > 0 ? rows[i - 1]!.close : null;
    if (prev !== null && r.preClose !== null && r.preClose !== prev) {
      if (!(prev > 0 && r.preClose > 0)) throw new RangeError(`bar ${i}: close and preClose must be positive`);
      f *= prev / r.preClose;
    }
    out.push(f);
  });
  return out;
}
