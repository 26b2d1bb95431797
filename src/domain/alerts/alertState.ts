import type { DomainEvent } from '../events/domainEvent.js';
import type { StoredEvent } from '../events/envelope.js';
import { formatFen } from '../money.js';
import { dayOfMs } from '../tradingDay.js';
import type { AlertRecords, AlertView } from './alertRecords.js';
import { emptyAlertRecords, hasActive, recordAcknowledged, recordCleared, recordRaised } from './alertRecords.js';
import type { DenialWindow } from './denialWindow.js';
import { emptyDenialWindow, pushDenial } from './denialWindow.js';

/**
 * The egress guard's event (not yet among the DomainEvent schemas): matched on its type string so the
 * engine reads it as soon as the journal carries it.
 */
export interface EgressBlockedEvent {
  readonly type: 'EgressBlocked';
  readonly data: { readonly target: string; readonly caller: string };
}

/** What the engine folds: a journal event with its seq and occurredAt (a RecordedEvent fits). */
export type AlertSourceEvent = Pick<StoredEvent, 'seq' | 'occurredAt'> & (DomainEvent | EgressBlockedEvent);

/** End-of-day equity, fen. Seeded with RunStarted's initial cash, as the risk gate's references are. */
export interface EquityWatch {
  /** Day of the last DayClosed (null before the first). */
  readonly day: string | null;
  readonly equityFen: number | null;
  /** Equity at the close before the last (or the initial cash before the first close). */
  readonly previousFen: number | null;
  readonly peakFen: number | null;
  /** Day the peak was closed at (null: the initial cash). */
  readonly peakDay: string | null;
}

export interface TradingWatch {
  readonly state: 'ACTIVE' | 'REDUCING' | 'HALTED';
  readonly day: string | null;
  readonly by: string | null;
  readonly why: string | null;
}

/** ReconciliationBreak events since the last ReconciliationPassed (of their latest day). */
export interface ReconciliationWatch {
  readonly day: string;
  readonly count: number;
  readonly policy: 'halt' | 'adopt';
  /** The first few, as text, for the message. */
  readonly shown: readonly string[];
}

/** EgressBlocked events not yet covered by an active EGRESS_BLOCKED alert: the first, and how many. */
export interface EgressWatch {
  readonly target: string;
  readonly caller: string;
  readonly day: string;
  readonly count: number;
}

export interface AlertState {
  readonly alerts: AlertRecords;
  readonly equity: EquityWatch;
  readonly denials: DenialWindow;
  readonly trading: TradingWatch;
  readonly reconciliation: ReconciliationWatch | null;
  readonly egress: EgressWatch | null;
}

export const emptyAlertState: AlertState = Object.freeze({
  alerts: emptyAlertRecords,
  equity: Object.freeze({ day: null, equityFen: null, previousFen: null, peakFen: null, peakDay: null }),
  denials: emptyDenialWindow,
  trading: Object.freeze({ state: 'ACTIVE' as const, day: null, by: null, why: null }),
  reconciliation: null,
  egress: null,
});

const SHOWN_BREAKS = 5;

/**
 * One journal event folded into the alert state. Pure and total (a projection never throws);
 * events the engine does not read return `s` itself, so folding a backtest's bars costs nothing.
 */
export function evolveAlerts(s: AlertState, e: AlertSourceEvent): AlertState {
  switch (e.type) {
    case 'RunStarted': {
      const cash = e.data.initialCashFen;
      return { ...s, equity: { day: null, equityFen: cash, previousFen: null, peakFen: cash, peakDay: null } };
    }
    case 'DayClosed': {
      const q = s.equity, eq = e.data.equityFen;
      const newPeak = q.peakFen === null || eq >= q.peakFen; // an equal close names the latest day at the peak
      return {
        ...s,
        equity: { day: e.data.day, equityFen: eq, previousFen: q.equityFen, peakFen: newPeak ? eq : q.peakFen, peakDay: newPeak ? e.data.day : q.peakDay },
      };
    }
    case 'OrderDenied':
      return { ...s, denials: pushDenial(s.denials, e.occurredAt, e.data.rule) };
    case 'TradingStateChanged':
      return { ...s, trading: { state: e.data.to, day: e.data.day, by: e.data.by, why: e.data.why } };
    case 'ReconciliationBreak': {
      const d = e.data, r = s.reconciliation;
      const text = d.symbol === null ? `cash ours ${formatFen(d.ours)} CNY, broker ${formatFen(d.theirs)} CNY` : `${d.symbol} quantity ours ${d.ours}, broker ${d.theirs}`;
      if (r === null || r.day !== d.day) return { ...s, reconciliation: { day: d.day, count: 1, policy: d.policy, shown: [text] } };
      return {
        ...s,
        reconciliation: {
          day: r.day, count: r.count + 1, policy: d.policy === 'halt' ? 'halt' : r.policy,
          shown: r.shown.length < SHOWN_BREAKS ? [...r.shown, text] : r.shown,
        },
      };
    }
    case 'ReconciliationPassed':
      return s.reconciliation === null ? s : { ...s, reconciliation: null };
    case 'EgressBlocked': {
      // A block while an EGRESS_BLOCKED alert is active joins it: one alert until someone acknowledges.
      if (hasActive(s.alerts, 'EGRESS_BLOCKED')) return s;
      const g = s.egress;
      if (g !== null) return { ...s, egress: { ...g, count: g.count + 1 } };
      return { ...s, egress: { target: textOr(e.data.target), caller: textOr(e.data.caller), day: dayOfMs(e.occurredAt), count: 1 } };
    }
    case 'AlertRaised': {
      const d = e.data;
      const alerts = recordRaised(s.alerts, {
        id: e.seq, code: d.code, level: d.level, day: d.day, message: d.message, at: e.occurredAt,
        state: 'active', acknowledgedBy: null, clearedAt: null, clearedWhy: null,
      });
      return { ...s, alerts, egress: d.code === 'EGRESS_BLOCKED' ? null : s.egress };
    }
    case 'AlertCleared': {
      const alerts = recordCleared(s.alerts, e.data.alertSeq, e.occurredAt, e.data.why);
      return alerts === s.alerts ? s : { ...s, alerts };
    }
    case 'AlertAcknowledged': {
      const alerts = recordAcknowledged(s.alerts, e.data.alertSeq, e.occurredAt, e.data.by);
      return alerts === s.alerts ? s : { ...s, alerts };
    }
    default:
      return s;
  }
}

/** The fold of `events` from `from`. */
export function foldAlerts(events: Iterable<AlertSourceEvent>, from: AlertState = emptyAlertState): AlertState {
  let s = from;
  for (const e of events) s = evolveAlerts(s, e);
  return s;
}

/** Active alerts, oldest first. */
export const activeAlerts = (s: AlertState): AlertView[] => [...s.alerts.values()].filter((a) => a.state === 'active');

/** Every alert kept (the last ALERT_HISTORY_LIMIT, and every active one), oldest first. */
export const allAlerts = (s: AlertState): AlertView[] => [...s.alerts.values()];

// The egress event is matched by name before its schema exists: read its fields defensively.
const textOr = (v: unknown): string => (typeof v === 'string' && v.length > 0 ? v : 'unknown');
