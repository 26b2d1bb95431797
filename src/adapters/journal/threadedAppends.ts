import { Worker } from 'node:worker_threads';
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { storedBarsData } from '../../domain/events/barsCodec.js';
import type { NewEvent } from '../../domain/events/envelope.js';
import type { AppendResult, ExpectedVersion, JournalError } from '../../domain/ports/journal.js';
import type { AppendWorkerData, AppendWorkerReply, AppendWorkerRequest } from './appendWorker.js';
import { journalError } from './journalError.js';
import type { JournalKey } from './journalKey.js';
import type { Durability, SqliteJournal } from './sqliteJournal.js';
import { workerUrl } from '../workerUrl.js';

export interface ThreadedAppendsOptions {
  readonly durability: Durability;
  readonly key: JournalKey | undefined;
  /** The worker script (default: the compiled appendWorker.js, see workerUrl). */
  readonly workerUrl?: URL;
  /** Told once whether the appends run on the worker (true) or, as it could not start, here (false). */
  readonly onThread?: (threaded: boolean) => void;
}

/**
 * A day's bars travel packed, in the form they are stored and hashed in (prepareBatch keeps a packed
 * `BarsClosed` as it is): one string to copy instead of a dozen columns of a thousand values. Bars
 * that do not pack go as they are, for the worker's prepareBatch to refuse with its reason.
 */
function packedForPost(e: NewEvent): NewEvent {
  if (e.type !== 'BarsClosed') return e;
  try {
    return { ...e, data: storedBarsData(e.schemaVersion, e.data) };
  } catch {
    return e;
  }
}

/**
 * `journal` (a new backtest journal, opened here) with its appends done on a worker thread with its
 * own connection, so serialising, hashing and committing a day overlap the engine's next day
 * instead of following it. Appends commit in the order they are called and each answers as before
 * (a refused batch is a Left, never half written); reads, subscriptions and the head use this
 * thread's connection and see what is committed. A worker that cannot start leaves the appends on
 * this thread; one that dies fails every later append with JOURNAL_IO. Only for a single writer
 * that does not need its batches committed before it goes on (a backtest): a live service needs
 * each decision on disk before the next step, and appends in its own thread.
 */
export function withThreadedAppends(journal: SqliteJournal, o: ThreadedAppendsOptions): SqliteJournal {
  const pending = new Map<number, (r: Either<JournalError, AppendResult>) => void>();
  let nextId = 1;
  let failure: JournalError | null = null;
  let closed: Promise<void> | null = null;
  let worker: Worker | null = null;
  let exited = false;
  /** Resolves true when the worker has opened the journal, false when the appends stay here. */
  const ready = new Promise<boolean>((resolve) => {
    const data: AppendWorkerData = { path: journal.path, durability: o.durability, key: o.key };
    let w: Worker;
    try {
      // A small young generation: the worker holds a day's batch at a time (the launcher's 32 MB semi-spaces are for the engine).
      w = new Worker(o.workerUrl ?? workerUrl('appendWorker.js', import.meta.url), { workerData: data, stdout: true, stderr: true, resourceLimits: { maxYoungGenerationSizeMb: 16 } });
    } catch {
      resolve(false);
      return;
    }
    let opened = false;
    const stop = (why: string) => {
      failure ??= journalError('JOURNAL_IO', `the journal ${journal.path}'s writer thread stopped (${why}); what it committed is intact`);
      for (const [, done] of pending) done(left(failure));
      pending.clear();
    };
    w.on('message', (m: AppendWorkerReply) => {
      if (m.op === 'opened') {
        opened = m.error === null;
        if (opened) worker = w;
        resolve(opened);
      } else if (m.op === 'appended') {
        const done = pending.get(m.id);
        pending.delete(m.id);
        done?.('ok' in m.result ? right(m.result.ok) : left(m.result.error));
      }
    });
    w.on('error', (e) => {
      if (!opened) resolve(false);
      else stop(e instanceof Error ? e.message : String(e));
    });
    w.on('exit', (code) => {
      exited = true;
      if (!opened) resolve(false);
      else if (closed === null) stop(`exit ${code}`);
    });
  });
  ready.then((threaded) => o.onThread?.(threaded), () => undefined);

  async function append(events: readonly NewEvent[], expected: ExpectedVersion = 'any'): Promise<Either<JournalError, AppendResult>> {
    if (closed !== null) return left(journalError('JOURNAL_CLOSED', `journal ${journal.path} is closed`));
    if (!(await ready) || worker === null) return journal.append(events, expected);
    if (failure !== null) return left(failure);
    const w = worker;
    return new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      w.postMessage({ op: 'append', id, events: events.map(packedForPost), expected } satisfies AppendWorkerRequest);
    });
  }

  async function closeAll(): Promise<void> {
    if ((await ready) && worker !== null && !exited) {
      const w = worker;
      await new Promise<void>((resolve) => {
        w.once('exit', () => resolve());
        w.on('message', (m: AppendWorkerReply) => { if (m.op === 'closed') void w.terminate(); });
        w.postMessage({ op: 'close' } satisfies AppendWorkerRequest);
      });
    }
    await journal.close(); // this connection last: it takes the file out of WAL mode (one file, no side files)
  }

  return {
    path: journal.path,
    isEncrypted: journal.isEncrypted,
    append,
    read: (filter) => journal.read(filter),
    subscribe: (fromSeq, onEvent) => journal.subscribe(fromSeq, onEvent),
    head: () => journal.head(),
    pragmas: () => journal.pragmas(),
    close: () => (closed ??= closeAll()),
  };
}
