import { describe, expect, it } from 'vitest';
import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js';
import {
  ANY, BACKWARDS, DeadlineExceededError, NO_STREAM, START, StreamNotFoundError, UnavailableError, WrongExpectedVersionError,
  type AppendStreamState, type JSONEventData, type RecordedEvent, type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { createKurrentJournal, kurrentStreamName, type KurrentStreamClient } from '../../../src/adapters/journal/kurrentJournal.js';
import { canonicalJson } from '../../../src/domain/canonicalJson.js';
import { checkEntry, GENESIS_HASH, type NewEvent, type StoredEvent } from '../../../src/domain/events/envelope.js';
import { asEventId, deterministicUuid } from '../../../src/domain/ids.js';
import type { Journal, JournalError } from '../../../src/domain/ports/journal.js';
import { describeJournalContract } from './journalContract.js';

type Fault = 'unavailable' | 'lost-ack';

/**
 * In-memory stand-in for a KurrentDB node, with the semantics the adapter relies on: revisions from 0, an append
 * checks the expected revision, an append whose ids already sit right after the expected revision is an
 * idempotent success, subscriptions start AFTER `fromRevision`, and data/metadata go through JSON.
 * `faults` fails the next appends: 'unavailable' before writing, 'lost-ack' after writing.
 */
class FakeKurrent {
  readonly streams = new Map<string, RecordedEvent[]>();
  readonly appendStates: AppendStreamState[] = [];
  faults: Fault[] = [];
  down = false;
  /** Cuts the next read with UNAVAILABLE after this many events. */
  cutReadAfter: number | undefined;
  private wake = new Set<() => void>();

  client(): KurrentStreamClient {
    return {
      appendToStream: async (stream, events, { streamState = ANY }) => this.append(stream, events, streamState),
      readStream: (stream, { fromRevision = START, direction, maxCount }) => this.read(stream, fromRevision, direction === BACKWARDS, maxCount),
      subscribeToStream: (stream, { fromRevision = START }) => this.subscribe(stream, fromRevision),
      dispose: async () => undefined,
    };
  }

  private append(stream: string, events: JSONEventData[], state: AppendStreamState) {
    this.appendStates.push(state);
    // What the real client was seen to throw when the server is unreachable: a raw gRPC error, not a CommandError.
    if (this.down || this.faults[0] === 'unavailable') { this.faults.shift(); throw Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 }); }
    const list = this.streams.get(stream) ?? [];
    const cur = list.length - 1;
    const exp = state === NO_STREAM ? -1 : state === ANY ? cur : Number(state);
    let next: bigint;
    if (exp === cur) {
      for (const e of events) {
        list.push({ streamId: stream, id: e.id, isJson: true, revision: BigInt(list.length), type: e.type, created: new Date(0),
          data: JSON.parse(JSON.stringify(e.data)), metadata: JSON.parse(JSON.stringify(e.metadata)) } as RecordedEvent);
      }
      this.streams.set(stream, list);
      next = BigInt(list.length - 1);
      for (const w of this.wake) w();
    } else if (exp + events.length <= cur && events.every((e, i) => list[exp + 1 + i]!.id === e.id)) {
      next = BigInt(exp + events.length); // the server's idempotent write: nothing stored twice
    } else {
      throw new WrongExpectedVersionError(undefined, { streamName: stream, expected: state, current: cur < 0 ? NO_STREAM : BigInt(cur) });
    }
    if (this.faults[0] === 'lost-ack') { this.faults.shift(); throw new DeadlineExceededError(undefined, 'deadline exceeded'); }
    return { success: true, nextExpectedRevision: next };
  }

  private async *read(stream: string, from: unknown, backwards: boolean, max: number | bigint = Number.MAX_SAFE_INTEGER): AsyncGenerator<ResolvedEvent> {
    if (this.down) throw new UnavailableError(undefined, 'connection refused');
    const list = this.streams.get(stream);
    if (!list) throw new StreamNotFoundError(undefined, stream);
    const picked = backwards ? [...list].reverse() : list.slice(from === START ? 0 : Number(from));
    let n = 0;
    for (const event of picked.slice(0, Number(max))) {
      if (this.cutReadAfter === n++) { this.cutReadAfter = undefined; throw new UnavailableError(undefined, 'connection reset'); }
      yield { event };
    }
  }

  private subscribe(stream: string, from: unknown) {
    let open = true, i = from === START ? 0 : Number(from) + 1;
    let poke = (): void => undefined;
    const self = this;
    async function* gen(): AsyncGenerator<ResolvedEvent> {
      while (open) {
        const list = self.streams.get(stream) ?? [];
        if (i < list.length) { yield { event: list[i++]! }; continue; }
        await new Promise<void>((res) => { poke = res; self.wake.add(res); });
        self.wake.delete(poke);
      }
    }
    return Object.assign(gen(), { unsubscribe: async () => { open = false; poke(); } });
  }
}

