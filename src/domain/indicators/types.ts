/**
 * Shared types of the technical indicators. Indicators work in floats in whatever price unit they
 * are fed (CNY, adjusted or not); nothing here ever becomes an order price without the market rules.
 */

/** One bar. `amount` (turnover) is optional and must be in price unit × volume unit when given. */
export interface Ohlcv {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly amount?: number;
}

/** An incremental indicator: O(1) state per bar (amortised), `null` until warm. */
export interface Indicator<I, O> {
  update(input: I): O | null;
  isWarm(): boolean;
}
