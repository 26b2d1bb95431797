import { isLeft } from 'fp-ts/lib/Either.js';
import { GENESIS_HASH } from '../../domain/events/envelope.js';
import { createPool, redactUrl } from '../postgres/pgConnection.js';
import type { JournalKey } from './journalKey.js';
import { pgJournalTarget } from './pgJournal.js';
import { PayloadUnreadable, rowDataJson, type PgEventRow } from './pgRows.js';
import { isValidJournalName, openJournalRow, PG_EVENT_COLUMNS, pgJournalError } from './pgSchema.js';
import { checkStoredRow, type VerifyFailureCode, type VerifyResult } from './rowCheck.js';

const PAGE = 1000;

type Failure = Extract<VerifyResult, { ok: false }>;
const fail = (code: VerifyFailureCode, seq: number | null, reason: string): Failure => ({ ok: false, code, seq, reason });

/**
 * Verifies a PostgreSQL journal, reading only: every event in seq order must be the next seq, chain
 * to its predecessor's hash, unseal (encrypted journals) to canonical JSON that matches its own hash,
 * and carry `day = dayOfMs(occurred_at)`; the journal row's head must be the last event. The same
 * verdicts as `verifyJournalFile`, reporting the first problem only.
 */
export async function verifyPgJournal(url: string, key?: JournalKey): Promise<VerifyResult> {
  const shown = redactUrl(url);
  const { driverUrl, name } = pgJournalTarget(url);
  if (!isValidJournalName(name)) return fail('JOURNAL_NOT_FOUND', null, `${JSON.stringify(name)} is not a valid journal name`);
  const pool = createPool(driverUrl, 2, 'ashare-journal-verify');
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  try {
    const opened = await openJournalRow(pool, { name, key, create: false, exclusive: false, shown });
    if (isLeft(opened)) return fail(opened.left.code, null, opened.left.message);
    const { cipher } = opened.right;
    // One snapshot for the walk and the head, so a writer appending meanwhile is simply not seen.
    const c = await pool.connect();
    try {
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const head = (await c.query<{ head_seq: number; head_hash: string }>('SELECT head_seq, head_hash FROM ashare_journals WHERE name = $1', [name])).rows[0]!;
      for (;;) {
        const rows = (await c.query<PgEventRow>(
          `SELECT ${PG_EVENT_COLUMNS} FROM ashare_events WHERE journal = $1 AND seq >= $2 ORDER BY seq LIMIT $3`,
          [name, expectedSeq, PAGE])).rows;
        for (const r of rows) {
          const bad = checkStoredRow(r, rowDataJson(r, cipher, name), expectedSeq, prevHash);
          if (bad !== null) return bad;
          prevHash = r.hash;
          expectedSeq++;
        }
        if (rows.length < PAGE) break;
      }
      if (head.head_seq !== expectedSeq - 1 || head.head_hash !== prevHash) {
        return fail('JOURNAL_CORRUPT', null, `the journal's head says seq ${head.head_seq} but its events end at seq ${expectedSeq - 1} (or with another hash)`);
      }
    } finally {
      await c.query('ROLLBACK').catch(() => undefined);
      c.release();
    }
    const last = expectedSeq - 1;
    return { ok: true, events: last, headSeq: last, headHash: prevHash };
  } catch (e) {
    if (e instanceof PayloadUnreadable) return fail('JOURNAL_CORRUPT', e.seq, e.message);
    const err = pgJournalError(e, driverUrl, `verify journal ${shown}`);
    return fail(err.code, null, err.message);
  } finally {
    await pool.end().catch(() => undefined);
  }
}
