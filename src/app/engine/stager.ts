import type { Clock, DomainEvent, EventId, IdGenerator, NewEvent } from '../../domain/index.js';
import { CURRENT_SCHEMA_VERSION, dayOfMs } from '../../domain/index.js';
import type { AnyStrategy, Kernel } from './kernel.js';
import { evolveKernel } from './kernel.js';

/** Which journal stream an event belongs to. */
export function streamOf(e: DomainEvent): string {
  switch (e.type) {
    case 'RunStarted': return 'run';
    case 'BarsClosed': return 'market';
    case 'SignalEmitted': case 'TargetsSet': return 'strategy';
    case 'FundamentalsReported': case 'InstrumentsReferenced': return 'market';
    case 'TradingStateChanged': case 'StopTriggered': return 'risk';
    case 'OrderRequested': case 'OrderApproved': case 'OrderDenied': case 'OrderSubmitted': case 'OrderAccepted':
    case 'OrderRejected': case 'OrderFilled': case 'OrderExpired': case 'OrderCancelled': case 'OrderResent': case 'OrderCancelRequested':
      return `order-${e.data.orderId}`;
    case 'ServiceStarted': case 'ServiceResumed': case 'ServiceStopped': case 'StepCompleted': case 'LockTakenOver': case 'WarmupCompleted':
      return 'service';
    case 'BrokerAnswersRead': case 'BrokerMessageRejected': return 'broker';
    case 'BrokerStateReported': case 'ReconciliationBreak': case 'ReconciliationPassed': return 'reconciliation';
    case 'AlertRaised': case 'AlertCleared': case 'AlertAcknowledged': return 'alerts';
    case 'OperatorCommandReceived': case 'OperatorCommandRejected': return 'operator';
    case 'AirgapArmed': case 'AirgapDisarmed': case 'EgressBlocked': return 'airgap';
    case 'DataUpdateRan': return 'service';
    case 'SentimentScored': case 'SentimentRequestFailed': return 'sentiment';
    default: return 'account';
  }
}

/** What an event belongs to: its order, its signal, or else its trading day. */
function correlationOf(e: DomainEvent, day: string): string {
  if ('orderId' in e.data && typeof e.data.orderId === 'string') return e.data.orderId;
  return e.type === 'SignalEmitted' ? e.data.signalId : day;
}

export interface StagePorts {
  readonly ids: IdGenerator;
  readonly clock: Clock;
}

/**
 * Collects a step's events in journal order, folding each into the kernel the moment it is staged
 * so every decider sees everything before it. The caller appends `events` (one transaction).
 */
export class Stager<S> {
  readonly events: NewEvent[] = [];
  constructor(public kernel: Kernel<S>, private readonly strategy: AnyStrategy<S>, private readonly ports: StagePorts) {}

  /** Stages `e` as having happened at `occurredAt` (market/event time); `recordedAt` is the clock's now. */
  stage(e: DomainEvent, occurredAt: number, causationId: string | null = null): EventId {
    const eventId = this.ports.ids.eventId();
    this.events.push({
      eventId, stream: streamOf(e), type: e.type, schemaVersion: CURRENT_SCHEMA_VERSION[e.type], occurredAt,
      recordedAt: this.ports.clock.now(), causationId, correlationId: correlationOf(e, dayOfMs(occurredAt)), data: e.data,
    });
    this.kernel = evolveKernel(this.kernel, e, this.strategy);
    return eventId;
  }

  /** Hands over what is staged so far (to append it) and starts a new batch on the same kernel. */
  take(): NewEvent[] {
    return this.events.splice(0, this.events.length);
  }
}
