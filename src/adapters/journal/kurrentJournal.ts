import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import {
  BACKWARDS, END, ErrorType, FORWARDS, KurrentDBClient, NO_STREAM, START,
  type AppendResult as KurrentAppendResult, type AppendToStreamOptions, type Direction, type JSONEventData,
  type JSONType, type ReadStreamOptions, type RecordedEvent, type ResolvedEvent, type SubscribeToStreamOptions,
} from '@kurrent/kurrentdb-client';
import { GENESIS_HASH, type NewEvent, type StoredEvent } from '../../domain/events/envelope.js';
import { isUuid } from '../../domain/ids.js';
import type {
  AppendResult, ExpectedVersion, Journal, JournalError, JournalHead, ReadFilter, Subscription,
} from '../../domain/ports/journal.js';
import { decode, fail, field, isTransient, thrown, toJournalError } from './kurrentCodec.js';
import {
  appendedResult, chainBatch, classifyExisting, concurrencyError, emptyBatchResult, isStale, journalError,
  prepareBatch, type PreparedEvent,
} from './appendRules.js';

/** The slice of `KurrentDBClient` this adapter uses: the real client satisfies it, tests inject a fake. */
export interface KurrentStreamClient {
  appendToStream(stream: string, events: JSONEventData[],
    options: Pick<AppendToStreamOptions, 'streamState'>): Promise<KurrentAppendResult>;
  readStream(stream: string,
    options: Pick<ReadStreamOptions, 'fromRevision' | 'direction' | 'maxCount'>): AsyncIterable<ResolvedEvent>;
  subscribeToStream(stream: string, options: Pick<SubscribeToStreamOptions, 'fromRevision'>):
    AsyncIterable<ResolvedEvent> & { unsubscribe(): Promise<void> };
  dispose(): Promise<void>;
}

/** Transient failures (unavailable, deadline exceeded, timeout, not leader) are retried with doubling backoff. */
export interface KurrentRetryOptions {
  /** Attempts per request, the first included (default 5). */
  readonly attempts?: number;
  /** First delay in ms, doubled per attempt up to `maxDelayMs` (defaults 100 and 2000). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface KurrentJournalOptions {
  readonly journalName: string;
  readonly retry?: KurrentRetryOptions;
  /** Gets the error that stopped a subscription (a handler's throw, or an Error with a JournalError `code`).
   * Default: rethrown as an uncaught exception, like the local journals, since a silently dead feed is worse. */
  readonly onSubscriptionError?: (error: unknown) => void;
}

/** The KurrentDB stream that holds journal `journalName`; seq n is stream revision n − 1. */
export const kurrentStreamName = (journalName: string): string => `ashare-journal-${journalName}`;

/**
 * Opens journal `journalName` on an injected client; the journal then owns it (disposed on close).
 * One KurrentDB stream per journal, seq n ↔ revision n − 1, envelope and hash chain in the event metadata,
 * chained with the local journals' append rules. Reads by stream, day and type read the stream from the
 * revision of `fromSeq` and filter client-side (KurrentDB has no index on our envelope). Duplicate-id detection
 * keeps an in-memory id → seq index, built by one verifying scan of the stream at the first append: memory
 * and that first scan grow with the journal.
 */
