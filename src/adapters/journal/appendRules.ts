import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { canonicalJson } from '../../domain/canonicalJson.js';
import { storedBarsData } from '../../domain/events/barsCodec.js';
import { entryHash, GENESIS_HASH, type NewEvent, type StoredEvent } from '../../domain/events/envelope.js';
import type {
  AppendResult, ExpectedVersion, JournalError, JournalHead,
} from '../../domain/ports/journal.js';
import { dayOfMs, type TradingDay } from '../../domain/tradingDay.js';
import { journalError } from './journalError.js';

/*
 * The append rules every local journal adapter shares (memory, SQLite), so both give the same
 * answer to the same batch: validation, the single serialisation of `data`, hash chaining and the
 * idempotent-retry / duplicate / concurrency classification.
 */

export { journalError };

export const EMPTY_HEAD: JournalHead = Object.freeze({ seq: 0, hash: GENESIS_HASH });

/** An event checked and serialised once, ready to be chained. */
export interface PreparedEvent {
  readonly event: NewEvent;
  /** canonicalJson(event.data): the exact text that is stored and hashed. */
  readonly dataJson: string;
  readonly day: TradingDay;
}

/** A stored entry without its parsed `data`: what the adapters keep and write. */
export type Entry = Omit<StoredEvent, 'data'>;

// Date's range (±8.64e15 ms) minus margin for the exchange offset: dayOfMs must not throw.
const MAX_ABS_TIME_MS = 8.6e15;
const isTime = (ms: number): boolean => Number.isSafeInteger(ms) && Math.abs(ms) <= MAX_ABS_TIME_MS;
const isText = (s: unknown): s is string => typeof s === 'string' && s.length > 0;
const isOptionalText = (s: unknown): boolean => s === null || typeof s === 'string';

function checkEnvelope(e: NewEvent): string | null {
  if (!isText(e.eventId)) return 'eventId must be a non-empty string';
  if (!isText(e.stream)) return 'stream must be a non-empty string';
  if (!isText(e.type)) return 'type must be a non-empty string';
  if (!Number.isSafeInteger(e.schemaVersion) || e.schemaVersion < 1) return 'schemaVersion must be a positive integer';
  if (!isTime(e.occurredAt)) return 'occurredAt must be integer epoch milliseconds';
  if (!isTime(e.recordedAt)) return 'recordedAt must be integer epoch milliseconds';
  if (!isOptionalText(e.causationId)) return 'causationId must be a string or null';
  if (!isOptionalText(e.correlationId)) return 'correlationId must be a string or null';
  return null;
}

/**
 * Checks a batch and serialises each event's data exactly once, in its stored form (`BarsClosed`
 * from v2 is packed: barsCodec.ts; nothing here re-parses or deep-validates data: zod runs at
 * the edges, where decodeEvent also unpacks the bars).
 */
export function prepareBatch(events: readonly NewEvent[]): Either<JournalError, PreparedEvent[]> {
  const out: PreparedEvent[] = new Array(events.length);
  const seen = new Set<string>();
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const bad = checkEnvelope(e);
    if (bad !== null) return left(journalError('JOURNAL_BAD_EVENT', `event ${i} of the batch is invalid: ${bad}`));
    if (seen.has(e.eventId)) {
      return left(journalError('JOURNAL_DUPLICATE_EVENT', `the batch holds event id ${e.eventId} twice`));
    }
    seen.add(e.eventId);
    let dataJson: string;
    try {
      dataJson = canonicalJson(e.type === 'BarsClosed' ? storedBarsData(e.schemaVersion, e.data) : e.data);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return left(journalError('JOURNAL_BAD_EVENT', `event ${e.eventId} (${e.type}) has data that cannot be stored: ${why}`));
    }
    out[i] = { event: e, dataJson, day: dayOfMs(e.occurredAt) };
  }
  return right(out);
}

/** Places a prepared event at `seq`, chained to `prevHash`. */
export function chainEntry(p: PreparedEvent, seq: number, prevHash: string): Entry {
  const e = p.event;
  const unhashed = {
    seq, eventId: e.eventId, stream: e.stream, type: e.type, schemaVersion: e.schemaVersion,
    occurredAt: e.occurredAt, recordedAt: e.recordedAt, causationId: e.causationId,
    correlationId: e.correlationId, prevHash,
  };
  return { ...unhashed, day: p.day, hash: entryHash(unhashed, p.dataJson) };
}

/** Chains a whole batch after `head`. */
export function chainBatch(batch: readonly PreparedEvent[], head: JournalHead): Entry[] {
  const out: Entry[] = new Array(batch.length);
  let prev = head.hash;
  for (let i = 0; i < batch.length; i++) {
    const entry = chainEntry(batch[i]!, head.seq + 1 + i, prev);
    out[i] = entry;
    prev = entry.hash;
  }
  return out;
}

export const isStale = (expected: ExpectedVersion, headSeq: number): boolean =>
  expected !== 'any' && expected !== headSeq;

export const concurrencyError = (expected: number, headSeq: number): JournalError => journalError(
  'JOURNAL_CONCURRENCY',
  `the journal is at seq ${headSeq} but the writer expected ${expected}: another writer appended first`,
);

export const appendedResult = (entries: readonly Entry[]): AppendResult => ({
  firstSeq: entries[0]!.seq, lastSeq: entries[entries.length - 1]!.seq,
  headHash: entries[entries.length - 1]!.hash, deduplicated: false,
});

export const emptyBatchResult = (head: JournalHead): AppendResult => ({
  firstSeq: head.seq + 1, lastSeq: head.seq, headHash: head.hash, deduplicated: false,
});

export interface StoredPosition {
  readonly seq: number;
  readonly hash: string;
}

export type Existing =
  | { readonly kind: 'none' }
  | { readonly kind: 'retry'; readonly result: AppendResult }
  | { readonly kind: 'duplicate'; readonly error: JournalError };

/**
 * What the journal already holds of a (non-empty) batch's ids. A retry is acknowledged only when
 * every id is stored, consecutively and in batch order, where the retry expects it (right after
 * `expected`, or anywhere with `'any'`): anything else that reuses an id is a duplicate.
 */
export function classifyExisting(
  ids: readonly string[], expected: ExpectedVersion, positionOf: (id: string) => StoredPosition | undefined,
): Existing {
  const positions = ids.map(positionOf);
  const found = positions.findIndex((p) => p !== undefined);
  if (found < 0) return { kind: 'none' };
  const first = positions[0];
  const start = expected === 'any' ? first?.seq : expected + 1;
  const isRetry = first !== undefined && first.seq === start
    && positions.every((p, i) => p !== undefined && p.seq === first.seq + i);
  if (isRetry) {
    const last = positions[positions.length - 1]!;
    return { kind: 'retry', result: { firstSeq: first.seq, lastSeq: last.seq, headHash: last.hash, deduplicated: true } };
  }
  const id = ids[found]!;
  return {
    kind: 'duplicate',
    error: journalError('JOURNAL_DUPLICATE_EVENT', `event id ${id} is already stored at seq ${positions[found]!.seq}`),
  };
}
