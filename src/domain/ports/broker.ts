import type { DayBars } from '../bars.js';
import type { EventOf } from '../events/domainEvent.js';
import type { OrderRequest } from '../risk/preTradeGate.js';
import type { PortfolioView } from '../views/portfolioView.js';

/** What a broker (real or simulated) tells us. Journaled before anything acts on it. */
export type BrokerAnswer =
  | EventOf<'OrderAccepted'> | EventOf<'OrderRejected'> | EventOf<'OrderFilled'> | EventOf<'OrderExpired'>
  | EventOf<'DividendPaid'> | EventOf<'DividendEntitled'> | EventOf<'SharesDistributed'>;

export interface BrokerContext {
  readonly portfolio: PortfolioView;
}

/**
 * The broker port. The engine calls `onMarketDay` once per trading day before recording the day's
 * bars (answers about the session: corporate-action credits for holdings at the previous close,
 * then fills, rejections and expiries of working orders), and `submit` at the close with the
 * orders the gate approved.
 */
export interface BrokerPort {
  readonly name: string;
  onMarketDay(bars: DayBars, ctx: BrokerContext): Promise<readonly BrokerAnswer[]>;
  submit(orders: readonly OrderRequest[], ctx: BrokerContext): Promise<readonly BrokerAnswer[]>;
}