export async function createKurrentJournal(
  client: KurrentStreamClient, opts: KurrentJournalOptions,
): Promise<Either<JournalError, Journal>> {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(opts.journalName)) {
    return left(fail('JOURNAL_NOT_FOUND', `${JSON.stringify(opts.journalName)} is not a valid journal name (letters, digits, _ . -).`));
  }
  const name = kurrentStreamName(opts.journalName);
  const r = opts.retry ?? {};
  const attempts = Math.max(1, r.attempts ?? 5);
  const sleep = r.sleep ?? ((ms: number) => new Promise<void>((res) => setTimeout(res, ms)));
  const backoff = (n: number): Promise<void> => sleep(Math.min(r.maxDelayMs ?? 2000, (r.baseDelayMs ?? 100) * 2 ** (n - 1)));
  const onSubError = opts.onSubscriptionError ?? ((e: unknown) => { queueMicrotask(() => { throw e; }); });

  /** Revisions [from, to], resuming after the last event delivered when a transient failure cuts the read. */
  async function* records(from: number, to?: number, direction: Direction = FORWARDS): AsyncGenerator<RecordedEvent> {
    for (let next = from, failures = 0; ;) {
      try {
        const maxCount = direction === BACKWARDS ? 1 : to === undefined ? undefined : to - next + 1;
        if (maxCount !== undefined && maxCount <= 0) return;
        const fromRevision = direction === BACKWARDS ? END : BigInt(next);
        for await (const re of client.readStream(name, { fromRevision, direction, ...(maxCount === undefined ? {} : { maxCount }) })) {
          if (re.event === undefined) continue;
          failures = 0; next = Number(re.event.revision) + 1;
          yield re.event;
        }
        return;
      } catch (err) {
        if (field(err, 'type') === ErrorType.STREAM_NOT_FOUND) return;
        if (!isTransient(err) || ++failures >= attempts) throw thrown(toJournalError(err, name));
        await backoff(failures);
      }
    }
  }
  /** Events with seq in [fromSeq, toSeq], chain-checked; the predecessor is read too, so the first link is checked. */
  async function* verified(fromSeq: number, toSeq?: number, knownPrev?: string): AsyncGenerator<StoredEvent> {
    const start = knownPrev !== undefined ? fromSeq : Math.max(1, fromSeq - 1);
    let prev = knownPrev ?? (start === 1 ? GENESIS_HASH : undefined), expect = start;
    for await (const rec of records(start - 1, toSeq === undefined ? undefined : toSeq - 1)) {
      const e = decode(rec, expect++, prev);
      prev = e.hash;
      if (e.seq >= fromSeq) yield e;
    }
  }
  async function readHead(): Promise<JournalHead> {
    for await (const rec of records(0, undefined, BACKWARDS)) {
      const e = decode(rec, Number(rec.revision) + 1, undefined);
      return { seq: e.seq, hash: e.hash };
    }
    return { seq: 0, hash: GENESIS_HASH };
  }

  try { await readHead(); } catch (err) { return left(toJournalError(err, name)); }

  // `tip`/`ids`: what this process has indexed (seq 1..tip); appends chain from tip. `dirty`: an append ended
  // with its outcome unknown, so the index is re-read before the next one.
  let closed = false, dirty = false, tip: JournalHead = { seq: 0, hash: GENESIS_HASH }, ids: Map<string, number> | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  const subs = new Set<Subscription>();
  const closedError = (): Error => thrown(fail('JOURNAL_CLOSED', 'the journal is closed.'));
  async function sync(): Promise<void> {
    const index = (ids ??= new Map<string, number>());
    for await (const e of verified(tip.seq + 1, undefined, tip.hash)) { index.set(e.eventId, e.seq); tip = { seq: e.seq, hash: e.hash }; }
    dirty = false;
  }
  /** Answers a batch from what is stored (idempotent retry, duplicate, stale expectation), or undefined to write it. */
  async function settle(batch: readonly PreparedEvent[], expected: ExpectedVersion, mayHaveLanded: boolean) {
    if (batch.length === 0) return isStale(expected, tip.seq) ? left(concurrencyError(expected as number, tip.seq)) : right(emptyBatchResult(tip));
    // The index holds seqs only (hashes would double its memory): the one hash a retry answer needs is read back.
    const found = classifyExisting(batch.map((p) => p.event.eventId), expected, (id) => {
      const seq = ids!.get(id);
      return seq === undefined ? undefined : { seq, hash: '' };
    });
    if (found.kind === 'duplicate') return left(found.error);
    if (found.kind === 'retry') {
      let headHash = '';
      for await (const e of verified(found.result.lastSeq, found.result.lastSeq)) headHash = e.hash;
      // Found after an attempt of this call whose outcome was unknown: that attempt wrote it, not an earlier call.
      return right({ ...found.result, headHash, deduplicated: !mayHaveLanded });
    }
    return isStale(expected, tip.seq) ? left(concurrencyError(expected as number, tip.seq)) : undefined;
  }

  async function appendNow(events: readonly NewEvent[], expected: ExpectedVersion): Promise<Either<JournalError, AppendResult>> {
    const prepared = prepareBatch(events);
    if (isLeft(prepared)) return prepared;
    const notUuid = events.find((e) => !isUuid(e.eventId));
    if (notUuid) {
      return left(journalError('JOURNAL_BAD_EVENT', `event id ${JSON.stringify(notUuid.eventId)} is not a lowercase UUID; KurrentDB needs UUID ids (see deterministicUuid).`));
    }
    let mustSync = ids === null || dirty, mayHaveLanded = false;
    // Only a definite rejection (nothing written) leads to a new plan on a fresh head: 'any' then re-chains.
    for (let plan = 1; plan <= attempts; plan++) {
      if (mustSync || isStale(expected, tip.seq)) await sync();
      const settled = await settle(prepared.right, expected, mayHaveLanded);
      if (settled) return settled;
      const entries = chainBatch(prepared.right, tip);
      // Built once per plan: every retry sends the same ids at the same expected revision, so a first attempt that
      // landed makes the retry an idempotent no-op on the server, never a second copy or a false conflict.
      // `data` goes as is: canonicalJson accepted it, so the client's JSON.stringify differs at most in key order,
      // and reads re-canonicalise before checking the hash.
      const wire: JSONEventData[] = entries.map(({ eventId, type, day: _derived, ...meta }, i) => ({
        id: eventId, contentType: 'application/json', type, data: prepared.right[i]!.event.data as JSONType, metadata: meta,
      }));
      const streamState = tip.seq === 0 ? NO_STREAM : BigInt(tip.seq - 1);
      let res: KurrentAppendResult | undefined, failure: unknown;
      for (let attempt = 1; ; attempt++) {
        try { res = await client.appendToStream(name, wire, { streamState }); break; } catch (err) {
          failure = err;
          if (!isTransient(err) || attempt >= attempts) break;
          mayHaveLanded = true;
          await backoff(attempt);
        }
      }
      const last = entries[entries.length - 1]!;
      if (res?.success && res.nextExpectedRevision === BigInt(last.seq - 1)) {
        for (const e of entries) ids!.set(e.eventId, e.seq);
        tip = { seq: last.seq, hash: last.hash };
        return right(appendedResult(entries));
      }
      if (!res && field(failure, 'type') !== ErrorType.WRONG_EXPECTED_VERSION) {
        dirty ||= mayHaveLanded;
        return left(toJournalError(failure, name));
      }
      mustSync = true;
    }
    return left(journalError('JOURNAL_CONCURRENCY', `other writers kept appending to ${name}; gave up after ${attempts} tries.`));
  }

  const journal: Journal = {
    append(events, expected = 'any') {
      if (closed) return Promise.resolve(left(fail('JOURNAL_CLOSED', 'the journal is closed.')));
      // Serialised so the index and tip move forward one append at a time.
      const p = queue.then(() => appendNow(events, expected)).catch((err: unknown) => left(toJournalError(err, name)));
      queue = p;
      return p;
    },
    async head() { if (closed) throw closedError(); return readHead(); },
    async *read(f: ReadFilter = {}) {
      if (closed) throw closedError();
      for await (const e of verified(Math.max(1, f.fromSeq ?? 1), f.toSeq)) {
        if ((f.stream ?? e.stream) === e.stream && (f.day ?? e.day) === e.day && (f.type ?? e.type) === e.type) yield e;
      }
    },
    subscribe(fromSeq, onEvent) {
      if (closed) throw closedError();
      let stopped = false, current: { unsubscribe(): Promise<void> } | undefined, inFlight: Promise<void> | undefined;
      const stop = (err: unknown): void => { stopped = true; onSubError(err); };
      const run = async (): Promise<void> => {
        for (let next = Math.max(1, fromSeq), prev: string | undefined, failures = 0; !stopped;) {
          try {
            // Subscription revisions are exclusive: to get revision next − 1, start after next − 2.
            const sub = client.subscribeToStream(name, { fromRevision: next <= 1 ? START : BigInt(next - 2) });
            current = sub;
            for await (const re of sub) {
              if (stopped) return;
              if (re.event === undefined || Number(re.event.revision) + 1 < next) continue;
              const e = decode(re.event, next, prev);
              failures = 0; prev = e.hash; next = e.seq + 1;
              inFlight = (async () => onEvent(e))();
              try { await inFlight; } catch (err) { return stop(err); } finally { inFlight = undefined; }
            }
            return;
          } catch (err) {
            if (stopped) return;
            if (!isTransient(err) || ++failures >= attempts) return stop(thrown(toJournalError(err, name)));
            await backoff(failures);
          }
        }
      };
      void run();
      // Waits for the running handler only: whether a cancelled stream ever ends is up to the client's gRPC stack.
      const s: Subscription = {
        async close() {
          stopped = true;
          subs.delete(s);
          await current?.unsubscribe().catch(() => undefined);
          await inFlight?.catch(() => undefined);
        },
      };
      subs.add(s);
      return s;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subs].map((s) => s.close())).then(() => queue);
      await client.dispose();
    },
  };
  return right(journal);
}

/** Opens journal `journalName` on the KurrentDB server at `url` (a `kurrentdb://` or `esdb://` connection string). */
export async function openKurrentJournal(
  opts: { url: string; journalName: string; retry?: KurrentRetryOptions },
): Promise<Either<JournalError, Journal>> {
  let client: KurrentStreamClient; // typed as the narrow interface: the compiler checks the real client fits it
  try { client = KurrentDBClient.connectionString(opts.url); } catch (err) {
    return left(fail('JOURNAL_UNAVAILABLE', `the KurrentDB connection string is not valid: ${(err as Error).message}`));
  }
  const opened = await createKurrentJournal(client, opts);
  if (isLeft(opened)) await client.dispose().catch(() => undefined);
  return opened;
}
