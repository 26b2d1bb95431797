import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { NewEvent, StoredEvent } from '../../domain/events/envelope.js';
import type {
  AppendResult, ExpectedVersion, Journal, JournalError, JournalHead, ReadFilter, Subscription,
} from '../../domain/ports/journal.js';
import {
  appendedResult, chainBatch, classifyExisting, concurrencyError, EMPTY_HEAD, emptyBatchResult, isStale,
  journalError, prepareBatch, type Entry,
} from './appendRules.js';
import { startCatchUp, type CatchUp } from './catchUpSubscription.js';

interface Row {
  readonly entry: Entry;
  readonly dataJson: string;
}

/**
 * An in-memory journal for tests and audit replays, with the SQLite journal's semantics: the same
 * validation, hash chain and retry rules, `data` stored as its canonical JSON text (so a read gives
 * a fresh copy, as from disk, and mutating an appended object later changes nothing stored).
 */
export function createMemoryJournal(): Journal {
  const rows: Row[] = []; // rows[i] holds seq i + 1
  const seqById = new Map<string, number>();
  const subscribers = new Set<CatchUp>();
  let closed = false;

  const toStored = (r: Row): StoredEvent => ({ ...r.entry, data: JSON.parse(r.dataJson) as unknown });
  const headOf = (): JournalHead => {
    const last = rows[rows.length - 1];
    return last === undefined ? EMPTY_HEAD : { seq: last.entry.seq, hash: last.entry.hash };
  };
  const positionOf = (id: string) => {
    const seq = seqById.get(id);
    return seq === undefined ? undefined : { seq, hash: rows[seq - 1]!.entry.hash };
  };
  const assertOpen = (): void => {
    if (closed) throw new Error('the memory journal is closed');
  };

  async function append(
    events: readonly NewEvent[], expected: ExpectedVersion = 'any',
  ): Promise<Either<JournalError, AppendResult>> {
    if (closed) return left(journalError('JOURNAL_CLOSED', 'the memory journal is closed'));
    const prepared = prepareBatch(events);
    if (isLeft(prepared)) return prepared;
    const head = headOf();
    if (prepared.right.length === 0) {
      return isStale(expected, head.seq) ? left(concurrencyError(expected as number, head.seq)) : right(emptyBatchResult(head));
    }
    const existing = classifyExisting(prepared.right.map((p) => p.event.eventId), expected, positionOf);
    if (existing.kind === 'retry') return right(existing.result);
    if (existing.kind === 'duplicate') return left(existing.error);
    if (isStale(expected, head.seq)) return left(concurrencyError(expected as number, head.seq));
    const entries = chainBatch(prepared.right, head);
    entries.forEach((entry, i) => {
      rows.push({ entry, dataJson: prepared.right[i]!.dataJson });
      seqById.set(entry.eventId, entry.seq);
    });
    for (const s of subscribers) s.wake();
    return right(appendedResult(entries));
  }

  async function* read(filter: ReadFilter = {}): AsyncGenerator<StoredEvent> {
    assertOpen();
    // Up to the head at the time of the call, like the SQLite journal.
    const to = Math.min(filter.toSeq ?? rows.length, rows.length);
    for (let seq = Math.max(1, filter.fromSeq ?? 1); seq <= to; seq++) {
      const r = rows[seq - 1]!;
      const e = r.entry;
      if (filter.stream !== undefined && e.stream !== filter.stream) continue;
      if (filter.day !== undefined && e.day !== filter.day) continue;
      if (filter.type !== undefined && e.type !== filter.type) continue;
      yield toStored(r);
    }
  }

  function subscribe(fromSeq: number, onEvent: (e: StoredEvent) => void | Promise<void>): Subscription {
    assertOpen();
    const c: CatchUp = startCatchUp({
      fromSeq,
      onEvent,
      readPage: (from, limit) => rows.slice(from - 1, from - 1 + limit).map(toStored),
      onClosed: () => subscribers.delete(c),
    });
    subscribers.add(c);
    return c.subscription;
  }

  return {
    append,
    read,
    subscribe,
    async head() {
      assertOpen();
      return headOf();
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscribers].map((s) => s.subscription.close()));
    },
  };
}
