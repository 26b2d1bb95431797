import { ErrorType, type RecordedEvent } from '@kurrent/kurrentdb-client';
import { canonicalJson } from '../../domain/canonicalJson.js';
import { checkEntry, type StoredEvent } from '../../domain/events/envelope.js';
import { asEventId } from '../../domain/ids.js';
import type { JournalError, JournalErrorCode } from '../../domain/ports/journal.js';
import { dayOfMs } from '../../domain/tradingDay.js';

// How KurrentDB records and client errors map onto the journal's envelope and error codes.

/** The event metadata: the envelope minus what KurrentDB holds natively (id, type, data) and `day` (derived). */
export type Meta = Omit<StoredEvent, 'eventId' | 'type' | 'data' | 'day'>;

const TRANSIENT = new Set<unknown>([ErrorType.UNAVAILABLE, ErrorType.DEADLINE_EXCEEDED, ErrorType.TIMEOUT, ErrorType.NOT_LEADER]);
// Some client paths (e.g. the feature probe before an append) reject with a raw gRPC error, not a CommandError,
// so the gRPC status counts too: 4 = DEADLINE_EXCEEDED, 14 = UNAVAILABLE.
const GRPC_TRANSIENT = new Set<unknown>([4, 14]);
export const field = (e: unknown, k: 'type' | 'code'): unknown => (typeof e === 'object' && e !== null ? (e as Record<string, unknown>)[k] : undefined);
export const isTransient = (e: unknown): boolean => TRANSIENT.has(field(e, 'type')) || GRPC_TRANSIENT.has(field(e, 'code'));
export const fail = (code: JournalErrorCode, message: string, seq?: number): JournalError =>
  (seq === undefined ? { code, message } : { code, message, seq });
/** Reads and subscriptions cannot return an Either, so they throw an Error carrying the JournalError and its code. */
export const thrown = (e: JournalError): Error => Object.assign(new Error(e.message), { code: e.code, journalError: e });
const SIZE_ERRORS = new Set<unknown>([ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED, ErrorType.APPEND_RECORD_SIZE_EXCEEDED,
  ErrorType.TRANSACTION_MAX_SIZE_EXCEEDED]);

export function toJournalError(err: unknown, stream: string): JournalError {
  const carried = (err as { journalError?: JournalError } | null)?.journalError;
  if (carried) return carried;
  const type = field(err, 'type'), why = err instanceof Error ? err.message : String(err);
  if (isTransient(err) || type === ErrorType.CANCELLED) {
    return fail('JOURNAL_UNAVAILABLE', `KurrentDB did not answer for ${stream} (${why}); check the server in the connection string is up.`);
  }
  if (type === ErrorType.ACCESS_DENIED) {
    return fail('JOURNAL_UNAVAILABLE', `KurrentDB refused access to ${stream}; check the credentials in the connection string.`);
  }
  if (type === ErrorType.STREAM_DELETED || type === ErrorType.STREAM_TOMBSTONED) {
    return fail('JOURNAL_NOT_FOUND', `journal stream ${stream} was deleted on the KurrentDB server.`);
  }
  if (SIZE_ERRORS.has(type)) return fail('JOURNAL_BAD_EVENT', 'the batch is larger than the KurrentDB server accepts at once; split it.');
  return fail('JOURNAL_IO', `KurrentDB request on ${stream} failed: ${why}`);
}

const isMeta = (m: unknown): m is Meta => {
  const o = m as Partial<Meta> | null;
  const isRef = (v: unknown): boolean => v === null || typeof v === 'string';
  return typeof o === 'object' && o !== null && Number.isSafeInteger(o.seq) && typeof o.stream === 'string'
    && Number.isSafeInteger(o.schemaVersion) && Number.isSafeInteger(o.occurredAt) && Number.isSafeInteger(o.recordedAt)
    && isRef(o.causationId) && isRef(o.correlationId) && typeof o.prevHash === 'string' && typeof o.hash === 'string';
};

/** Rebuilds a stored event, checking its hash and its link to `prevHash` (its own claim when its predecessor was not read). */
export function decode(rec: RecordedEvent, expectSeq: number, prevHash: string | undefined): StoredEvent {
  const seq = Number(rec.revision) + 1;
  const corrupt = (why: string): Error => thrown(fail('JOURNAL_CORRUPT', `journal event at seq ${seq} is corrupt: ${why}.`, seq));
  const m = rec.metadata;
  if (!isMeta(m)) throw corrupt('its KurrentDB metadata is not a journal envelope');
  if (m.seq !== seq) throw corrupt(`its metadata says seq ${m.seq} but it sits at stream revision ${rec.revision}`);
  let dataJson: string;
  try { dataJson = canonicalJson(rec.data); } catch { throw corrupt('its data is not JSON'); }
  const e: StoredEvent = {
    seq, eventId: asEventId(rec.id.toLowerCase()), stream: m.stream, type: rec.type, schemaVersion: m.schemaVersion,
    occurredAt: m.occurredAt, recordedAt: m.recordedAt, causationId: m.causationId, correlationId: m.correlationId,
    data: rec.data, day: dayOfMs(m.occurredAt), prevHash: m.prevHash, hash: m.hash,
  };
  const why = checkEntry(e, dataJson, expectSeq, prevHash ?? m.prevHash);
  if (why !== null) throw corrupt(why);
  return e;
}
