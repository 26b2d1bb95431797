import { z } from 'zod';
import { zDay, zFen, zId, zPriceMilli, zShares, zSide, zSymbol } from './primitives.js';

export const OrderType = z.enum(['market', 'limit']);
export const TimeInForce = z.enum(['day', 'gtc']);

/** The reasons OrderDenied v1 could carry (issue 2's gate: order shape, lots, working duplicates, cash, position, T+1). */
export const DenyReasonV1 = z.enum([
  'INSUFFICIENT_CASH', 'INSUFFICIENT_POSITION', 'T1_NOT_SELLABLE', 'LOT_SIZE', 'DUPLICATE_ORDER', 'BAD_ORDER',
]);
/**
 * Closed set of reasons an order is denied before it reaches the broker: v1's plus the risk gate's
 * (issue 6: trading state, lists, collars, caps, limits, rates, disclosure, missing risk data).
 */
export const DenyReason = z.enum([
  ...DenyReasonV1.options,
  'TRADING_HALTED', 'REDUCING_ONLY', 'RESTRICTED_SYMBOL', 'ST_NOT_ALLOWED', 'SHORT_SALE', 'ORDER_QTY_CAP',
  'ORDER_NOTIONAL_CAP', 'PRICE_COLLAR', 'OUTSIDE_DAILY_BAND', 'POSITION_SIZE', 'MAX_POSITIONS', 'SECTOR_CONCENTRATION',
  'DAILY_LOSS_LIMIT', 'MAX_DRAWDOWN', 'ORDER_RATE', 'CANCEL_RATE', 'DISCLOSURE_THRESHOLD', 'MISSING_RISK_DATA',
]);
/** Closed set of reasons the broker (real or simulated) rejects or expires an order. */
export const BrokerReason = z.enum([
  'SUSPENDED', 'PRICE_LIMIT', 'INSUFFICIENT_CASH', 'INSUFFICIENT_POSITION', 'LIMIT_NOT_REACHED', 'VOLUME_LIMIT',
  'LOT_SIZE', 'BAD_ORDER', 'NOT_LISTED', 'END_OF_DAY', 'BROKER_ERROR',
]);
/**
 * Closed set of reasons an order is cancelled before it ends otherwise: a person, the strategy,
 * a risk limit, the kill switch, the end-of-day sweep of orders still working, or the exchange
 * cancelling the unfilled remainder of an immediate-or-cancel market order.
 */
export const CancelReason = z.enum(['USER', 'STRATEGY', 'RISK', 'KILL_SWITCH', 'END_OF_DAY', 'EXCHANGE']);
export type DenyReason = z.infer<typeof DenyReason>;
export type DenyReasonV1 = z.infer<typeof DenyReasonV1>;
export type BrokerReason = z.infer<typeof BrokerReason>;
export type CancelReason = z.infer<typeof CancelReason>;

const orderRef = { orderId: zId };

export const OrderRequested = z.object({
  type: z.literal('OrderRequested'),
  data: z.strictObject({
    ...orderRef,
    day: zDay,
    symbol: zSymbol,
    side: zSide,
    qty: zShares.positive(),
    orderType: OrderType,
    limitPrice: zPriceMilli.nullable(),
    timeInForce: TimeInForce,
    /** Price used to size and check the order (last close), 0.001 CNY. */
    refPrice: zPriceMilli,
    signalId: zId.nullable(),
  }),
});

export const OrderApproved = z.object({
  type: z.literal('OrderApproved'),
  data: z.strictObject({ ...orderRef, ruleVersion: z.string().min(1), reservedFen: zFen.nonnegative() }),
});

/**
 * v2 (issue 6): the wider reason set and `rule`, the name of the check that denied it (a risk rule
 * of config/risk.yaml, or one of the order checks `orderShape`, `lotSize`, `workingOrder`,
 * `availability`). v1 journals are lifted by the upcaster in upcast.ts.
 */
export const OrderDenied = z.object({
  type: z.literal('OrderDenied'),
  data: z.strictObject({ ...orderRef, reason: DenyReason, rule: z.string().min(1), details: z.string(), ruleVersion: z.string().min(1) }),
});
/** The order check (OrderDenied v2's `rule`) behind each v1 reason; the gate's order checks still use them. */
export const ORDER_CHECK_OF_V1_REASON: Readonly<Record<DenyReasonV1, string>> = {
  BAD_ORDER: 'orderShape', LOT_SIZE: 'lotSize', DUPLICATE_ORDER: 'workingOrder',
  INSUFFICIENT_CASH: 'availability', INSUFFICIENT_POSITION: 'availability', T1_NOT_SELLABLE: 'availability',
};
export const OrderDeniedV1Data = z.strictObject({ ...orderRef, reason: DenyReasonV1, details: z.string(), ruleVersion: z.string().min(1) });

/** Our idempotency key at the broker: letters, digits and dashes (a file name for the file bridge). */
export const zClientOrderId = z.string().regex(/^[A-Za-z0-9-]{1,32}$/, 'letters, digits and - only, at most 32');

/**
 * v2 (issue 11): `clientOrderId`, the deterministic key the order goes to the broker under,
 * journaled before the broker is called. v1 journals (the simulated broker keyed orders by
 * `orderId`) are lifted by the upcaster in upcast.ts.
 */
export const OrderSubmitted = z.object({
  type: z.literal('OrderSubmitted'),
  data: z.strictObject({ ...orderRef, broker: z.string().min(1), clientOrderId: z.string().min(1).max(128) }),
});
export const OrderSubmittedV1Data = z.strictObject({ ...orderRef, broker: z.string().min(1) });

export const OrderAccepted = z.object({
  type: z.literal('OrderAccepted'),
  data: z.strictObject({ ...orderRef, brokerOrderId: zId }),
});

export const OrderRejected = z.object({
  type: z.literal('OrderRejected'),
  data: z.strictObject({ ...orderRef, reason: BrokerReason, details: z.string() }),
});

export const OrderFilled = z.object({
  type: z.literal('OrderFilled'),
  data: z.strictObject({
    ...orderRef,
    fillId: zId,
    day: zDay,
    symbol: zSymbol,
    side: zSide,
    qty: zShares.positive(),
    price: zPriceMilli,
    notionalFen: zFen.nonnegative(),
    commissionFen: zFen.nonnegative(),
    stampDutyFen: zFen.nonnegative(),
    transferFeeFen: zFen.nonnegative(),
    otherFeesFen: zFen.nonnegative(),
    /** Quantity still open on the order after this fill. */
    leavesQty: zShares,
  }),
});

export const OrderExpired = z.object({
  type: z.literal('OrderExpired'),
  data: z.strictObject({ ...orderRef, reason: BrokerReason, details: z.string() }),
});

export const OrderCancelled = z.object({
  type: z.literal('OrderCancelled'),
  // `reason` added in place (still v1): nothing has ever written OrderCancelled, so no journal holds the old shape.
  data: z.strictObject({ ...orderRef, reason: CancelReason, by: z.string().min(1), details: z.string() }),
});
