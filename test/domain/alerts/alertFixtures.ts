import type { AlertDelta, AlertSourceEvent, AlertState, DomainEvent, EventType } from '../../../src/domain/index.js';
import { DEFAULT_ALERTS_CONFIG, alertDelta, alertDeltaEvents, emptyAlertState, evolveAlerts } from '../../../src/domain/index.js';

/** 2024-03-01 15:00 +08:00. */
export const T0 = Date.UTC(2024, 2, 1, 7, 0);
export const MIN = 60_000;

type Typed = DomainEvent | { type: 'EgressBlocked'; data: { target: string; caller: string } };
type DataFor<T extends Typed['type']> = Extract<Typed, { type: T }>['data'];

/**
 * A journal in a test: appends events with the next seq, folds them as it goes, and can journal the
 * engine's delta the way the service does (clears, then raises, each with a new seq).
 */
export class TestJournal {
  seq = 0;
  at = T0;
  state: AlertState = emptyAlertState;
  readonly events: AlertSourceEvent[] = [];

  add<T extends EventType | 'EgressBlocked'>(type: T, data: DataFor<T>, at = this.at): AlertSourceEvent {
    this.at = Math.max(this.at, at);
    const e = { seq: ++this.seq, occurredAt: at, type, data } as unknown as AlertSourceEvent;
    this.events.push(e);
    this.state = evolveAlerts(this.state, e);
    return e;
  }

  delta(config = DEFAULT_ALERTS_CONFIG, now = this.at): AlertDelta {
    return alertDelta(this.state, config, now);
  }

  /** Journals the delta at `now`; returns it. */
  sync(config = DEFAULT_ALERTS_CONFIG, now = this.at): AlertDelta {
    const d = this.delta(config, now);
    for (const e of alertDeltaEvents(d)) this.add(e.type, e.data as never, now);
    return d;
  }

  dayClosed(day: string, equityFen: number): AlertSourceEvent {
    return this.add('DayClosed', { day, cashFen: equityFen, positionsValueFen: 0, equityFen, positions: 0 });
  }

  denied(rule: string, at = this.at): AlertSourceEvent {
    return this.add('OrderDenied', { orderId: `O-${this.seq + 1}`, reason: 'ORDER_RATE', rule, details: 'x', ruleVersion: 'v1' }, at);
  }

  raised(code: string, level: 'warning' | 'critical' = 'critical', message = `${code} happened`): AlertSourceEvent {
    return this.add('AlertRaised', { code, level, day: '2024-03-01', message });
  }

  ack(alertSeq: number, by = 'alice'): AlertSourceEvent {
    return this.add('AlertAcknowledged', { alertSeq, by, commandId: `cmd-${this.seq + 1}` });
  }
}

export const runStarted = (initialCashFen: number): DataFor<'RunStarted'> => ({
  runId: 'run-1', mode: 'paper', config: {}, configHash: '0'.repeat(64),
  dataSource: { kind: 'test', description: '', path: null, sha256: null }, codeVersion: 'test', initialCashFen,
});

export const barsClosed = (day: string): DataFor<'BarsClosed'> => ({
  day, symbols: ['600519.SH'], open: [1000], high: [1000], low: [1000], close: [1000], volume: [100], amountFen: [100_000], preClose: [null], isSt: [0],
});
