import { parentPort, workerData } from 'node:worker_threads';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { NewEvent } from '../../domain/events/envelope.js';
import type { AppendResult, ExpectedVersion, JournalError } from '../../domain/ports/journal.js';
import type { JournalKey } from './journalKey.js';
import { openSqliteJournal, type Durability, type SqliteJournal } from './sqliteJournal.js';

/*
 * The thread a backtest's appends run on (see threadedAppends.ts): it opens the journal file the
 * main thread created and appends each batch it is sent, in the order sent, through the same SQLite
 * adapter (same serialisation, hashes, transactions and head anchor), answering each with its result.
 */

export interface AppendWorkerData {
  readonly path: string;
  readonly durability: Durability;
  readonly key: JournalKey | undefined;
}

export type AppendWorkerRequest =
  | { readonly op: 'append'; readonly id: number; readonly events: readonly NewEvent[]; readonly expected: ExpectedVersion }
  | { readonly op: 'close' };

export type AppendWorkerReply =
  | { readonly op: 'opened'; readonly error: JournalError | null }
  | { readonly op: 'appended'; readonly id: number; readonly result: { readonly ok: AppendResult } | { readonly error: JournalError } }
  | { readonly op: 'closed' };

if (parentPort !== null) {
  const port = parentPort;
  const d = workerData as AppendWorkerData;
  // Appends touch the last pages of the table and of each index: a small page cache holds them
  // (the process's peak memory is the full-market goal's limit; 8 vs 32 MiB measured no slower on W2).
  const opened = openSqliteJournal({ path: d.path, durability: d.durability, key: d.key, cacheMiB: 8 });
  if (isLeft(opened)) {
    port.postMessage({ op: 'opened', error: opened.left } satisfies AppendWorkerReply);
    port.close();
  } else {
    const journal: SqliteJournal = opened.right;
    port.postMessage({ op: 'opened', error: null } satisfies AppendWorkerReply);
    // Messages arrive in order and each append completes before the next is taken (the adapter's
    // append does its work synchronously), so batches commit in the order they were sent.
    port.on('message', (m: AppendWorkerRequest) => {
      if (m.op === 'close') {
        void journal.close().finally(() => { port.postMessage({ op: 'closed' } satisfies AppendWorkerReply); port.close(); });
        return;
      }
      void journal.append(m.events, m.expected).then((r) => {
        port.postMessage({ op: 'appended', id: m.id, result: isLeft(r) ? { error: r.left } : { ok: r.right } } satisfies AppendWorkerReply);
      });
    });
  }
}
