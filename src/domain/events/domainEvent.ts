import { z } from 'zod';
import { DividendEntitled, SharesDistributed } from './corporate.js';
import { DataCorrected, DataRejected, ProviderSwitched } from './data.js';
import { FundamentalsReported } from './fundamentals.js';
import { BarsClosed, DayClosed, DividendPaid } from './market.js';
import {
  OrderAccepted, OrderApproved, OrderCancelled, OrderDenied, OrderExpired, OrderFilled, OrderRejected,
  OrderRequested, OrderSubmitted,
} from './orders.js';
import { InstrumentsReferenced, StopTriggered, TradingStateChanged } from './risk.js';
import { RunStarted } from './run.js';
import {
  AlertAcknowledged, AlertCleared, AlertRaised, BrokerAnswersRead, BrokerMessageRejected, BrokerStateReported, CashAdjusted, LockTakenOver,
  OrderCancelRequested, OrderResent, PositionAdjusted, ReconciliationBreak, ReconciliationPassed, ServiceResumed,
  ServiceStarted, ServiceStopped, StepCompleted, WarmupCompleted, OperatorCommandReceived, OperatorCommandRejected,
  AirgapArmed, AirgapDisarmed, EgressBlocked, DataUpdateRan,
} from './service.js';
import { SecurityEvent } from './security.js';
import { SentimentRequestFailed, SentimentScored } from './sentiment.js';
import { SignalEmitted, TargetsSet } from './strategy.js';

// The corporate-action schemas are public through this module (the folder index re-exports it).
export { DividendEntitled, SharesDistributed } from './corporate.js';

/** Every event the system records, one discriminated union on `type`. */
export const DomainEvent = z.discriminatedUnion('type', [
  RunStarted, BarsClosed, DividendPaid, DayClosed, SignalEmitted, TargetsSet,
  OrderRequested, OrderApproved, OrderDenied, OrderSubmitted, OrderAccepted, OrderRejected, OrderFilled,
  OrderExpired, OrderCancelled, DividendEntitled, SharesDistributed, FundamentalsReported,
  DataRejected, DataCorrected, ProviderSwitched, TradingStateChanged, StopTriggered, InstrumentsReferenced,
  ServiceStarted, ServiceResumed, ServiceStopped, StepCompleted, LockTakenOver, WarmupCompleted, BrokerAnswersRead,
  BrokerMessageRejected, OrderResent, OrderCancelRequested, BrokerStateReported, ReconciliationBreak,
  ReconciliationPassed, PositionAdjusted, CashAdjusted, AlertRaised, AlertCleared, AlertAcknowledged,
  OperatorCommandReceived, OperatorCommandRejected, AirgapArmed, AirgapDisarmed, EgressBlocked, DataUpdateRan, SentimentScored, SentimentRequestFailed, ...SecurityEvent,
]);
export type DomainEvent = z.infer<typeof DomainEvent>;
export type EventType = DomainEvent['type'];
export type EventOf<T extends EventType> = Extract<DomainEvent, { type: T }>;
export type DataOf<T extends EventType> = EventOf<T>['data'];

/** The schema version each event type is written with today. Published versions never change in place. */
export const CURRENT_SCHEMA_VERSION: Readonly<Record<EventType, number>> = Object.freeze({
  RunStarted: 1, BarsClosed: 2, DividendPaid: 1, DayClosed: 1, SignalEmitted: 1, TargetsSet: 1,
  OrderRequested: 1, OrderApproved: 1, OrderDenied: 2, OrderSubmitted: 2, OrderAccepted: 1, OrderRejected: 1,
  OrderFilled: 1, OrderExpired: 1, OrderCancelled: 1, DividendEntitled: 1, SharesDistributed: 1, FundamentalsReported: 1,
  DataRejected: 2, DataCorrected: 1, ProviderSwitched: 1, TradingStateChanged: 1, StopTriggered: 1, InstrumentsReferenced: 1,
  ServiceStarted: 1, ServiceResumed: 1, ServiceStopped: 1, StepCompleted: 1, LockTakenOver: 1, WarmupCompleted: 1,
  BrokerAnswersRead: 1, BrokerMessageRejected: 1, OrderResent: 1, OrderCancelRequested: 1, BrokerStateReported: 1,
  ReconciliationBreak: 1, ReconciliationPassed: 1, PositionAdjusted: 1, CashAdjusted: 1, AlertRaised: 1,
  AlertCleared: 1, AlertAcknowledged: 1, OperatorCommandReceived: 1, OperatorCommandRejected: 1,
  AirgapArmed: 1, AirgapDisarmed: 1, EgressBlocked: 1, DataUpdateRan: 1, SentimentScored: 1, SentimentRequestFailed: 1,
  LoginSucceeded: 1, LoginFailed: 1, LoginLocked: 1, SessionEnded: 2, OperatorActionRequested: 1, DashboardStarted: 1,
});

export const EVENT_TYPES = Object.keys(CURRENT_SCHEMA_VERSION) as EventType[];
export const isEventType = (t: string): t is EventType => Object.hasOwn(CURRENT_SCHEMA_VERSION, t);
