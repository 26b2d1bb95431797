import { z } from 'zod';
import { SECURITY_EVENT_TYPES } from './security.js';
import { zDay, zFen, zId, zPriceMilli, zShares, zSymbol } from './primitives.js';

/*
 * The trading-day service (`ashare run`): what it did and when, what the broker said beyond order
 * answers, and how the account compared with the broker. Operational events (see
 * OPERATIONAL_EVENT_TYPES) leave the portfolio, order, equity and risk projections untouched, so a
 * service journal folds to the same projections as the backtest of the same days; the adjustments
 * a reconciliation adopts are the exception: they change the portfolio, by design.
 */

/** The steps of a trading day the schedule runs (domain/schedule). Polls are not recorded one by one. */
export const StepName = z.enum(['preopen', 'release', 'close', 'reconcile', 'afterclose']);
export type StepName = z.infer<typeof StepName>;

const zPid = z.number().int().positive();

/** A service process began work on this journal (first start: after RunStarted). */
export const ServiceStarted = z.object({
  type: z.literal('ServiceStarted'),
  data: z.strictObject({
    pid: zPid,
    mode: z.enum(['paper', 'live']),
    clock: z.string().min(1),
    broker: z.string().min(1),
    /** First trading day the service trades; days before it were folded as warm-up. */
    firstDay: zDay,
  }),
});

/** A service process continued a journal: its state is the fold of seq 1..afterSeq; it goes on after `step` of `day`. */
export const ServiceResumed = z.object({
  type: z.literal('ServiceResumed'),
  data: z.strictObject({
    pid: zPid,
    afterSeq: z.number().int().nonnegative(),
    day: zDay.nullable(),
    step: StepName.nullable(),
    clock: z.string().min(1),
  }),
});

export const ServiceStopped = z.object({
  type: z.literal('ServiceStopped'),
  data: z.strictObject({
    reason: z.enum(['SIGNAL', 'UNTIL', 'END_OF_DATA']),
    details: z.string(),
    day: zDay.nullable(),
    step: StepName.nullable(),
  }),
});

/** A step of `day` ran to its end; written in the same transaction as the step's own events. */
export const StepCompleted = z.object({
  type: z.literal('StepCompleted'),
  data: z.strictObject({ day: zDay, step: StepName, note: z.string() }),
});

/** The lock of a process that no longer runs was taken over. */
export const LockTakenOver = z.object({
  type: z.literal('LockTakenOver'),
  data: z.strictObject({ stalePid: zPid.nullable(), staleStartedAt: z.string(), host: z.string() }),
});

/** The warm-up history folded before the first traded day (its bars are journaled before this). */
export const WarmupCompleted = z.object({
  type: z.literal('WarmupCompleted'),
  data: z.strictObject({ from: zDay.nullable(), to: zDay.nullable(), days: z.number().int().nonnegative() }),
});

/** Where reading the broker's answers has got to (file offsets, a log position): journaled with the answers read. */
export const BrokerAnswersRead = z.object({
  type: z.literal('BrokerAnswersRead'),
  data: z.strictObject({ broker: z.string().min(1), cursor: z.string().max(100_000), reports: z.number().int().nonnegative() }),
});

/** A broker message that could not be applied: malformed, unknown order, or contradicting what it said before. */
export const BrokerMessageRejected = z.object({
  type: z.literal('BrokerMessageRejected'),
  data: z.strictObject({ broker: z.string().min(1), source: z.string(), reason: z.string().min(1), raw: z.string().max(500) }),
});

/**
 * On resume, a submitted order the broker has never received (the crash came between the journal
 * and the send) is sent now under the same clientOrderId.
 */
export const OrderResent = z.object({
  type: z.literal('OrderResent'),
  data: z.strictObject({ orderId: zId, clientOrderId: zId, why: z.string().min(1) }),
});

/** The engine asked the broker to cancel; the broker's answer follows as OrderCancelled or a fill. */
export const OrderCancelRequested = z.object({
  type: z.literal('OrderCancelRequested'),
  data: z.strictObject({ orderId: zId, clientOrderId: zId, reason: z.enum(['USER', 'STRATEGY', 'RISK', 'KILL_SWITCH', 'END_OF_DAY']), why: z.string() }),
});

/** What the broker says the account holds, as read for a reconciliation (an input, journaled before it is compared). */
export const BrokerStateReported = z.object({
  type: z.literal('BrokerStateReported'),
  data: z.strictObject({
    day: zDay,
    /** The close's reconciliation, or the one a restarted service makes before it acts. */
    occasion: z.enum(['close', 'resume']),
    positions: z.array(z.strictObject({ symbol: zSymbol, quantity: zShares, sellable: zShares, avgCostMilli: zPriceMilli.nullable() })),
    cashFen: zFen,
    frozenCashFen: zFen,
    totalAssetFen: zFen,
  }),
});

/** One difference between the journal's projection and the broker (`symbol` null: cash). */
export const ReconciliationBreak = z.object({
  type: z.literal('ReconciliationBreak'),
  data: z.strictObject({
    day: zDay,
    symbol: zSymbol.nullable(),
    field: z.enum(['quantity', 'cash']),
    ours: z.number().int(),
    theirs: z.number().int(),
    policy: z.enum(['halt', 'adopt']),
  }),
});

export const ReconciliationPassed = z.object({
  type: z.literal('ReconciliationPassed'),
  data: z.strictObject({ day: zDay, positions: z.number().int().nonnegative(), cashFen: zFen }),
});

