import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type pg from 'pg';
import { GENESIS_HASH } from '../../domain/events/envelope.js';
import type { JournalError, JournalErrorCode } from '../../domain/ports/journal.js';
import { classifyPgError, type PgFailureKind } from '../postgres/pgConnection.js';
import { journalError } from './journalError.js';
import type { JournalKey } from './journalKey.js';
import { isKeyCheckOk, kdfOf, newSalt, payloadCipher, sealKeyCheck, type PayloadCipher } from './payloadCipher.js';

/*
 * The PostgreSQL journal's tables. Many journals share one database: `ashare_journals` has one row
 * per journal (its head, and how its payloads are sealed), `ashare_events` its events keyed by
 * (journal, seq), with the event id unique per journal. `day` is derived from occurred_at and only
 * indexes the log (it is not hashed), as in the SQLite journal.
 */

export const PG_EVENT_COLUMNS = 'seq, event_id, stream, type, schema_version, occurred_at, recorded_at, day, '
  + 'causation_id, correlation_id, data, prev_hash, hash';

const DDL = `
CREATE TABLE IF NOT EXISTS ashare_journals (
  name text PRIMARY KEY,
  head_seq bigint NOT NULL DEFAULT 0,
  head_hash text NOT NULL,
  kdf text,
  salt bytea,
  key_check bytea,
  format_version integer NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS ashare_events (
  journal text NOT NULL REFERENCES ashare_journals (name),
  seq bigint NOT NULL,
  event_id text NOT NULL,
  stream text NOT NULL,
  type text NOT NULL,
  schema_version integer NOT NULL,
  occurred_at bigint NOT NULL,
  recorded_at bigint NOT NULL,
  day text NOT NULL,
  causation_id text,
  correlation_id text,
  data bytea NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (journal, seq),
  UNIQUE (journal, event_id)
);
CREATE INDEX IF NOT EXISTS ashare_events_stream ON ashare_events (journal, stream, seq);
CREATE INDEX IF NOT EXISTS ashare_events_day ON ashare_events (journal, day, seq);
CREATE INDEX IF NOT EXISTS ashare_events_type ON ashare_events (journal, type, seq);
`;

/** Serialises concurrent schema creation (two first writers would otherwise race on the catalog). */
const SCHEMA_LOCK = 0x61736861; // "asha"

export const PG_CODES: Readonly<Record<PgFailureKind, JournalErrorCode>> = {
  UNAVAILABLE: 'JOURNAL_UNAVAILABLE', NOT_FOUND: 'JOURNAL_NOT_FOUND', FULL: 'JOURNAL_DISK_FULL', READONLY: 'JOURNAL_READ_ONLY', IO: 'JOURNAL_IO',
};

/** A driver error as a JournalError with one sentence (the URL's password is never in it). */
export function pgJournalError(err: unknown, url: string, action: string): JournalError {
  const f = classifyPgError(err, url, action);
  return journalError(PG_CODES[f.kind], f.message);
}

export const isValidJournalName = (n: string): boolean => /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(n);

export interface JournalRow {
  readonly name: string;
  readonly head_seq: number;
  readonly head_hash: string;
  readonly kdf: string | null;
  readonly salt: Buffer | null;
  readonly key_check: Buffer | null;
}

export interface OpenRowOptions {
  readonly name: string;
  readonly key?: JournalKey;
  readonly create: boolean;
  readonly exclusive: boolean;
  /** How the journal is named in messages (its URL with the password redacted). */
  readonly shown: string;
}

async function tablesExist(pool: pg.Pool): Promise<boolean> {
  const r = await pool.query<{ t: string | null }>(`SELECT to_regclass('ashare_events')::text AS t`);
  return r.rows[0]?.t != null;
}

async function createTables(pool: pg.Pool): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    await c.query(DDL);
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}

/**
 * Finds (or with `create`, makes) the journal's row and checks the key against it: a key for an
 * unencrypted journal, no key for an encrypted one, or a key that does not open its key check are
 * refused with one sentence. Returns the row and the payload cipher (undefined: plain payloads).
 */
export async function openJournalRow(
  pool: pg.Pool, o: OpenRowOptions,
): Promise<Either<JournalError, { row: JournalRow; cipher: PayloadCipher | undefined }>> {
  if (!(await tablesExist(pool))) {
    if (!o.create) return left(journalError('JOURNAL_NOT_FOUND', `journal ${o.shown} does not exist (the database has no journal tables)`));
    await createTables(pool);
  }
  let row = (await pool.query<JournalRow>('SELECT name, head_seq, head_hash, kdf, salt, key_check FROM ashare_journals WHERE name = $1', [o.name])).rows[0];
  if (row !== undefined && o.create && o.exclusive) {
    return left(journalError('JOURNAL_EXISTS', `journal ${o.shown} already exists; a new run never continues another's journal`));
  }
  if (row === undefined) {
    if (!o.create) return left(journalError('JOURNAL_NOT_FOUND', `journal ${o.shown} does not exist`));
    let fresh: { kdf: string | null; salt: Buffer | null; keyCheck: Buffer | null } = { kdf: null, salt: null, keyCheck: null };
    if (o.key !== undefined) {
      const salt = newSalt();
      const c = payloadCipher(o.key, salt);
      if (isLeft(c)) return c;
      fresh = { kdf: kdfOf(o.key), salt, keyCheck: sealKeyCheck(c.right, o.name) };
    }
    const ins = await pool.query<JournalRow>(
      `INSERT INTO ashare_journals (name, head_seq, head_hash, kdf, salt, key_check) VALUES ($1, 0, $2, $3, $4, $5)
       ON CONFLICT (name) DO NOTHING RETURNING name, head_seq, head_hash, kdf, salt, key_check`,
      [o.name, GENESIS_HASH, fresh.kdf, fresh.salt, fresh.keyCheck],
    );
    row = ins.rows[0];
    if (row === undefined) {
      if (o.exclusive) return left(journalError('JOURNAL_EXISTS', `journal ${o.shown} already exists; a new run never continues another's journal`));
      row = (await pool.query<JournalRow>('SELECT name, head_seq, head_hash, kdf, salt, key_check FROM ashare_journals WHERE name = $1', [o.name])).rows[0]!;
    }
  }
  const cipher = keyFor(row, o);
  return isLeft(cipher) ? cipher : right({ row, cipher: cipher.right });
}

function keyFor(row: JournalRow, o: OpenRowOptions): Either<JournalError, PayloadCipher | undefined> {
  if (row.kdf === null) {
    if (o.key === undefined) return right(undefined);
    return left(journalError('JOURNAL_KEY_INVALID', `journal ${o.shown} is not encrypted but a key was given; open it without one`));
  }
  if (o.key === undefined) return left(journalError('JOURNAL_KEY_REQUIRED', `journal ${o.shown} is encrypted: give its key (--key-file, ASHARE_JOURNAL_KEY_FILE or ASHARE_JOURNAL_PASSPHRASE)`));
  if (kdfOf(o.key) !== row.kdf) {
    const was = row.kdf === 'raw' ? 'a key file' : 'a passphrase';
    return left(journalError('JOURNAL_KEY_INVALID', `journal ${o.shown} was encrypted with ${was}; the key given is not one`));
  }
  const c = payloadCipher(o.key, row.salt ?? Buffer.alloc(0));
  if (isLeft(c)) return c;
  if (row.key_check === null || !isKeyCheckOk(c.right, row.name, row.key_check)) {
    return left(journalError('JOURNAL_KEY_INVALID', `the key does not open journal ${o.shown} (wrong key or passphrase)`));
  }
  return right(c.right);
}
