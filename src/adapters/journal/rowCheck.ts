import { checkEntry, type StoredEvent } from '../../domain/events/envelope.js';
import type { EventId } from '../../domain/ids.js';
import type { JournalErrorCode } from '../../domain/ports/journal.js';
import { dayOfMs } from '../../domain/tradingDay.js';
import { sqliteCode, type SqliteDatabase } from './sqliteOpen.js';
import { COL, type EventRow } from './sqliteSchema.js';

/*
 * What every journal check says of one stored row (verify, the tail verifier, the PostgreSQL walk):
 * the result type, and the row's seq, link, canonical data, hash and day; and SQLite's own check.
 */

export type VerifyFailureCode = 'JOURNAL_HASH_MISMATCH' | JournalErrorCode;

export type VerifyResult =
  | {
    readonly ok: true; readonly events: number; readonly headSeq: number; readonly headHash: string;
    /** The anchored head the chain was found to reach (it may lag the journal after a crash); null when not checked. */
    readonly anchor?: { readonly seq: number; readonly hash: string; readonly at: string } | null;
    /** Said beside an OK that is qualified (the anchor was not checked). */
    readonly warning?: string;
  }
  | {
    readonly ok: false;
    readonly code: VerifyFailureCode;
    /** The first bad seq; null when the problem is not in one event (cannot open, schema, free pages). */
    readonly seq: number | null;
    readonly reason: string;
  };

export type Failure = Extract<VerifyResult, { ok: false }>;

export const fail = (code: VerifyFailureCode, seq: number | null, reason: string): Failure => ({ ok: false, code, seq, reason });

/** A storage error in one short phrase: SQLite's code, else the message's first line. */
export const describeStorageError = (e: unknown): string =>
  sqliteCode(e) ?? (e instanceof Error ? e.message.split('\n')[0]! : String(e));

/** A changed record header can turn a column into another storage class; say so rather than mis-hash it (unrolled: this runs per row). */
function wrongColumnType(r: readonly unknown[]): string | null {
  if (typeof r[COL.event_id] !== 'string') return 'event_id';
  if (typeof r[COL.stream] !== 'string') return 'stream';
  if (typeof r[COL.type] !== 'string') return 'type';
  if (typeof r[COL.day] !== 'string') return 'day';
  if (typeof r[COL.data] !== 'string') return 'data';
  if (typeof r[COL.prev_hash] !== 'string') return 'prev_hash';
  if (typeof r[COL.hash] !== 'string') return 'hash';
  if (!Number.isSafeInteger(r[COL.seq])) return 'seq';
  if (!Number.isSafeInteger(r[COL.schema_version])) return 'schema_version';
  if (!Number.isSafeInteger(r[COL.occurred_at])) return 'occurred_at';
  if (!Number.isSafeInteger(r[COL.recorded_at])) return 'recorded_at';
  if (r[COL.causation_id] !== null && typeof r[COL.causation_id] !== 'string') return 'causation_id';
  if (r[COL.correlation_id] !== null && typeof r[COL.correlation_id] !== 'string') return 'correlation_id';
  return null;
}

/** One raw row as SQLite returned it (EVENT_COLUMNS order): the column types first (a changed record header), then its entry. */
export function checkRow(r: readonly unknown[], expectedSeq: number, prevHash: string): Failure | null {
  const column = wrongColumnType(r);
  if (column !== null) return fail('JOURNAL_CORRUPT', expectedSeq, `storage corrupt: column ${column} has the wrong type`);
  const entry = {
    seq: r[COL.seq] as number, eventId: r[COL.event_id] as EventId, stream: r[COL.stream] as string, type: r[COL.type] as string,
    schemaVersion: r[COL.schema_version] as number, occurredAt: r[COL.occurred_at] as number, recordedAt: r[COL.recorded_at] as number,
    causationId: r[COL.causation_id] as string | null, correlationId: r[COL.correlation_id] as string | null,
    prevHash: r[COL.prev_hash] as string, hash: r[COL.hash] as string,
  };
  return checkStoredEntry(entry, r[COL.day] as string, r[COL.data] as string, expectedSeq, prevHash);
}

/**
 * Walks raw rows (`rows()` is called inside the guard: preparing can fail too) in seq order from
 * `expectedSeq`, each chained to the one before from `prevHash`: the first problem — a storage
 * error at the row it could not read — or where the walk ended (`nextSeq`, the last row's hash).
 */
export function walkRows(
  rows: () => Iterable<readonly unknown[]>, expectedSeq: number, prevHash: string,
): Failure | { readonly ok: true; readonly nextSeq: number; readonly lastHash: string } {
  try {
    for (const r of rows()) {
      const bad = checkRow(r, expectedSeq, prevHash);
      if (bad !== null) return bad;
      prevHash = r[COL.hash] as string;
      expectedSeq++;
    }
  } catch (e) {
    return fail('JOURNAL_CORRUPT', expectedSeq, `storage corrupt: ${describeStorageError(e)}`);
  }
  return { ok: true, nextSeq: expectedSeq, lastHash: prevHash };
}

/**
 * One stored row against the chain, whatever the backend: the entry's seq, link and hash over
 * `dataJson` (its canonical payload text), and the day column derived from occurred_at.
 */
export function checkStoredRow(r: Omit<EventRow, 'data'>, dataJson: string, expectedSeq: number, prevHash: string): Failure | null {
  const entry = {
    seq: r.seq, eventId: r.event_id as EventId, stream: r.stream, type: r.type, schemaVersion: r.schema_version,
    occurredAt: r.occurred_at, recordedAt: r.recorded_at, causationId: r.causation_id, correlationId: r.correlation_id,
    prevHash: r.prev_hash, hash: r.hash,
  };
  return checkStoredEntry(entry, r.day, dataJson, expectedSeq, prevHash);
}

function checkStoredEntry(entry: Omit<StoredEvent, 'day' | 'data'>, dayColumn: string, dataJson: string, expectedSeq: number, prevHash: string): Failure | null {
  const reason = checkEntry(entry, dataJson, expectedSeq, prevHash);
  if (reason !== null) return fail('JOURNAL_HASH_MISMATCH', expectedSeq, reason);
  let day: string;
  try {
    day = dayOfMs(entry.occurredAt);
  } catch {
    return fail('JOURNAL_CORRUPT', expectedSeq, 'occurred_at is not a valid time');
  }
  if (dayColumn !== day) return fail('JOURNAL_CORRUPT', expectedSeq, `day column says ${String(dayColumn)} but occurred_at falls on ${day}`);
  return null;
}

/** SQLite's integrity_check: its first complaint, or null when it says ok. */
export function firstIntegrityProblem(db: SqliteDatabase): string | null {
  try {
    const rows = db.prepare('PRAGMA integrity_check(1)').pluck().all() as unknown[];
    const first = String(rows[0] ?? 'no answer');
    return first === 'ok' ? null : first;
  } catch (e) {
    return describeStorageError(e);
  }
}
