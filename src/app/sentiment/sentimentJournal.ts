import { isLeft } from 'fp-ts/lib/Either.js';
import { createRandomIds } from '../../adapters/ids/idGenerators.js';
import type { JournalKey, SqliteJournal } from '../../adapters/journal/index.js';
import { openSqliteJournal } from '../../adapters/journal/index.js';
import type { DataOf } from '../../domain/index.js';
import { CURRENT_SCHEMA_VERSION, dayOfMs } from '../../domain/index.js';
import { AppError, EXIT, journalAppError } from '../errors.js';
import { readJournalFile } from '../journalio/index.js';
import { knownScores, type ScoreOutcome } from './scoreItems.js';

/**
 * The sentiment journal (`ashare sentiment score --journal`): a hash-chained journal of every score
 * and failed request, the store later runs, backtests and replays read instead of calling the API.
 */
export async function readKnownScores(path: string, key: JournalKey | undefined): Promise<Map<string, DataOf<'SentimentScored'>>> {
  const r = await readJournalFile(path, key);
  if (isLeft(r)) {
    if (r.left.code === 'JOURNAL_NOT_FOUND') return new Map();
    throw new AppError(r.left.code, r.left.message, EXIT.journal);
  }
  return knownScores(r.right);
}

/** Appends the outcome's new events as one transaction (nothing when there are none). */
export async function journalScores(path: string, key: JournalKey | undefined, events: ScoreOutcome['events'], now: number): Promise<{ lastSeq: number; headHash: string } | null> {
  if (events.length === 0) return null;
  const opened = openSqliteJournal({ path, durability: 'durable', key, create: true });
  if (isLeft(opened)) throw new AppError(opened.left.code, opened.left.message, EXIT.journal);
  const j: SqliteJournal = opened.right;
  try {
    const ids = createRandomIds();
    const r = await j.append(events.map((e) => ({
      eventId: ids.eventId(), stream: 'sentiment', type: e.type, schemaVersion: CURRENT_SCHEMA_VERSION[e.type], occurredAt: now, recordedAt: now,
      causationId: null, correlationId: e.type === 'SentimentScored' ? (e.data.symbol ?? dayOfMs(now)) : dayOfMs(now), data: e.data,
    })), 'any');
    if (isLeft(r)) throw journalAppError({ code: r.left.code, message: `cannot write ${path}: ${r.left.message}` }, path);
    return { lastSeq: r.right.lastSeq, headHash: r.right.headHash };
  } finally {
    await j.close();
  }
}
