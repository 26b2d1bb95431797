import { isConditionAlertCode } from './alertCodes.js';

/** One alert as the journal tells it: raised, then perhaps acknowledged and cleared. */
export interface AlertView {
  /** The seq of its AlertRaised. */
  readonly id: number;
  readonly code: string;
  readonly level: 'warning' | 'critical';
  readonly day: string | null;
  readonly message: string;
  /** occurredAt of its AlertRaised, epoch ms. */
  readonly at: number;
  readonly state: 'active' | 'cleared';
  readonly acknowledgedBy: string | null;
  /** When it stopped being active (AlertCleared, or the acknowledgement of a one-shot alert), epoch ms. */
  readonly clearedAt: number | null;
  readonly clearedWhy: string | null;
}

/** How many alerts the state keeps (more only while more than this are active). */
export const ALERT_HISTORY_LIMIT = 500;

/**
 * Alerts by id, in id (journal) order. Copied on every alert event: those are rare and the map is
 * bounded, so the fold of a long journal stays cheap while every earlier state remains valid.
 */
export type AlertRecords = ReadonlyMap<number, AlertView>;

export const emptyAlertRecords: AlertRecords = new Map();

export function recordRaised(m: AlertRecords, a: AlertView): AlertRecords {
  const n = new Map(m);
  n.set(a.id, a);
  return trimmed(n);
}

/** Marks an active alert cleared; an unknown or already cleared one leaves the records as they are. */
export function recordCleared(m: AlertRecords, id: number, at: number, why: string): AlertRecords {
  const a = m.get(id);
  if (a === undefined || a.state === 'cleared') return m;
  return replaced(m, { ...a, state: 'cleared', clearedAt: at, clearedWhy: why });
}

/**
 * Records the first acknowledgement. A one-shot alert stops being active; a condition alert stays
 * active (its condition still holds) until the engine clears it.
 */
export function recordAcknowledged(m: AlertRecords, id: number, at: number, by: string): AlertRecords {
  const a = m.get(id);
  if (a === undefined || a.acknowledgedBy !== null) return m;
  const ends = a.state === 'active' && !isConditionAlertCode(a.code);
  return replaced(m, ends
    ? { ...a, acknowledgedBy: by, state: 'cleared', clearedAt: at, clearedWhy: `acknowledged by ${by}` }
    : { ...a, acknowledgedBy: by });
}

function replaced(m: AlertRecords, a: AlertView): AlertRecords {
  const n = new Map(m);
  n.set(a.id, a); // an existing key keeps its place: the order stays by id
  return trimmed(n);
}

/** Drops the oldest cleared alerts beyond the limit; active ones are always kept. */
function trimmed(n: Map<number, AlertView>): Map<number, AlertView> {
  if (n.size <= ALERT_HISTORY_LIMIT) return n;
  for (const [id, a] of n) {
    if (n.size <= ALERT_HISTORY_LIMIT) break;
    if (a.state === 'cleared') n.delete(id);
  }
  return n;
}

/** Whether an active alert of `code` is on record. */
export function hasActive(m: AlertRecords, code: string): boolean {
  for (const a of m.values()) if (a.state === 'active' && a.code === code) return true;
  return false;
}
