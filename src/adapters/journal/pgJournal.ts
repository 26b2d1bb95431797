import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type pg from 'pg';
import type { NewEvent, StoredEvent } from '../../domain/events/envelope.js';
import type {
  AppendResult, ExpectedVersion, Journal, JournalError, JournalHead, ReadFilter, Subscription,
} from '../../domain/ports/journal.js';
import { createClient, createPool, redactUrl, takeParams } from '../postgres/pgConnection.js';
import {
  appendedResult, chainBatch, classifyExisting, concurrencyError, emptyBatchResult, isStale, journalError,
  prepareBatch, type PreparedEvent, type StoredPosition,
} from './appendRules.js';
import { startCatchUp, type CatchUp } from './catchUpSubscription.js';
import type { JournalKey } from './journalKey.js';
import { payloadAad, type PayloadCipher } from './payloadCipher.js';
import { pgRowToEvent, type PgEventRow } from './pgRows.js';
import { isValidJournalName, openJournalRow, PG_EVENT_COLUMNS, pgJournalError } from './pgSchema.js';
import type { Durability } from './sqliteJournal.js';

export interface PgJournalOptions {
  /** `postgres://user:password@host:port/db?journal=NAME` (journal name defaults to `main`). */
  readonly url: string;
  readonly durability: Durability;
  /** Seal every payload with AES-256-GCM under this key (see payloadCipher.ts); undefined = plain payloads. */
  readonly key?: JournalKey;
  readonly create?: boolean;
  readonly exclusive?: boolean;
  readonly readonly?: boolean;
  /** Look for events appended elsewhere every `pollMs` ms besides LISTEN/NOTIFY (default 2000; 0 = notifications only). */
  readonly pollMs?: number;
}

export interface PgJournal extends Journal {
  /** The journal's URL with the password redacted: what messages and logs show. */
  readonly shown: string;
  readonly name: string;
  readonly isEncrypted: boolean;
}

/** The NOTIFY channel: the payload is `journal name:last seq`. */
export const PG_CHANNEL = 'ashare_journal';
const READ_PAGE = 256;

/** The journal name a URL selects, and the URL the driver gets (without our parameter). */
export function pgJournalTarget(url: string): { driverUrl: string; name: string } {
  const { url: driverUrl, params } = takeParams(url, ['journal']);
  return { driverUrl, name: params.get('journal') ?? 'main' };
}

/**
 * Opens (or with `create`, creates) a journal on a PostgreSQL server. Appends from any number of
 * processes or machines are serialised by a row lock on the journal's row, so `expected` holds
 * across them: of two writers at the same version exactly one wins, the other gets
 * JOURNAL_CONCURRENCY. Subscriptions turn live through LISTEN/NOTIFY. Nothing throws for an expected
 * failure (unreachable server, refused login, wrong key, missing journal): each is a JournalError.
 */
export async function openPgJournal(o: PgJournalOptions): Promise<Either<JournalError, PgJournal>> {
  const shown = redactUrl(o.url);
  const { driverUrl, name } = pgJournalTarget(o.url);
  if (!isValidJournalName(name)) {
    return left(journalError('JOURNAL_NOT_FOUND', `${JSON.stringify(name)} is not a valid journal name (letters, digits, _ . -)`));
  }
  const pool = createPool(driverUrl, 4, 'ashare-journal');
  try {
    const opened = await openJournalRow(pool, {
      name, key: o.key, create: o.create === true && o.readonly !== true, exclusive: o.exclusive === true, shown,
    });
    if (isLeft(opened)) {
      await pool.end();
      return opened;
    }
    return right(buildPgJournal(pool, driverUrl, shown, name, opened.right.cipher, o));
  } catch (e) {
    await pool.end().catch(() => undefined);
    return left(pgJournalError(e, driverUrl, `open journal ${shown}`));
  }
}

type TxOutcome = { readonly stale: true; readonly headSeq: number } | { readonly stale: false; readonly result: AppendResult }
  | { readonly duplicateId: true };

