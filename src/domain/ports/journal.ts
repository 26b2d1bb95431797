import type { Either } from 'fp-ts/lib/Either.js';
import type { NewEvent, StoredEvent } from '../events/envelope.js';
import type { TradingDay } from '../tradingDay.js';

/**
 * Expected journal version for optimistic concurrency: the last `seq` the writer has seen
 * (0 = empty journal), or `'any'` to skip the check. An append whose expectation does not hold is
 * refused with `JOURNAL_CONCURRENCY` and writes nothing.
 */
export type ExpectedVersion = number | 'any';

export type JournalErrorCode =
  | 'JOURNAL_CONCURRENCY'
  | 'JOURNAL_DUPLICATE_EVENT'
  | 'JOURNAL_BAD_EVENT'
  | 'JOURNAL_KEY_INVALID'
  | 'JOURNAL_KEY_REQUIRED'
  | 'JOURNAL_NOT_FOUND'
  | 'JOURNAL_CORRUPT'
  /** The journal ends before the head its anchor records: events were cut from its tail. */
  | 'JOURNAL_TRUNCATED'
  /** The anchor beside the journal is missing, unreadable, or not this journal's (MAC). */
  | 'JOURNAL_ANCHOR'
  | 'JOURNAL_DURABILITY'
  | 'JOURNAL_CLOSED'
  | 'JOURNAL_UNAVAILABLE'
  | 'JOURNAL_IO'
  | 'JOURNAL_DISK_FULL'
  | 'JOURNAL_READ_ONLY'
  | 'JOURNAL_EXISTS';

/** An expected failure, with a stable code and one sentence for the user. */
export interface JournalError {
  readonly code: JournalErrorCode;
  readonly message: string;
  readonly seq?: number;
}

export interface AppendResult {
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** Hash of the last event of the batch: the new head of the chain. */
  readonly headHash: string;
  /** True when every event of the batch was already stored (an idempotent retry): nothing was written. */
  readonly deduplicated: boolean;
}

export interface JournalHead {
  readonly seq: number;
  readonly hash: string;
}

export interface ReadFilter {
  readonly fromSeq?: number;
  readonly toSeq?: number;
  readonly stream?: string;
  readonly day?: TradingDay;
  readonly type?: string;
}

export interface Subscription {
  /** Stops delivery; resolves once no handler call is running. */
  close(): Promise<void>;
}

/**
 * The system of record. Contract (one suite, run against every adapter):
 * - `append` writes the whole batch or nothing, in order, assigning consecutive `seq` from head + 1
 *   and chaining each event's hash to its predecessor's;
 * - optimistic concurrency on `expected`;
 * - a retried batch whose event ids are already stored, at the positions the retry expects, is
 *   acknowledged without being written twice; an event id stored elsewhere is `JOURNAL_DUPLICATE_EVENT`;
 * - reads by seq range, stream, trading day and type, always in seq order;
 * - `subscribe(fromSeq)` delivers every event with seq ≥ fromSeq in order, then new ones as they are appended.
 */
export interface Journal {
  append(events: readonly NewEvent[], expected?: ExpectedVersion): Promise<Either<JournalError, AppendResult>>;
  head(): Promise<JournalHead>;
  read(filter?: ReadFilter): AsyncIterable<StoredEvent>;
  subscribe(fromSeq: number, onEvent: (e: StoredEvent) => void | Promise<void>): Subscription;
  close(): Promise<void>;
}
