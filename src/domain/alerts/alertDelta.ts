import type { DataOf } from '../events/domainEvent.js';
import { CONDITION_ALERT_CODES } from './alertCodes.js';
import type { AlertToRaise } from './alertConditions.js';
import { CONDITIONS, egressAlert } from './alertConditions.js';
import type { AlertView } from './alertRecords.js';
import type { AlertsConfig } from './alertsConfig.js';
import type { AlertState } from './alertState.js';

/** Exactly the data of an AlertCleared event. */
export type AlertToClear = DataOf<'AlertCleared'>;

export interface AlertDelta {
  readonly raise: readonly AlertToRaise[];
  readonly clear: readonly AlertToClear[];
}

/**
 * What the journal lacks: the alerts the conditions call for at `nowMs` (epoch ms, from the clock
 * port) that no active alert of their code covers, and the active condition alerts whose condition
 * no longer holds (or whose rule is off). Journaling these and folding them back makes the next
 * delta empty; on restart, the fold of the journal gives what is still missing. Lists are in
 * CONDITION_ALERT_CODES order (EGRESS_BLOCKED last), clears by seq within a code.
 */
export function alertDelta(s: AlertState, c: AlertsConfig, nowMs: number): AlertDelta {
  const active = new Map<string, AlertView[]>();
  for (const a of s.alerts.values()) {
    if (a.state !== 'active') continue;
    const list = active.get(a.code);
    if (list === undefined) active.set(a.code, [a]);
    else list.push(a);
  }
  const raise: AlertToRaise[] = [];
  const clear: AlertToClear[] = [];
  for (const code of CONDITION_ALERT_CODES) {
    const v = CONDITIONS[code](s, c, nowMs);
    const on = active.get(code);
    if (v.holds) {
      if (on === undefined) raise.push(v.alert);
    } else if (on !== undefined) {
      for (const a of on) clear.push({ alertSeq: a.id, code, why: v.why });
    }
  }
  if (s.egress !== null && !active.has('EGRESS_BLOCKED')) raise.push(egressAlert(s.egress));
  return { raise, clear };
}

/** The delta as events to journal, clears before raises. */
export function alertDeltaEvents(d: AlertDelta): ({ type: 'AlertCleared'; data: AlertToClear } | { type: 'AlertRaised'; data: AlertToRaise })[] {
  return [
    ...d.clear.map((data) => ({ type: 'AlertCleared' as const, data })),
    ...d.raise.map((data) => ({ type: 'AlertRaised' as const, data })),
  ];
}

/** True when nothing is to be journaled. */
export const isEmptyAlertDelta = (d: AlertDelta): boolean => d.raise.length === 0 && d.clear.length === 0;
