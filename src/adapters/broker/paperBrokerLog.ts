import { chmodSync } from 'node:fs';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { BrokerError, BrokerOrder } from '../../domain/index.js';
import type { JournalKey } from '../journal/journalKey.js';
import { classifySqliteError, openKeyedSqlite, type KeyedDatabase } from '../sqlite/openKeyedSqlite.js';

/**
 * What the paper broker has been asked and has done, in order: its whole state is a replay of
 * these entries through the simulated exchange (deterministic), so only inputs are stored. A
 * `day` entry carries the hash of the answers it produced, so a replay against changed market
 * data is caught instead of silently rewriting the broker's history.
 */
export type PaperEntry =
  | { readonly kind: 'init'; readonly initialCashFen: number; readonly fromDay: string }
  | { readonly kind: 'submit'; readonly order: BrokerOrder; readonly duplicate: boolean }
  | { readonly kind: 'cancel'; readonly clientOrderId: string; readonly at: number }
  | { readonly kind: 'day'; readonly day: string; readonly answersHash: string };

/** The paper broker's own storage; `append` returns once the entry is durable. */
export interface PaperLog {
  readonly path: string | null;
  entries(): readonly PaperEntry[];
  append(entry: PaperEntry): Either<BrokerError, void>;
  close(): void;
}

/** Backtests: the same broker, kept in memory. */
export function memoryPaperLog(): PaperLog {
  const all: PaperEntry[] = [];
  return { path: null, entries: () => all, append: (e) => { all.push(e); return right(undefined); }, close: () => undefined };
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS paper_broker_ops (
  seq INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  body TEXT NOT NULL
)`;

/**
 * The paper broker's file beside the journal, as a real broker keeps its books apart from ours: it
 * survives the engine's crash. An SQLite file (encrypted with the journal's key when the journal
 * is), WAL with synchronous=FULL: every entry is its own durable transaction, so a kill leaves
 * whole entries only. Mode 0600.
 */
export function openPaperLog(path: string, key: JournalKey | undefined): Either<BrokerError, PaperLog> {
  const opened = openKeyedSqlite({ path, key, create: true }, 'paper broker file');
  if (isLeft(opened)) return left({ code: opened.left.kind === 'IO' ? 'BROKER_IO' : 'BROKER_UNAVAILABLE', message: opened.left.message });
  const db: KeyedDatabase = opened.right.db;
  let entries: PaperEntry[];
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(SCHEMA);
    chmodSync(path, 0o600);
    entries = (db.prepare('SELECT kind, body FROM paper_broker_ops ORDER BY seq').all() as { kind: string; body: string }[])
      .map((r) => JSON.parse(r.body) as PaperEntry);
  } catch (e) {
    db.close();
    return left({ code: 'BROKER_IO', message: classifySqliteError(e, 'paper broker file', path, 'read').message });
  }
  const insert = db.prepare('INSERT INTO paper_broker_ops (kind, body) VALUES (?, ?)');
  return right({
    path,
    entries: () => entries,
    append(e) {
      try {
        insert.run(e.kind, JSON.stringify(e));
      } catch (err) {
        return left({ code: 'BROKER_IO', message: classifySqliteError(err, 'paper broker file', path, 'write').message });
      }
      entries.push(e);
      return right(undefined);
    },
    close: () => db.close(),
  });
}
