import type { DomainEvent } from '../domain/index.js';

export interface EquityPoint {
  readonly day: string;
  readonly equityFen: number;
  readonly cashFen: number;
  readonly positionsValueFen: number;
  readonly positions: number;
}

export type EquityCurveState = readonly EquityPoint[];
export const emptyEquityCurve: EquityCurveState = Object.freeze([]);

/** The end-of-day valuation series, one point per `DayClosed`. */
export function evolveEquityCurve(s: EquityCurveState, e: DomainEvent): EquityCurveState {
  if (e.type !== 'DayClosed') return s;
  const d = e.data;
  return [...s, { day: d.day, equityFen: d.equityFen, cashFen: d.cashFen, positionsValueFen: d.positionsValueFen, positions: d.positions }];
}
