import { ANNUALISATION_DAYS } from './metrics.js';

/** One end-of-day valuation (fen), as the `DayClosed` event records it. */
export interface ValuationSample {
  readonly day: string;
  readonly equityFen: number;
  readonly positionsValueFen: number;
  readonly positions: number;
}

export interface Exposure {
  /** Share of days that ended holding at least one position. */
  readonly timeInMarket: number;
  /** Mean over days of gross exposure = positions value / equity (long-only: no shorts to add). */
  readonly averageGrossExposure: number;
  readonly series: readonly { day: string; gross: number; positions: number }[];
}

export function exposure(curve: readonly ValuationSample[]): Exposure {
  const series = curve.map((p) => ({ day: p.day, gross: p.equityFen > 0 ? p.positionsValueFen / p.equityFen : 0, positions: p.positions }));
  const n = curve.length;
  return {
    timeInMarket: n ? curve.filter((p) => p.positions > 0).length / n : 0,
    averageGrossExposure: n ? series.reduce((a, p) => a + p.gross, 0) / n : 0,
    series,
  };
}

export interface Turnover {
  /** Buys plus sells: the notional of every fill, both sides counted. */
  readonly tradedFen: number;
  readonly averageEquityFen: number;
  /** tradedFen / average end-of-day equity over the run. */
  readonly periodTurnover: number;
  /** periodTurnover × 252 / trading days (a buy-and-hold year ≈ 1, a full round trip a month ≈ 24). */
  readonly annualTurnover: number;
}

export function turnover(tradedFen: number, curve: readonly Pick<ValuationSample, 'equityFen'>[]): Turnover {
  const n = curve.length;
  const averageEquityFen = n ? curve.reduce((a, p) => a + p.equityFen, 0) / n : 0;
  const periodTurnover = averageEquityFen > 0 ? tradedFen / averageEquityFen : 0;
  return { tradedFen, averageEquityFen, periodTurnover, annualTurnover: n ? (periodTurnover * ANNUALISATION_DAYS) / n : 0 };
}
