import { isLeft } from 'fp-ts/lib/Either.js';
import { checkEntry, GENESIS_HASH } from '../../domain/events/envelope.js';
import type { EventId } from '../../domain/ids.js';
import type { JournalErrorCode } from '../../domain/ports/journal.js';
import { dayOfMs } from '../../domain/tradingDay.js';
import { anchorKey, anchorPathOf, anchorProblem, readAnchor } from './anchor.js';
import type { JournalKey } from './journalKey.js';
import { keyOrDamage } from './keyOrDamage.js';
import { openKeyedSqlite } from '../sqlite/openKeyedSqlite.js';
import { journalOpenError, sqliteCode, type SqliteDatabase } from './sqliteOpen.js';
import { checkJournalSchema, EVENT_COLUMNS, type EventRow } from './sqliteSchema.js';

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

type Failure = Extract<VerifyResult, { ok: false }>;

const fail = (code: VerifyFailureCode, seq: number | null, reason: string): Failure => ({ ok: false, code, seq, reason });

const describe = (e: unknown): string =>
  sqliteCode(e) ?? (e instanceof Error ? e.message.split('\n')[0]! : String(e));

/**
 * Verifies a journal file offline, read-only (the database file is not written): every row in seq
 * order must be the next seq, chain to its predecessor's hash, hold canonical JSON data and match
 * its own hash (`checkEntry`), and carry `day = dayOfMs(occurred_at)`. A storage error mid-walk is
 * reported at the seq after the last good one as "storage corrupt: …". When the walk passes, SQLite's
 * `integrity_check` must pass too: it also covers the indexes (the event-id index is what makes
 * retries idempotent) and free pages, which the walk never reads. Reports the first problem only.
 * An encrypted journal that will not open with the key is told apart by its head anchor where it
 * can (`keyOrDamage`): a damaged file (JOURNAL_CORRUPT) or a wrong key (JOURNAL_KEY_INVALID).
 */
export async function verifyJournalFile(path: string, key?: JournalKey, opts: { readonly anchor?: boolean } = {}): Promise<VerifyResult> {
  const opened = openKeyedSqlite({ path, key, readonly: true }, 'journal');
  if (isLeft(opened)) {
    const e = (opened.left.keyOrDamage === true && key !== undefined ? keyOrDamage(path, key) : null) ?? journalOpenError(opened.left);
    return fail(e.code, null, e.message);
  }
  const { db } = opened.right;
  try {
    const schema = checkJournalSchema(db, path);
    if (isLeft(schema)) return fail(schema.left.code, null, schema.left.message);
    const walked = walkChain(db);
    if (!walked.ok) return walked;
    const problem = firstIntegrityProblem(db);
    if (problem !== null) return fail('JOURNAL_CORRUPT', null, `storage corrupt: ${problem}`);
    if (opts.anchor === false) {
      return { ...walked, anchor: null, warning: `the head anchor (${anchorPathOf(path)}) was not checked (--no-anchor): events cut from the end of the journal would not be noticed` };
    }
    return checkAnchored(db, path, key, walked);
  } finally {
    db.close();
  }
}

/**
 * The chain must reach the head anchored beside the journal: a journal shorter than its anchor lost
 * its tail (exit 1, naming the missing seqs); a journal longer than it is a crash between a commit
 * and the anchor's update (accepted: the anchor lags, never leads) provided the anchored event is
 * the one in the journal. A missing, unreadable or forged anchor fails with what to do.
 */
