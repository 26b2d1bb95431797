import type { EventId } from '../ids.js';
import type { TradingDay } from '../tradingDay.js';
import { canonicalJson, isCanonicalJsonText, jsonString } from '../canonicalJson.js';
import { sha256Hex } from '../hash.js';

/** The hash a journal's first event chains from. */
export const GENESIS_HASH = '0'.repeat(64);

/** An event as handed to the journal: everything but the fields the journal owns (seq and the chain). */
export interface NewEvent {
  readonly eventId: EventId;
  readonly stream: string;
  readonly type: string;
  readonly schemaVersion: number;
  /** Market/event time, epoch ms. */
  readonly occurredAt: number;
  /** When it was written, epoch ms, from the clock port (the replay clock in backtests). */
  readonly recordedAt: number;
  readonly causationId: string | null;
  readonly correlationId: string | null;
  readonly data: unknown;
}

/** An event as the journal stores it. `day` is derived from `occurredAt` in exchange time (an index, not hashed). */
export interface StoredEvent extends NewEvent {
  readonly seq: number;
  readonly day: TradingDay;
  readonly prevHash: string;
  readonly hash: string;
}

/**
 * The exact bytes the hash covers: the canonical (sorted-key) JSON of the entry — every envelope
 * field except `hash` and the derived `day`, with `prevHash` — given the canonical JSON of `data`.
 * Built by concatenation so a large `data` is serialised once; equal to
 * `canonicalJson({...entry, data})` (a test holds it to that).
 */
export function entryHashInput(e: Omit<StoredEvent, 'hash' | 'day' | 'data'>, dataJson: string): string {
  return '{"causationId":' + (e.causationId === null ? 'null' : jsonString(e.causationId))
    + ',"correlationId":' + (e.correlationId === null ? 'null' : jsonString(e.correlationId))
    + ',"data":' + dataJson
    + ',"eventId":' + jsonString(e.eventId)
    + ',"occurredAt":' + canonicalNumber(e.occurredAt)
    + ',"prevHash":' + jsonString(e.prevHash)
    + ',"recordedAt":' + canonicalNumber(e.recordedAt)
    + ',"schemaVersion":' + canonicalNumber(e.schemaVersion)
    + ',"seq":' + canonicalNumber(e.seq)
    + ',"stream":' + jsonString(e.stream)
    + ',"type":' + jsonString(e.type)
    + '}';
}

// canonicalJson's number form, without its per-call set-up (this runs several times per event).
const canonicalNumber = (n: number): string =>
  (typeof n === 'number' && Number.isFinite(n) ? (n === 0 ? '0' : String(n)) : canonicalJson(n));

/** SHA-256 (hex) of an entry chained to its predecessor. */
export const entryHash = (e: Omit<StoredEvent, 'hash' | 'day' | 'data'>, dataJson: string): string =>
  sha256Hex(entryHashInput(e, dataJson));

/** Checks one stored entry against its predecessor's hash; returns the reason it is bad, or null. */
export function checkEntry(
  e: Omit<StoredEvent, 'day' | 'data'>, dataJson: string, expectedSeq: number, expectedPrevHash: string,
): string | null {
  if (e.seq !== expectedSeq) return `sequence gap: expected seq ${expectedSeq}, found ${e.seq}`;
  if (e.prevHash !== expectedPrevHash) return `prevHash does not match the hash of seq ${expectedSeq - 1}`;
  if (!isCanonicalJsonText(dataJson)) {
    return isJson(dataJson) ? 'event data is not in canonical form (altered bytes)' : 'event data is not valid JSON';
  }
  const h = entryHash(e, dataJson);
  if (h !== e.hash) return 'hash mismatch: the stored event does not match its hash';
  return null;
}

/** The envelope with its day, in the form consumers see; `day` derives from occurredAt. */
export type { TradingDay };

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
