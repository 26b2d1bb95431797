import type { PortfolioView, PositionView } from '../../../src/domain/views/portfolioView.js';

/** A portfolio view over plain positions; equity = cash + Σ qty × lastPrice / 10 (fen). */
export function portfolioOf(cashFen: number, positions: readonly Omit<PositionView, 'costFen'>[]): PortfolioView {
  const bySym = new Map(positions.map((p) => [p.symbol, { ...p, costFen: 0 }]));
  return {
    day: null, cashFen, positionCount: positions.filter((p) => p.qty > 0).length,
    position: (s) => bySym.get(s),
    equityFen: () => cashFen + positions.reduce((a, p) => a + Math.floor((p.qty * p.lastPrice) / 10), 0),
  };
}
