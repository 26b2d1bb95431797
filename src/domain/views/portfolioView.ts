import type { Side } from '../events/primitives.js';
import type { TradingDay } from '../tradingDay.js';

/**
 * Read-only views the deciders (strategy, sizing, pre-trade gate, simulated broker) take. The
 * projections' states satisfy them; deciders never see how a projection is stored.
 */
export interface PositionView {
  readonly symbol: string;
  /** Shares held. */
  readonly qty: number;
  /** Shares that may be sold today under T+1: held minus bought today. */
  readonly sellable: number;
  /** Total cost basis including buy fees, fen. */
  readonly costFen: number;
  /** Last mark, 0.001 CNY. */
  readonly lastPrice: number;
}

export interface PortfolioView {
  readonly day: TradingDay | null;
  readonly cashFen: number;
  readonly positionCount: number;
  position(symbol: string): PositionView | undefined;
  /** Cash plus marked value of every position, fen. */
  equityFen(): number;
}

export interface WorkingOrderView {
  readonly orderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly qty: number;
  readonly filledQty: number;
  /** Cash set aside by the gate for an unfilled buy, fen. */
  readonly reservedFen: number;
  readonly day: TradingDay;
}

export interface OrdersView {
  /** Orders approved and not yet in a final state, in order id order. */
  working(): readonly WorkingOrderView[];
}
