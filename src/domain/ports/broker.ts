import type { Either } from 'fp-ts/lib/Either.js';
import type { EventOf } from '../events/domainEvent.js';
import type { BrokerReason } from '../events/orders.js';
import type { Side } from '../events/primitives.js';
import type { TradingDay } from '../tradingDay.js';

/** What a broker (real or simulated) tells us. Journaled before anything acts on it. */
export type BrokerAnswer =
  | EventOf<'OrderAccepted'> | EventOf<'OrderRejected'> | EventOf<'OrderFilled'> | EventOf<'OrderExpired'>
  | EventOf<'OrderCancelled'> | EventOf<'DividendPaid'> | EventOf<'DividendEntitled'> | EventOf<'SharesDistributed'>;

/** An order as it leaves for the broker. `clientOrderId` is the idempotency key: a broker never takes one twice. */
export interface BrokerOrder {
  /** Deterministic (run, day, intent): `[A-Za-z0-9-]{1,32}`, safe as a file name and as a broker's remark field. */
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  /** Shares. */
  readonly qty: number;
  readonly priceType: 'market' | 'limit';
  /** 0.001 CNY; null for market orders. */
  readonly limitPriceMilli: number | null;
  readonly timeInForce: 'day' | 'gtc';
  /** When the engine released it, epoch ms (from the clock port). */
  readonly createdAt: number;
}

export type BrokerOrderStatus = 'accepted' | 'rejected' | 'partially_filled' | 'filled' | 'cancelled' | 'expired';
export const BROKER_ORDER_STATUSES: readonly BrokerOrderStatus[] = ['accepted', 'rejected', 'partially_filled', 'filled', 'cancelled', 'expired'];

/** One fill in full, when the broker itemises it (the paper broker does; a file terminal gives only cumulative figures). */
export interface ItemisedFill {
  readonly fillId: string;
  readonly day: TradingDay;
  readonly qty: number;
  readonly priceMilli: number;
  readonly notionalFen: number;
  readonly commissionFen: number;
  readonly stampDutyFen: number;
  readonly transferFeeFen: number;
  readonly otherFeesFen: number;
}

/**
 * The broker's view of one order, cumulative as in a FIX execution report (CumQty, AvgPx): a
 * report repeats what was reported before, so a lost or repeated report is harmless — the engine
 * journals only what is new against what it already holds for that `clientOrderId`.
 */
export interface OrderReport {
  readonly kind: 'order';
  readonly clientOrderId: string;
  readonly brokerOrderId: string | null;
  readonly status: BrokerOrderStatus;
  /** Shares filled so far. */
  readonly filledQty: number;
  /** Value of those shares, fen (the file bridge computes it from the cumulative average price). */
  readonly filledNotionalFen: number;
  /** Fees charged so far, fen. */
  readonly feeFen: number;
  /** The broker's own words (a rejection's reason text is kept verbatim). */
  readonly message: string;
  /** The broker's time of this update, epoch ms; null when it gave none. */
  readonly at: number | null;
  /** The fill this report adds, itemised, when the broker gives it. */
  readonly lastFill: ItemisedFill | null;
  /** Our closed reason for a rejection or expiry, when the broker's adapter knows it. */
  readonly reason: BrokerReason | null;
}

/** Registrar answers about holdings (the paper broker simulates them; a real account shows them in positions and cash). */
export interface CorporateReport {
  readonly kind: 'corporate';
  readonly event: EventOf<'DividendPaid'> | EventOf<'DividendEntitled'> | EventOf<'SharesDistributed'>;
  readonly at: number | null;
}

export type BrokerReport = OrderReport | CorporateReport;

/** A line or message from the broker the adapter could not read; journaled as `BrokerMessageRejected`. */
export interface BrokerMessageProblem {
  /** Where it came from: `in/fills-1.csv line 7`. */
  readonly source: string;
  readonly reason: string;
  /** The raw text, cut to 500 characters. */
  readonly raw: string;
}

export interface BrokerPoll {
  readonly reports: readonly BrokerReport[];
  readonly problems: readonly BrokerMessageProblem[];
  /** Where the next poll continues; journaled with the answers it produced, so a restart neither loses nor repeats one. */
  readonly cursor: string;
}

export interface BrokerPosition {
  readonly symbol: string;
  readonly quantity: number;
  readonly sellableQuantity: number;
  /** Average cost per share, 0.001 CNY (rounded half up); null when the broker gives none. */
  readonly avgCostMilli: number | null;
}

export interface BrokerAccount {
  /** Available cash, fen. */
  readonly cashFen: number;
  /** Cash frozen for working buy orders, fen. */
  readonly frozenCashFen: number;
  readonly totalAssetFen: number;
}

export type OrderQuery =
  | { readonly state: 'unknown' }
  | { readonly state: 'pending' }
  | { readonly state: 'reported'; readonly report: OrderReport };

export type BrokerErrorCode =
  | 'BROKER_UNAVAILABLE' // cannot reach it (directory missing, connection refused)
  | 'BROKER_IO' // reading or writing failed
  | 'BROKER_BAD_ANSWER' // it answered something unreadable (positions.csv garbled)
  | 'BROKER_DUPLICATE_ORDER' // it already holds this clientOrderId
  | 'BROKER_REFUSED'; // it refused the request outright

export interface BrokerError {
  readonly code: BrokerErrorCode;
  /** One sentence naming what and where. */
  readonly message: string;
}

/**
 * The broker port, shaped after what A-share broker APIs and terminals offer (QMT/PTrade-style
 * order files, brokers' trading APIs): orders go out one at a time under our `clientOrderId`;
 * answers come back asynchronously and are read by `poll`; the account can be queried. Every
 * expected failure is a `BrokerError`, never a throw.
 */
export interface BrokerPort {
  /** Recorded on every `OrderSubmitted`. */
  readonly name: string;
  /**
   * True when answers come from outside this process (a terminal, a broker's server): on a
   * simulated clock the service still waits for them, within the configured timeouts.
   */
  readonly external: boolean;
  /** Hands one order over. Resolves once the broker holds it (answers follow through `poll`). */
  submit(order: BrokerOrder): Promise<Either<BrokerError, void>>;
  /** Asks the broker to cancel; the outcome arrives through `poll`. */
  cancel(clientOrderId: string, at: number): Promise<Either<BrokerError, void>>;
  /** Reports after `cursor` (null: from the beginning), in the broker's order. */
  poll(cursor: string | null): Promise<Either<BrokerError, BrokerPoll>>;
  /**
   * What the broker knows of one order: `unknown` (never received: the engine may send it now),
   * `pending` (received, no answer yet) or its latest report.
   */
  queryOrder(clientOrderId: string): Promise<Either<BrokerError, OrderQuery>>;
  queryOrders(): Promise<Either<BrokerError, readonly OrderReport[]>>;
  queryPositions(): Promise<Either<BrokerError, readonly BrokerPosition[]>>;
  queryAccount(): Promise<Either<BrokerError, BrokerAccount>>;
  close(): Promise<void>;
}
