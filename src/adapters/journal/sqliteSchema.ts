import { left, right, type Either } from 'fp-ts/lib/Either.js';
import type { StoredEvent } from '../../domain/events/envelope.js';
import type { EventId } from '../../domain/ids.js';
import type { JournalError } from '../../domain/ports/journal.js';
import type { TradingDay } from '../../domain/tradingDay.js';
import { journalError } from './journalError.js';
import { storageError, type SqliteDatabase } from './sqliteOpen.js';

/** Written into `meta` so a journal is recognised as one, and its layout versioned. */
export const JOURNAL_FORMAT = 'ashare-journal';
export const JOURNAL_FORMAT_VERSION = 1;

/** The envelope columns, in the order every query selects them. */
export const EVENT_COLUMNS = 'seq, event_id, stream, type, schema_version, occurred_at, recorded_at, day, '
  + 'causation_id, correlation_id, data, prev_hash, hash';

/** Each column's index in a raw row (`stmt.raw(true)`) selected as EVENT_COLUMNS. */
export const COL = {
  seq: 0, event_id: 1, stream: 2, type: 3, schema_version: 4, occurred_at: 5, recorded_at: 6, day: 7,
  causation_id: 8, correlation_id: 9, data: 10, prev_hash: 11, hash: 12,
} as const;

// `day` is derived from occurred_at (exchange time) and only indexes the log; it is not hashed.
const SCHEMA = `
CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL UNIQUE,
  stream TEXT NOT NULL,
  type TEXT NOT NULL,
  schema_version INTEGER NOT NULL,
  occurred_at INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  day TEXT NOT NULL,
  causation_id TEXT,
  correlation_id TEXT,
  data TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX events_stream_seq ON events (stream, seq);
CREATE INDEX events_day_seq ON events (day, seq);
CREATE INDEX events_type_seq ON events (type, seq);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

const notAJournal = (path: string): JournalError =>
  journalError('JOURNAL_CORRUPT', `${path} is a SQLite file but not an ashare journal`);

/**
 * Creates the schema in an empty database (when `create`), then checks that the file is an ashare
 * journal of a format this code reads. A database that already holds other tables is never
 * adopted: it is someone else's file.
 */
export function ensureJournalSchema(db: SqliteDatabase, path: string, create: boolean): Either<JournalError, void> {
  try {
    const tables = db.prepare('SELECT count(*) FROM sqlite_master').pluck().get() as number;
    if (tables === 0) {
      if (!create) return left(notAJournal(path));
      db.transaction(() => {
        db.exec(SCHEMA);
        const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
        put.run('format', JOURNAL_FORMAT);
        put.run('format_version', String(JOURNAL_FORMAT_VERSION));
        put.run('hash', 'sha256 over canonical JSON of the envelope, chained by prevHash');
      }).immediate();
    }
    return checkJournalSchema(db, path);
  } catch (e) {
    return left(storageError(e, path, 'initialise'));
  }
}

/** Checks the `meta` markers without writing anything (read-only opens). */
export function checkJournalSchema(db: SqliteDatabase, path: string): Either<JournalError, void> {
  let format: unknown;
  let version: unknown;
  try {
    const hasMeta = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('meta', 'events')")
      .pluck().get() as number;
    if (hasMeta !== 2) return left(notAJournal(path));
    const get = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
    format = get.get('format');
    version = get.get('format_version');
  } catch (e) {
    return left(storageError(e, path, 'read'));
  }
  if (format !== JOURNAL_FORMAT) return left(notAJournal(path));
  if (String(version) !== String(JOURNAL_FORMAT_VERSION)) {
    return left(journalError('JOURNAL_CORRUPT', `journal ${path} has format version ${String(version)}; this program reads version ${JOURNAL_FORMAT_VERSION}`));
  }
  return right(undefined);
}

/** A row of `events` as better-sqlite3 returns it. */
export interface EventRow {
  readonly seq: number;
  readonly event_id: string;
  readonly stream: string;
  readonly type: string;
  readonly schema_version: number;
  readonly occurred_at: number;
  readonly recorded_at: number;
  readonly day: string;
  readonly causation_id: string | null;
  readonly correlation_id: string | null;
  readonly data: string;
  readonly prev_hash: string;
  readonly hash: string;
}

export const rowToEvent = (r: EventRow): StoredEvent => ({
  seq: r.seq,
  eventId: r.event_id as EventId,
  stream: r.stream,
  type: r.type,
  schemaVersion: r.schema_version,
  occurredAt: r.occurred_at,
  recordedAt: r.recorded_at,
  day: r.day as TradingDay,
  causationId: r.causation_id,
  correlationId: r.correlation_id,
  data: JSON.parse(r.data) as unknown,
  prevHash: r.prev_hash,
  hash: r.hash,
});
