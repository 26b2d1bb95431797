import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { NewEvent, StoredEvent } from '../../domain/events/envelope.js';
import type {
  AppendResult, ExpectedVersion, Journal, JournalError, JournalHead, ReadFilter, Subscription,
} from '../../domain/ports/journal.js';
import {
  appendedResult, chainBatch, classifyExisting, concurrencyError, EMPTY_HEAD, emptyBatchResult, isStale,
  journalError, prepareBatch, type PreparedEvent, type StoredPosition,
} from './appendRules.js';
import { anchorFor, anchorKey, readAnchor, removeAnchor, writeAnchor } from './anchor.js';
import { startCatchUp, type CatchUp } from './catchUpSubscription.js';
import type { JournalKey } from './journalKey.js';
import { createJournalFile, removeJournalFiles } from './sqliteCreate.js';
import { openJournalDatabase, sqliteCode, storageError, type SqliteDatabase } from './sqliteOpen.js';
import { checkJournalSchema, ensureJournalSchema, EVENT_COLUMNS, rowToEvent, type EventRow } from './sqliteSchema.js';

/**
 * - `durable` (live, paper): WAL + `synchronous=FULL`; a committed batch survives power loss.
 * - `fast` (backtests): WAL + `synchronous=NORMAL`; a committed batch survives a process crash
 *   (kill -9) but the last batches may be lost on power loss or an OS crash (never half a batch:
 *   the file stays consistent). A backtest can simply be re-run.
 */
export type Durability = 'durable' | 'fast';

export interface SqliteJournalOptions {
  readonly path: string;
  readonly durability: Durability;
  /** Encrypt with SQLCipher 4 (see `JournalKey`); undefined = a plain SQLite file. */
  readonly key?: JournalKey;
  /** Create the file if missing (default false: JOURNAL_NOT_FOUND); it is made atomically (see `createJournalFile`). */
  readonly create?: boolean;
  /** With `create`: the file must not exist yet (else JOURNAL_EXISTS), so a new run never continues another's journal. */
  readonly exclusive?: boolean;
  /** Open for verify/inspect: appends are refused and the database file is not written. */
  readonly readonly?: boolean;
  /** The connection's page cache in MiB (default 32). */
  readonly cacheMiB?: number;
}

export interface SqliteJournal extends Journal {
  readonly path: string;
  readonly isEncrypted: boolean;
  /** The connection's settings as SQLite reports them now (`synchronous`: 1 = NORMAL, 2 = FULL). */
  pragmas(): { journalMode: string; synchronous: number };
}

/** How often a subscription looks for events appended by another process, ms. */
const POLL_MS = 200;
/** Rows per page of `read`; bounded because one event can be ~300 KB. */
const READ_PAGE = 64;
const SYNCHRONOUS_FULL = 2;

type TxOutcome = { readonly stale: true; readonly headSeq: number } | { readonly stale: false; readonly result: AppendResult };

/**
 * Opens (or with `create`, creates) a one-run journal file. WAL is always on. In `durable` mode the
 * connection's `synchronous` is read back after setting it and the open is refused with
 * `JOURNAL_DURABILITY` unless it is FULL. Every expected failure is a `JournalError` with one
 * sentence (wrong key, missing key, missing file, not a journal, disk full, read-only); nothing throws.
 */
export function openSqliteJournal(opts: SqliteJournalOptions): Either<JournalError, SqliteJournal> {
  if (opts.create !== true || opts.readonly === true) return openJournalFile(opts);
  const made = createJournalFile(opts.path, opts.key, opts.exclusive === true);
  if (isLeft(made)) return made;
  // A new journal file: an anchor left beside it belonged to a journal that is gone.
  if (made.right === 'created') removeAnchor(opts.path);
  const r = openJournalFile(opts);
  // A journal this call made but could not open (WAL refused on a full disk) is not left behind.
  if (isLeft(r) && made.right === 'created') removeJournalFiles(opts.path);
  return r;
}

