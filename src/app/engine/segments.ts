import type { DomainEvent } from '../../domain/index.js';
import { isPolicy } from '../../domain/risk/tradingState.js';

/*
 * Where a recorded journal's steps that decide are: a service and a backtest journal each step's
 * decisions as one contiguous batch, so they are found by the shape of their events. Everything
 * outside them is input (broker answers, the broker's account, service records) and is folded as
 * recorded by the audit replay.
 */

export type SegmentKind = 'release' | 'close' | 'warmup' | 'reconcile' | 'operator';

export interface Segment<E> {
  readonly kind: SegmentKind;
  /** Index of the first event in the list searched. */
  readonly start: number;
  readonly events: readonly E[];
  readonly day: string;
}

type Ev = DomainEvent & { readonly day: string };

const isMarketData = (e: DomainEvent) => e.type === 'FundamentalsReported' || e.type === 'InstrumentsReferenced' || e.type === 'SentimentScored';
const byRisk = (e: DomainEvent, rule: string) => e.type === 'TradingStateChanged' && e.data.by === `risk:${rule}`;
/** The drawdown re-activation policy's change (`policy:*`), written right after the DayClosed like the drawdown's own. */
const byPolicy = (e: DomainEvent) => e.type === 'TradingStateChanged' && isPolicy(e.data.by);
const isReleaseEvent = (e: DomainEvent) => e.type === 'OrderSubmitted' || (e.type === 'OrderCancelled' && e.data.by === 'engine');
const CLOSE_BODY = new Set(['StopTriggered', 'SignalEmitted', 'TargetsSet', 'OrderRequested', 'OrderApproved', 'OrderDenied']);
const isCloseBody = (e: DomainEvent) => CLOSE_BODY.has(e.type) || (e.type === 'TradingStateChanged' && !e.data.by.startsWith('risk:') && !byPolicy(e));
const isReconcileBody = (e: DomainEvent) => e.type === 'ReconciliationPassed' || e.type === 'ReconciliationBreak'
  || e.type === 'PositionAdjusted' || e.type === 'CashAdjusted' || byRisk(e, 'reconciliation')
  || (e.type === 'AlertRaised' && e.data.code === 'RECONCILIATION_BREAK');

/** What an operator's command decides (engine/operatorStep), right after its OperatorCommandReceived. */
const isOperatorBody = (e: DomainEvent) => (e.type === 'TradingStateChanged' && e.data.by.startsWith('user:'))
  || (e.type === 'OrderCancelled' && e.data.reason === 'KILL_SWITCH' && e.data.by.startsWith('user:'))
  || (e.type === 'OrderCancelRequested' && e.data.reason === 'KILL_SWITCH') || e.type === 'AlertAcknowledged';

const DECISIONS = new Set([
  'SignalEmitted', 'TargetsSet', 'StopTriggered', 'OrderRequested', 'OrderApproved', 'OrderDenied', 'OrderSubmitted', 'DayClosed',
  'TradingStateChanged', 'ReconciliationPassed', 'ReconciliationBreak', 'PositionAdjusted', 'CashAdjusted',
]);
/** An event only a deciding step writes: found outside one, nothing re-decides it (a difference in itself). */
export const isDecisionEvent = (e: DomainEvent): boolean => DECISIONS.has(e.type) || isReleaseEvent(e);

/** The deciding steps of a recorded event list (RunStarted excluded), in order. */
export function findSegments<E extends Ev>(events: readonly E[]): Segment<E>[] {
  const out: Segment<E>[] = [];
  const take = (kind: SegmentKind, start: number, end: number) => {
    out.push({ kind, start, events: events.slice(start, end + 1), day: events[start]!.day });
    return end + 1;
  };
  for (let i = 0; i < events.length;) {
    const e = events[i]!;
    if (isReleaseEvent(e)) {
      let j = i;
      while (j + 1 < events.length && isReleaseEvent(events[j + 1]!)) j++;
      i = take('release', i, j);
    } else if (e.type === 'OperatorCommandReceived') {
      let j = i;
      while (j + 1 < events.length && isOperatorBody(events[j + 1]!)) j++;
      i = take('operator', i, j);
    } else if (e.type === 'BrokerStateReported') {
      let j = i;
      while (j + 1 < events.length && isReconcileBody(events[j + 1]!)) j++;
      i = take('reconcile', i, j);
    } else if (isMarketData(e) || e.type === 'BarsClosed') {
      let b = i;
      while (b < events.length && isMarketData(events[b]!)) b++;
      if (b >= events.length || events[b]!.type !== 'BarsClosed') { i = b; continue; }
      let m = b + 1;
      while (m < events.length && isCloseBody(events[m]!)) m++;
      if (m < events.length && events[m]!.type === 'DayClosed') {
        const end = m + 1 < events.length && (byRisk(events[m + 1]!, 'maxDrawdown') || byPolicy(events[m + 1]!)) ? m + 1 : m;
        i = take('close', i, end);
      } else {
        i = take('warmup', i, b);
      }
    } else {
      i++;
    }
  }
  return out;
}