const sleeps: number[] = [];
const retry = { sleep: async (ms: number) => { sleeps.push(ms); } };
const open = async (fake: FakeKurrent, journalName = 'test'): Promise<Journal> => {
  const r = await createKurrentJournal(fake.client(), { journalName, retry });
  if (isLeft(r)) throw new Error(r.left.message);
  return r.right;
};
const ev = (n: number, over: Partial<NewEvent> = {}): NewEvent => ({
  eventId: asEventId(deterministicUuid('kurrent-test', String(n))), stream: 'run-1', type: 'BarClosed', schemaVersion: 1,
  occurredAt: 1_704_161_400_000 + n * 60_000, recordedAt: 1_704_161_400_000 + n, causationId: null, correlationId: 'c-1',
  data: { n, px: 1234, tags: ['a', { z: 1, a: 2 }] }, ...over,
});
const err = (r: Either<JournalError, unknown>): string => (isLeft(r) ? r.left.code : 'ok');
const readAll = async (j: Journal): Promise<StoredEvent[]> => { const out: StoredEvent[] = []; for await (const e of j.read()) out.push(e); return out; };
const STREAM = kurrentStreamName('test');

describeJournalContract('kurrent (fake client)', async () => {
  const journal = await open(new FakeKurrent());
  return { journal, cleanup: () => journal.close() };
});