/** Reconciliation (policy adopt): the position is set to what the broker holds. Changes the portfolio. */
export const PositionAdjusted = z.object({
  type: z.literal('PositionAdjusted'),
  data: z.strictObject({
    day: zDay,
    symbol: zSymbol,
    fromQty: zShares,
    toQty: zShares,
    /** Cost basis of the adjusted holding, fen (the broker's average cost when it gives one). */
    costFen: zFen.nonnegative(),
    reason: z.string().min(1),
  }),
});

/** Reconciliation (policy adopt): cash is set to what the broker holds. Changes the portfolio. */
export const CashAdjusted = z.object({
  type: z.literal('CashAdjusted'),
  data: z.strictObject({ day: zDay, fromFen: zFen, toFen: zFen, reason: z.string().min(1) }),
});

/** Something a person must know about (reconciliation break, broker silence, stale data, malformed broker message). */
export const AlertRaised = z.object({
  type: z.literal('AlertRaised'),
  data: z.strictObject({
    code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
    level: z.enum(['warning', 'critical']),
    day: zDay.nullable(),
    message: z.string().min(1),
  }),
});

/** An alert the rules engine (domain/alerts) found no longer holds; `alertSeq` is the seq of its AlertRaised. */
export const AlertCleared = z.object({
  type: z.literal('AlertCleared'),
  data: z.strictObject({ alertSeq: z.number().int().positive(), code: z.string().regex(/^[A-Z][A-Z0-9_]*$/), why: z.string().min(1) }),
});

/** A person acknowledged an alert (through the command channel): it stays in the record, no longer asks for attention. */
export const AlertAcknowledged = z.object({
  type: z.literal('AlertAcknowledged'),
  data: z.strictObject({ alertSeq: z.number().int().positive(), by: z.string().min(1), commandId: z.string().min(1).max(64) }),
});

/** What an operator may ask the running service (the dashboard's command channel). */
export const OperatorAction = z.enum(['kill-switch-engage', 'kill-switch-release', 'alert-ack', 'reconciliation-ack']);
export type OperatorAction = z.infer<typeof OperatorAction>;

/**
 * An operator's command, as the service took it from the command channel (journaled before its
 * effect: TradingStateChanged by `user:<name>`, cancel requests, AlertAcknowledged). `target`: the
 * alert's seq for the acknowledgements, null otherwise. `issuedAt`: when the dashboard wrote it.
 */
export const OperatorCommandReceived = z.object({
  type: z.literal('OperatorCommandReceived'),
  data: z.strictObject({
    commandId: z.string().min(1).max(64),
    user: z.string().min(1).max(64),
    action: OperatorAction,
    target: z.number().int().positive().nullable(),
    why: z.string().max(500),
    issuedAt: z.string().min(1),
  }),
});

/** A command that was not applied: malformed, not authenticated by the channel's key, or not applicable now. */
export const OperatorCommandRejected = z.object({
  type: z.literal('OperatorCommandRejected'),
  data: z.strictObject({ commandId: z.string().max(64), reason: z.string().min(1) }),
});

/**
 * The air gap (config airgap:) armed: from now until AirgapDisarmed no outgoing connection but to
 * `allow` is made by the service's process (adapters/net/egressGuard).
 */
export const AirgapArmed = z.object({
  type: z.literal('AirgapArmed'),
  data: z.strictObject({ day: zDay, window: z.string().min(1), allow: z.array(z.string().min(1)) }),
});

export const AirgapDisarmed = z.object({
  type: z.literal('AirgapDisarmed'),
  data: z.strictObject({ day: zDay, window: z.string().min(1), blocked: z.number().int().nonnegative() }),
});

/** An outgoing connection or DNS look-up the air gap refused before anything left the machine. */
export const EgressBlocked = z.object({
  type: z.literal('EgressBlocked'),
  data: z.strictObject({ target: z.string().min(1).max(300), caller: z.string().min(1).max(300), kind: z.enum(['connect', 'dns', 'udp']) }),
});

/** The service's scheduled market-data update (config dataUpdate:) ran: what it brought, or why it failed. */
export const DataUpdateRan = z.object({
  type: z.literal('DataUpdateRan'),
  data: z.strictObject({
    day: zDay,
    provider: z.string().min(1),
    ok: z.boolean(),
    rows: z.number().int().nonnegative(),
    detail: z.string().max(2000),
  }),
});

/** Events that record the service's own work: no projection but the service status folds them. */
export const OPERATIONAL_EVENT_TYPES: ReadonlySet<string> = new Set([
  'ServiceStarted', 'ServiceResumed', 'ServiceStopped', 'StepCompleted', 'LockTakenOver', 'WarmupCompleted',
  'BrokerAnswersRead', 'BrokerMessageRejected', 'OrderResent', 'OrderCancelRequested', 'BrokerStateReported',
  'ReconciliationBreak', 'ReconciliationPassed', 'AlertRaised', 'AlertCleared', 'AlertAcknowledged',
  'OperatorCommandReceived', 'OperatorCommandRejected', 'AirgapArmed', 'AirgapDisarmed', 'EgressBlocked', 'DataUpdateRan',
]);
/** Operational: the service's own work, or the dashboard's security log (never folded into projections). */
export const isOperationalEvent = (e: { readonly type: string }): boolean => OPERATIONAL_EVENT_TYPES.has(e.type) || SECURITY_EVENT_TYPES.has(e.type);