function checkAnchored(db: SqliteDatabase, path: string, key: JournalKey | undefined, walked: Extract<VerifyResult, { ok: true }>): VerifyResult {
  const ap = anchorPathOf(path);
  const r = readAnchor(path);
  if (r.kind === 'missing' && walked.headSeq === 0) {
    // A creation killed after the empty journal was linked into place and before its first anchor
    // was written: there is no event to cut, and the first writer anchors it.
    return { ...walked, anchor: null, warning: `the journal is empty and has no head anchor yet (${ap}): its creation was interrupted before the anchor was written` };
  }
  if (r.kind === 'missing') {
    return fail('JOURNAL_ANCHOR', null, `no head anchor ${ap}: without it, events cut from the end of the journal cannot be noticed (if it was lost for a known reason, verify with --no-anchor)`);
  }
  if (r.kind === 'unreadable') return fail('JOURNAL_ANCHOR', null, `the head anchor ${ap} ${r.why}`);
  const k = anchorKey(key);
  if (isLeft(k)) return fail(k.left.code, null, k.left.message);
  const forged = anchorProblem(r.anchor, k.right);
  if (forged !== null) return fail('JOURNAL_ANCHOR', null, `the head anchor ${ap} ${forged}`);
  const a = r.anchor;
  if (a.seq > walked.headSeq) {
    const missing = a.seq === walked.headSeq + 1 ? `event ${a.seq} is` : `events ${walked.headSeq + 1}…${a.seq} are`;
    return fail('JOURNAL_TRUNCATED', walked.headSeq + 1, `the journal ends at seq ${walked.headSeq} but its anchor records seq ${a.seq} (written ${a.at}): ${missing} missing`);
  }
  const at = a.seq === 0 ? { hash: GENESIS_HASH } : db.prepare<[number], { hash: string }>('SELECT hash FROM events WHERE seq = ?').get(a.seq);
  if (at?.hash !== a.hash) {
    return fail('JOURNAL_ANCHOR', a.seq, `the event at seq ${a.seq} is not the one its anchor records (hash ${a.hash.slice(0, 12)}…): the journal was rewritten after it`);
  }
  return { ...walked, anchor: { seq: a.seq, hash: a.hash, at: a.at } };
}

function walkChain(db: SqliteDatabase): VerifyResult {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  try {
    const rows = db.prepare(`SELECT ${EVENT_COLUMNS} FROM events ORDER BY seq`).iterate() as IterableIterator<Record<string, unknown>>;
    for (const r of rows) {
      const bad = checkRow(r, expectedSeq, prevHash);
      if (bad !== null) return bad;
      prevHash = r['hash'] as string;
      expectedSeq++;
    }
  } catch (e) {
    return fail('JOURNAL_CORRUPT', expectedSeq, `storage corrupt: ${describe(e)}`);
  }
  return { ok: true, events: expectedSeq - 1, headSeq: expectedSeq - 1, headHash: prevHash };
}

const TEXT_COLUMNS = ['event_id', 'stream', 'type', 'day', 'data', 'prev_hash', 'hash'] as const;
const INT_COLUMNS = ['seq', 'schema_version', 'occurred_at', 'recorded_at'] as const;
const NULLABLE_TEXT_COLUMNS = ['causation_id', 'correlation_id'] as const;

/** A changed record header can turn a column into another storage class; say so rather than mis-hash it. */
function wrongColumnType(r: Record<string, unknown>): string | null {
  for (const c of TEXT_COLUMNS) if (typeof r[c] !== 'string') return c;
  for (const c of INT_COLUMNS) if (!Number.isSafeInteger(r[c])) return c;
  for (const c of NULLABLE_TEXT_COLUMNS) if (r[c] !== null && typeof r[c] !== 'string') return c;
  return null;
}

/** One row as SQLite returned it: the column types first (a changed record header), then `checkStoredRow`. */
export function checkRow(r: Record<string, unknown>, expectedSeq: number, prevHash: string): Failure | null {
  const column = wrongColumnType(r);
  if (column !== null) return fail('JOURNAL_CORRUPT', expectedSeq, `storage corrupt: column ${column} has the wrong type`);
  return checkStoredRow(r as unknown as Omit<EventRow, 'data'>, r['data'] as string, expectedSeq, prevHash);
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
  const reason = checkEntry(entry, dataJson, expectedSeq, prevHash);
  if (reason !== null) return fail('JOURNAL_HASH_MISMATCH', expectedSeq, reason);
  let day: string;
  try {
    day = dayOfMs(entry.occurredAt);
  } catch {
    return fail('JOURNAL_CORRUPT', expectedSeq, 'occurred_at is not a valid time');
  }
  if (r.day !== day) return fail('JOURNAL_CORRUPT', expectedSeq, `day column says ${String(r.day)} but occurred_at falls on ${day}`);
  return null;
}

function firstIntegrityProblem(db: SqliteDatabase): string | null {
  try {
    const rows = db.prepare('PRAGMA integrity_check(1)').pluck().all() as unknown[];
    const first = String(rows[0] ?? 'no answer');
    return first === 'ok' ? null : first;
  } catch (e) {
    return describe(e);
  }
}