function openJournalFile(opts: SqliteJournalOptions): Either<JournalError, SqliteJournal> {
  const opened = openJournalDatabase(opts);
  if (isLeft(opened)) return opened;
  const { db, isEncrypted } = opened.right;
  const { path } = opts;
  const ro = opts.readonly === true;
  try {
    if (!ro) db.pragma('journal_mode = WAL');
    db.pragma(opts.durability === 'durable' ? 'synchronous = FULL' : 'synchronous = NORMAL');
    // 32 MiB page cache. Event ids ascend in backtests and live ids land in a small journal, so the
    // unique event-id index no longer takes random inserts across a big file; 64 MiB cost a
    // full-market backtest ~130 MB of peak memory and bought no measurable speed (W3, 2026-12-07).
    db.pragma(`cache_size = -${Math.round((opts.cacheMiB ?? 32) * 1024)}`);
    // Backtests: checkpoint the WAL every ~40 MB instead of every ~4 MB. Each checkpoint fsyncs, and
    // on this class of machine that, not SQLite, bounds the append rate (measured: 24k → 54k events/s).
    if (opts.durability === 'fast' && !ro) db.pragma('wal_autocheckpoint = 10000');
    const mode = String(db.pragma('journal_mode', { simple: true }));
    const sync = Number(db.pragma('synchronous', { simple: true }));
    if (!ro && mode !== 'wal') {
      db.close();
      return left(journalError('JOURNAL_DURABILITY', `cannot open journal ${path}: SQLite refused WAL mode (it reports ${mode})`));
    }
    if (opts.durability === 'durable' && sync !== SYNCHRONOUS_FULL) {
      db.close();
      return left(journalError('JOURNAL_DURABILITY', `cannot open journal ${path} as durable: synchronous is ${sync}, not FULL (2)`));
    }
    const schema = ro ? checkJournalSchema(db, path) : ensureJournalSchema(db, path, opts.create === true);
    if (isLeft(schema)) {
      db.close();
      return schema;
    }
    const anchoring = ro ? null : openAnchor(db, path, opts);
    if (anchoring !== null && isLeft(anchoring)) {
      db.close();
      return anchoring;
    }
    return right(buildJournal(db, path, isEncrypted, ro, anchoring?.right ?? null));
  } catch (e) {
    db.close();
    return left(storageError(e, path, 'open'));
  }
}

interface Anchoring {
  readonly macKey: Buffer | null;
  readonly durable: boolean;
}

/**
 * A writer keeps the journal's head anchored beside it (see anchor.ts). Opening a journal whose
 * anchor is ahead of it is refused: its tail was cut, and writing on would bury that. A journal
 * without an anchor (made before anchors, or the anchor lost) is anchored at its head now.
 */
function openAnchor(db: SqliteDatabase, path: string, opts: SqliteJournalOptions): Either<JournalError, Anchoring> {
  const k = anchorKey(opts.key);
  if (isLeft(k)) return k;
  const a: Anchoring = { macKey: k.right, durable: opts.durability === 'durable' };
  const head = db.prepare<[], StoredPosition>('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1').get() ?? EMPTY_HEAD;
  const r = readAnchor(path);
  if (r.kind === 'ok' && r.anchor.seq > head.seq) {
    return left(journalError('JOURNAL_TRUNCATED', `journal ${path} ends at seq ${head.seq} but its anchor records seq ${r.anchor.seq}: events ${head.seq + 1}…${r.anchor.seq} are missing (ashare journal verify says more)`));
  }
  if (r.kind !== 'ok') anchorHead(path, a, head);
  return right(a);
}

/** Writes the anchor for `head`; a failure leaves the previous anchor (lagging, which verify accepts) and is retried with the next append. */
function anchorHead(path: string, a: Anchoring, head: { seq: number; hash: string }): void {
  try {
    writeAnchor(path, anchorFor(head, a.macKey, new Date().toISOString()), a.durable); // allow-nondeterminism: the anchor's wall time is outside the journal
  } catch { /* disk full or read-only: the journal itself is committed; the anchor lags */ }
}

