import { fundamentalsOn, type FundamentalsState } from './fundamentalsStore.js';
import { valuationRatios, type ValuationRatios } from './valuationRatios.js';

/**
 * What a strategy asks of fundamentals: the ratios of `symbol` on `day` at `priceMilli`
 * (0.001 CNY) from the reports published strictly before `day`; undefined when none is.
 */
export type FundamentalsView = (symbol: string, day: string, priceMilli: number) => ValuationRatios | undefined;

/** A `FundamentalsView` over a folded store. */
export function fundamentalsView(state: FundamentalsState): FundamentalsView {
  return (symbol, day, priceMilli) => {
    const reports = fundamentalsOn(state, symbol, day);
    return reports.length === 0 ? undefined : valuationRatios(reports, priceMilli);
  };
}