function buildPgJournal(
  pool: pg.Pool, driverUrl: string, shown: string, name: string, cipher: PayloadCipher | undefined, o: PgJournalOptions,
): PgJournal {
  const ro = o.readonly === true;
  const subscribers = new Set<CatchUp>();
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();
  let listener: pg.Client | undefined;
  let listening: Promise<void> | undefined;
  const pollMs = o.pollMs ?? 2000;

  const decode = (r: PgEventRow): StoredEvent => pgRowToEvent(r, cipher, name);
  const readHead = async (): Promise<JournalHead> => {
    const r = await pool.query<{ head_seq: number; head_hash: string }>('SELECT head_seq, head_hash FROM ashare_journals WHERE name = $1', [name]);
    const row = r.rows[0];
    if (row === undefined) throw new Error(`journal ${shown} no longer exists`);
    return { seq: row.head_seq, hash: row.head_hash };
  };
  const readPage = async (from: number, limit: number): Promise<StoredEvent[]> => {
    const r = await pool.query<PgEventRow>(
      `SELECT ${PG_EVENT_COLUMNS} FROM ashare_events WHERE journal = $1 AND seq >= $2 ORDER BY seq LIMIT $3`, [name, from, limit]);
    return r.rows.map(decode);
  };
  const assertOpen = (): void => {
    if (closed) throw new Error(`journal ${shown} is closed`);
  };

  /** One transaction: lock the journal's row (every writer, every machine, queues here), check, insert, move the head, notify. */
  async function appendTx(batch: readonly PreparedEvent[], expected: ExpectedVersion): Promise<TxOutcome> {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      if (o.durability === 'fast') await c.query('SET LOCAL synchronous_commit = off');
      const locked = await c.query<{ head_seq: number; head_hash: string }>(
        'SELECT head_seq, head_hash FROM ashare_journals WHERE name = $1 FOR UPDATE', [name]);
      const h = locked.rows[0];
      if (h === undefined) throw new Error(`journal ${shown} no longer exists`);
      const head: JournalHead = { seq: h.head_seq, hash: h.head_hash };
      if (isStale(expected, head.seq)) {
        await c.query('ROLLBACK');
        return { stale: true, headSeq: head.seq };
      }
      if (batch.length === 0) {
        await c.query('ROLLBACK');
        return { stale: false, result: emptyBatchResult(head) };
      }
      const entries = chainBatch(batch, head);
      const col = <T>(f: (i: number) => T): T[] => entries.map((_, i) => f(i));
      const data = col((i) => {
        const json = batch[i]!.dataJson;
        return cipher === undefined ? Buffer.from(json, 'utf8') : cipher.seal(json, payloadAad(name, entries[i]!.seq));
      });
      const last = entries[entries.length - 1]!;
      try {
        await c.query(
          `WITH ins AS (
             INSERT INTO ashare_events (journal, ${PG_EVENT_COLUMNS})
             SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bigint[], $8::bigint[],
               $9::text[], $10::text[], $11::text[], $12::bytea[], $13::text[], $14::text[])
           ), head AS (UPDATE ashare_journals SET head_seq = $15, head_hash = $16 WHERE name = $1)
           SELECT pg_notify('${PG_CHANNEL}', $1 || ':' || $15::text)`,
          [name, col((i) => entries[i]!.seq), col((i) => entries[i]!.eventId), col((i) => entries[i]!.stream),
            col((i) => entries[i]!.type), col((i) => entries[i]!.schemaVersion), col((i) => entries[i]!.occurredAt),
            col((i) => entries[i]!.recordedAt), col((i) => entries[i]!.day), col((i) => entries[i]!.causationId),
            col((i) => entries[i]!.correlationId), data, col((i) => entries[i]!.prevHash), col((i) => entries[i]!.hash),
            last.seq, last.hash],
        );
      } catch (e) {
        await c.query('ROLLBACK');
        if ((e as { code?: string }).code === '23505') return { duplicateId: true };
        throw e;
      }
      await c.query('COMMIT');
      return { stale: false, result: appendedResult(entries) };
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  }

  async function resolveConflict(batch: readonly PreparedEvent[], expected: ExpectedVersion): Promise<Either<JournalError, AppendResult>> {
    const ids = batch.map((p) => p.event.eventId);
    const r = await pool.query<StoredPosition & { event_id: string }>(
      'SELECT event_id, seq, hash FROM ashare_events WHERE journal = $1 AND event_id = ANY($2::text[])', [name, ids]);
    const found = new Map(r.rows.map((x) => [x.event_id, { seq: x.seq, hash: x.hash }]));
    const existing = classifyExisting(ids, expected, (id) => found.get(id));
    if (existing.kind === 'retry') return right(existing.result);
    if (existing.kind === 'duplicate') return left(existing.error);
    return left(concurrencyError(expected as number, (await readHead()).seq));
  }

  async function appendNow(events: readonly NewEvent[], expected: ExpectedVersion): Promise<Either<JournalError, AppendResult>> {
    const prepared = prepareBatch(events);
    if (isLeft(prepared)) return prepared;
    const batch = prepared.right;
    try {
      const outcome = await appendTx(batch, expected);
      if ('duplicateId' in outcome) return await resolveConflict(batch, expected);
      if (outcome.stale) {
        if (batch.length === 0) return left(concurrencyError(expected as number, outcome.headSeq));
        return await resolveConflict(batch, expected);
      }
      if (batch.length > 0) for (const s of subscribers) s.wake();
      return right(outcome.result);
    } catch (e) {
      return left(pgJournalError(e, driverUrl, `append to journal ${shown}`));
    }
  }

  async function* read(f: ReadFilter = {}): AsyncGenerator<StoredEvent> {
    assertOpen();
    const to = Math.min(f.toSeq ?? Number.MAX_SAFE_INTEGER, (await readHead()).seq); // the head at call time
    const where = ['journal = $1', 'seq >= $2', 'seq <= $3'];
    const extra: (string | number)[] = [];
    for (const [col, v] of [['stream', f.stream], ['day', f.day], ['type', f.type]] as const) {
      if (v !== undefined) { extra.push(v); where.push(`${col} = $${extra.length + 4}`); }
    }
    const sql = `SELECT ${PG_EVENT_COLUMNS} FROM ashare_events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $4`;
    let from = Math.max(1, f.fromSeq ?? 1);
    while (from <= to) {
      const rows = (await pool.query<PgEventRow>(sql, [name, from, to, READ_PAGE, ...extra])).rows;
      for (const r of rows) yield decode(r);
      if (rows.length < READ_PAGE) break;
      from = rows[rows.length - 1]!.seq + 1;
    }
  }

  /** One LISTEN connection per open journal, made at the first subscription; a notification for this journal wakes every subscriber. */
  function ensureListening(): void {
    if (listening !== undefined) return;
    const l = createClient(driverUrl, 'ashare-journal-listen');
    listener = l;
    l.on('notification', (m) => {
      if (m.channel === PG_CHANNEL && m.payload?.startsWith(`${name}:`)) for (const s of subscribers) s.wake();
    });
    listening = l.connect().then(() => l.query(`LISTEN ${PG_CHANNEL}`)).then(
      () => { for (const s of subscribers) s.wake(); }, // catch up on anything appended while connecting
      () => undefined, // no notifications: the poll still delivers
    );
  }

  function subscribe(fromSeq: number, onEvent: (e: StoredEvent) => void | Promise<void>): Subscription {
    assertOpen();
    ensureListening();
    const c: CatchUp = startCatchUp({
      fromSeq, onEvent, readPage, ...(pollMs > 0 ? { pollMs } : {}), onClosed: () => subscribers.delete(c),
    });
    subscribers.add(c);
    return c.subscription;
  }

  return {
    shown, name, isEncrypted: cipher !== undefined, read, subscribe,
    append(events, expected = 'any') {
      if (closed) return Promise.resolve(left(journalError('JOURNAL_CLOSED', `journal ${shown} is closed`)));
      if (ro) return Promise.resolve(left(journalError('JOURNAL_IO', `journal ${shown} is open read-only`)));
      // One append at a time per process: the order of this writer's batches is the order of its calls.
      const p = queue.then(() => appendNow(events, expected));
      queue = p;
      return p;
    },
    async head() {
      assertOpen();
      return readHead();
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscribers].map((s) => s.subscription.close()));
      await queue.catch(() => undefined);
      await listening;
      await listener?.end().catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
  };
}