function buildJournal(db: SqliteDatabase, path: string, isEncrypted: boolean, readonly: boolean, anchoring: Anchoring | null): SqliteJournal {
  const headStmt = db.prepare<[], StoredPosition>('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1');
  const positionStmt = db.prepare<[string], StoredPosition>('SELECT seq, hash FROM events WHERE event_id = ?');
  const pageStmt = db.prepare<[number, number], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq >= ? ORDER BY seq LIMIT ?`);
  const insertStmt = readonly ? undefined : db.prepare(
    `INSERT INTO events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const readStmts = new Map<string, ReturnType<typeof db.prepare>>();
  const subscribers = new Set<CatchUp>();
  let closed = false;

  const readHead = (): JournalHead => headStmt.get() ?? EMPTY_HEAD;
  const readPage = (from: number, limit: number): StoredEvent[] => pageStmt.all(from, limit).map(rowToEvent);
  const assertOpen = (): void => {
    if (closed) throw new Error(`journal ${path} is closed`);
  };

  // The whole batch is one transaction, begun IMMEDIATE so the head read and the inserts hold the
  // write lock together: another process cannot append in between.
  const appendTx = db.transaction((batch: readonly PreparedEvent[], expected: ExpectedVersion): TxOutcome => {
    const head = readHead();
    if (isStale(expected, head.seq)) return { stale: true, headSeq: head.seq };
    if (batch.length === 0) return { stale: false, result: emptyBatchResult(head) };
    const entries = chainBatch(batch, head);
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      insertStmt!.run(e.seq, e.eventId, e.stream, e.type, e.schemaVersion, e.occurredAt, e.recordedAt, e.day,
        e.causationId, e.correlationId, batch[i]!.dataJson, e.prevHash, e.hash);
    }
    return { stale: false, result: appendedResult(entries) };
  });

  function resolveConflict(batch: readonly PreparedEvent[], expected: ExpectedVersion, headSeq: number | undefined) {
    const existing = classifyExisting(batch.map((p) => p.event.eventId), expected, (id) => positionStmt.get(id));
    if (existing.kind === 'retry') return right(existing.result);
    if (existing.kind === 'duplicate') return left(existing.error);
    return left(concurrencyError(expected as number, headSeq ?? readHead().seq));
  }

  async function append(
    events: readonly NewEvent[], expected: ExpectedVersion = 'any',
  ): Promise<Either<JournalError, AppendResult>> {
    if (closed) return left(journalError('JOURNAL_CLOSED', `journal ${path} is closed`));
    if (readonly) return left(journalError('JOURNAL_IO', `journal ${path} is open read-only`));
    const prepared = prepareBatch(events);
    if (isLeft(prepared)) return prepared;
    const batch = prepared.right;
    let outcome: TxOutcome;
    try {
      outcome = appendTx.immediate(batch, expected);
    } catch (e) {
      // The transaction rolled back; an id already stored tells a retry from a duplicate.
      if (sqliteCode(e) === 'SQLITE_CONSTRAINT_UNIQUE') return resolveConflict(batch, expected, undefined);
      return left(storageError(e, path, 'append to'));
    }
    if (outcome.stale) {
      if (batch.length === 0) return left(concurrencyError(expected as number, outcome.headSeq));
      return resolveConflict(batch, expected, outcome.headSeq);
    }
    if (anchoring !== null && batch.length > 0) anchorHead(path, anchoring, { seq: outcome.result.lastSeq, hash: outcome.result.headHash });
    for (const s of subscribers) s.wake();
    return right(outcome.result);
  }

  function readStatement(f: ReadFilter) {
    const key = `${f.stream !== undefined ? 's' : ''}${f.day !== undefined ? 'd' : ''}${f.type !== undefined ? 't' : ''}`;
    let stmt = readStmts.get(key);
    if (stmt === undefined) {
      const where = ['seq >= @from', 'seq <= @to'];
      if (f.stream !== undefined) where.push('stream = @stream');
      if (f.day !== undefined) where.push('day = @day');
      if (f.type !== undefined) where.push('type = @type');
      stmt = db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT @limit`);
      readStmts.set(key, stmt);
    }
    return stmt;
  }

  // Pages with LIMIT rather than holding a cursor: better-sqlite3 cannot run other statements
  // (appends) on a connection while an iterator is open, and a consumer may await between events.
  async function* read(filter: ReadFilter = {}): AsyncGenerator<StoredEvent> {
    assertOpen();
    const stmt = readStatement(filter);
    const to = Math.min(filter.toSeq ?? Number.MAX_SAFE_INTEGER, readHead().seq); // the head at call time
    let from = Math.max(1, filter.fromSeq ?? 1);
    while (from <= to) {
      const params: Record<string, string | number> = { from, to, limit: READ_PAGE };
      if (filter.stream !== undefined) params['stream'] = filter.stream;
      if (filter.day !== undefined) params['day'] = filter.day;
      if (filter.type !== undefined) params['type'] = filter.type;
      const rows = stmt.all(params) as EventRow[];
      for (const r of rows) yield rowToEvent(r);
      if (rows.length < READ_PAGE) break;
      from = rows[rows.length - 1]!.seq + 1;
    }
  }

  function subscribe(fromSeq: number, onEvent: (e: StoredEvent) => void | Promise<void>): Subscription {
    assertOpen();
    const c: CatchUp = startCatchUp({
      fromSeq, onEvent, readPage, pollMs: POLL_MS, onClosed: () => subscribers.delete(c),
    });
    subscribers.add(c);
    return c.subscription;
  }

  return {
    path,
    isEncrypted,
    append,
    read,
    subscribe,
    async head() {
      assertOpen();
      return readHead();
    },
    pragmas() {
      assertOpen();
      return {
        journalMode: String(db.pragma('journal_mode', { simple: true })),
        synchronous: Number(db.pragma('synchronous', { simple: true })),
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscribers].map((s) => s.subscription.close()));
      // A cleanly closed journal is one self-contained file: leave WAL mode (which checkpoints and
      // removes the -wal/-shm files) so copies, exports and read-only opens see everything and
      // leave no side files. Another open connection makes this fail harmlessly: WAL stays.
      if (!readonly) {
        try { db.pragma('journal_mode = DELETE'); } catch { /* busy: keep WAL */ }
      }
      db.close();
    },
  };
}