describe('kurrent journal over a fake client', () => {
  it('retries transient failures with the same expected revision and event ids', async () => {
    const fake = new FakeKurrent();
    const j = await open(fake);
    expect(err(await j.append([ev(1), ev(2)], 0))).toBe('ok');
    fake.faults = ['unavailable', 'unavailable'];
    const r = await j.append([ev(3)], 2);
    expect(isRight(r) && r.right).toMatchObject({ firstSeq: 3, lastSeq: 3, deduplicated: false });
    expect(fake.appendStates).toEqual([NO_STREAM, 1n, 1n, 1n]); // seq 2 is revision 1
    fake.faults = ['unavailable'];
    expect(err(await j.append([ev(4)]))).toBe('ok'); // 'any' still pins the revision the chain was built on
    expect(fake.appendStates.slice(4)).toEqual([2n, 2n]);
  });

  it('stores a batch once when the first attempt landed but its ack was lost', async () => {
    const fake = new FakeKurrent();
    const j = await open(fake);
    fake.faults = ['lost-ack'];
    const r = await j.append([ev(1), ev(2)], 0);
    expect(isRight(r) && r.right).toMatchObject({ firstSeq: 1, lastSeq: 2, deduplicated: false });
    expect(fake.appendStates).toEqual([NO_STREAM, NO_STREAM]);
    expect(fake.streams.get(STREAM)!.map((e) => e.id)).toEqual([ev(1).eventId, ev(2).eventId]);
    expect(err(await j.append([ev(3)], 2))).toBe('ok');
    expect((await readAll(j)).map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it("acknowledges the caller's retry as deduplicated after giving up on an append that had landed", async () => {
    const fake = new FakeKurrent();
    const j = await open(fake);
    fake.faults = ['lost-ack', 'unavailable', 'unavailable', 'unavailable', 'unavailable'];
    expect(err(await j.append([ev(1)], 0))).toBe('JOURNAL_UNAVAILABLE');
    const r = await j.append([ev(1)], 0);
    expect(isRight(r) && r.right).toMatchObject({ firstSeq: 1, lastSeq: 1, deduplicated: true });
    expect(fake.streams.get(STREAM)).toHaveLength(1);
  });

  it('maps WrongExpectedVersion to JOURNAL_CONCURRENCY and writes nothing', async () => {
    const fake = new FakeKurrent();
    const a = await open(fake), b = await open(fake);
    expect(err(await b.append([ev(9)], 0))).toBe('ok'); // b primes its cache before a writes
    expect(err(await a.append([ev(1)], 1))).toBe('ok');
    const r = await b.append([ev(2)], 1); // b thinks seq 1 is the head and its own event
    expect(err(r)).toBe('JOURNAL_CONCURRENCY');
    expect(fake.appendStates.at(-1)).toBe(0n);
    expect(fake.streams.get(STREAM)).toHaveLength(2);
  });

  it("re-chains an 'any' append on the fresh head after another writer's append", async () => {
    const fake = new FakeKurrent();
    const a = await open(fake), b = await open(fake);
    await b.append([ev(1)]);
    await a.append([ev(2)]);
    const r = await b.append([ev(3)]); // b's cached head (seq 1) is stale: the server rejects, b re-reads and re-chains
    expect(isRight(r) && r.right.firstSeq).toBe(3);
    expect(fake.appendStates).toEqual([NO_STREAM, 0n, 0n, 1n]);
    expect((await readAll(b)).map((e) => e.seq)).toEqual([1, 2, 3]); // reading verifies the whole chain
  });

  it('resumes a read cut by a transient failure right after the last event delivered', async () => {
    const fake = new FakeKurrent();
    const j = await open(fake);
    await j.append([ev(1), ev(2), ev(3)], 0);
    fake.cutReadAfter = 2;
    expect((await readAll(j)).map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('acknowledges a retried batch already stored at the expected seqs as deduplicated', async () => {
    const fake = new FakeKurrent();
    const j = await open(fake);
    const first = await j.append([ev(1), ev(2)], 0);
    const again = await j.append([ev(1), ev(2)], 0);
    expect(isRight(again) && again.right).toEqual({ ...(isRight(first) && first.right), deduplicated: true });
    expect(err(await j.append([ev(1)], 2))).toBe('JOURNAL_DUPLICATE_EVENT');
    expect(fake.streams.get(STREAM)).toHaveLength(2);
  });

  it('refuses non-UUID event ids before calling the server', async () => {
    const fake = new FakeKurrent();
    const j = await open(fake);
    expect(err(await j.append([ev(1, { eventId: asEventId('bar-600519.SH-1') })], 0))).toBe('JOURNAL_BAD_EVENT');
    expect(err(await j.append([ev(1, { eventId: asEventId(ev(1).eventId.toUpperCase()) })], 0))).toBe('JOURNAL_BAD_EVENT');
    expect(fake.appendStates).toEqual([]);
  });

  it('chains hashes that verify with checkEntry, from the metadata the server holds', async () => {
    const fake = new FakeKurrent();
    const j = await open(fake);
    await j.append([ev(1), ev(2)], 0);
    await j.append([ev(3)]);
    let prev = GENESIS_HASH;
    for (const rec of fake.streams.get(STREAM)!) {
      const m = rec.metadata as Omit<StoredEvent, 'eventId' | 'type' | 'data' | 'day'>;
      expect(checkEntry({ ...m, eventId: asEventId(rec.id), type: rec.type }, canonicalJson(rec.data), Number(rec.revision) + 1, prev)).toBeNull();
      prev = m.hash;
    }
    expect((await j.head()).hash).toBe(prev);
  });

  it('refuses to read tampered data with JOURNAL_CORRUPT', async () => {
    const fake = new FakeKurrent();
    const j = await open(fake);
    await j.append([ev(1), ev(2)], 0);
    (fake.streams.get(STREAM)![1]!.data as { px: number }).px = 9999;
    await expect(readAll(j)).rejects.toMatchObject({ code: 'JOURNAL_CORRUPT' });
  });

  it('gives up with JOURNAL_UNAVAILABLE after bounded, growing backoff', async () => {
    const fake = new FakeKurrent();
    const j = await open(fake);
    await j.append([ev(1)], 0);
    fake.faults = Array<Fault>(5).fill('unavailable');
    sleeps.length = 0;
    expect(err(await j.append([ev(2)], 1))).toBe('JOURNAL_UNAVAILABLE');
    expect(sleeps).toEqual([100, 200, 400, 800]);
    expect(fake.appendStates).toEqual([NO_STREAM, 0n, 0n, 0n, 0n, 0n]);
    fake.down = true;
    expect(err(await createKurrentJournal(fake.client(), { journalName: 'other', retry }))).toBe('JOURNAL_UNAVAILABLE');
  });

  it('subscribes from a seq, catching up then following new appends', async () => {
    const fake = new FakeKurrent();
    const j = await open(fake);
    await j.append([ev(1), ev(2), ev(3)], 0);
    const seen: number[] = [];
    const sub = j.subscribe(2, (e) => { seen.push(e.seq); });
    await j.append([ev(4)], 3);
    await expect.poll(() => seen).toEqual([2, 3, 4]);
    await sub.close();
    await j.close();
  });
});
