import { isLeft, right, type Either } from 'fp-ts/lib/Either.js';
import type { JournalError, JournalHead } from '../../domain/ports/journal.js';
import type { JournalKey } from './journalKey.js';
import { openJournalDatabase, type SqliteDatabase } from './sqliteOpen.js';
import { COL, EVENT_COLUMNS } from './sqliteSchema.js';
import { checkRow, describeStorageError, fail, walkRows, type VerifyResult } from './rowCheck.js';

/** Re-verifies a journal file its writer is still appending to, a stretch at a time, on its own read-only connection. */
export interface TailVerifier {
  /**
   * Checks the events after `from` (a head verified before) up to `to`, the head the writer last
   * committed: the event at `from` must still be there with the same hash and match it; each later
   * one must be the next seq, chain to its predecessor and match its own hash (`checkRow`, as
   * `verifyJournalFile` does); and the file must reach `to` with `to`'s hash. Reads only those rows,
   * so the cost follows what was appended, not the journal's length; rows after `to` (a commit in
   * flight) are left to the next check. Reports the first problem only.
   */
  check(from: JournalHead, to: JournalHead): VerifyResult;
  close(): void;
}

/** Opens `path` read-only (keyed like the writer) for `TailVerifier.check`; the file must exist. */
export function openTailVerifier(path: string, key?: JournalKey): Either<JournalError, TailVerifier> {
  const opened = openJournalDatabase({ path, key, readonly: true });
  if (isLeft(opened)) return opened;
  const { db } = opened.right;
  return right({
    check: (from, to) => checkTailOn(db, from, to),
    close() {
      db.close();
    },
  });
}

/** `TailVerifier.check` on an open connection (also the second half of a parallel `verifyJournalFile`). */
export function checkTailOn(db: SqliteDatabase, from: JournalHead, to: JournalHead): VerifyResult {
  const at = db.prepare<[number], Row>(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq = ?`).raw(true);
  const between = db.prepare<[number, number], Row>(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq > ? AND seq <= ? ORDER BY seq`).raw(true);
  const rows: Rows = { at: (seq) => at.get(seq), between: (a, b) => between.iterate(a, b) };
  try {
    // One read transaction: the tip and the rows after it are seen as of one instant.
    return db.transaction(() => checkTail(rows, from, to))();
  } catch (e) {
    return fail('JOURNAL_CORRUPT', from.seq + 1, `storage corrupt: ${describeStorageError(e)}`);
  }
}

/** A raw row: columns in EVENT_COLUMNS order (see COL). */
type Row = readonly unknown[];
interface Rows {
  at(seq: number): Row | undefined;
  /** Rows with seq in (after, upTo], in seq order. */
  between(after: number, upTo: number): Iterable<Row>;
}

function checkTail(rows: Rows, from: JournalHead, to: JournalHead): VerifyResult {
  if (from.seq > 0) {
    const tip = rows.at(from.seq);
    if (tip === undefined) return fail('JOURNAL_TRUNCATED', from.seq, `event ${from.seq}, verified before, is no longer in the journal`);
    if (tip[COL.hash] !== from.hash) return fail('JOURNAL_HASH_MISMATCH', from.seq, `event ${from.seq} no longer has the hash it was verified with (${from.hash.slice(0, 12)}…): it was rewritten`);
    // Its link is covered by its hash; its data and envelope must still match that hash.
    const bad = checkRow(tip, from.seq, tip[COL.prev_hash] as string);
    if (bad !== null) return bad;
  }
  const w = walkRows(() => rows.between(from.seq, to.seq), from.seq + 1, from.hash);
  if (!w.ok) return w;
  const last = w.nextSeq - 1, prevHash = w.lastHash;
  if (last < to.seq) {
    return fail('JOURNAL_TRUNCATED', last + 1, `the journal ends at seq ${last} but its writer committed up to seq ${to.seq}: ${last + 1 === to.seq ? `event ${to.seq} is` : `events ${last + 1}…${to.seq} are`} missing`);
  }
  if (prevHash !== to.hash) return fail('JOURNAL_HASH_MISMATCH', last, `event ${last} is not the one its writer committed (hash ${to.hash.slice(0, 12)}…): it was rewritten`);
  return { ok: true, events: last - from.seq, headSeq: last, headHash: prevHash };
}
