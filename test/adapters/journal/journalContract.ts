import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/domain/canonicalJson.js';
import { checkEntry, GENESIS_HASH, type NewEvent, type StoredEvent } from '../../../src/domain/events/envelope.js';
import { asEventId, deterministicUuid, type EventId } from '../../../src/domain/ids.js';
import type { AppendResult, Journal, JournalError, ReadFilter } from '../../../src/domain/ports/journal.js';
import { asTradingDay, dayOfMs, exchangeTimeMs } from '../../../src/domain/tradingDay.js';

/** Makes a fresh, empty journal; `cleanup` closes it and removes whatever it stored. */
export type JournalFactory = () => Promise<{ journal: Journal; cleanup: () => Promise<void> }>;

const D1 = asTradingDay('2024-03-01');
const D2 = asTradingDay('2024-03-04');
/** 17:00 UTC on 1 March is 01:00 on 2 March in Beijing: `day` must follow exchange time. */
const LATE_UTC = Date.UTC(2024, 2, 1, 17, 0);

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 1));

/** Waits for a condition driven by the journal; a stuck condition fails on the test timeout. */
async function waitFor(cond: () => boolean): Promise<void> {
  while (!cond()) await tick();
}

/**
 * The contract every `Journal` adapter must meet, written against the port only. Event ids are
 * UUIDs (EventStoreDB requires them), derived from the adapter name, the test run and a number.
 */
export function describeJournalContract(name: string, factory: JournalFactory): void {
  describe(`Journal contract: ${name}`, () => {
    let journal: Journal;
    let cleanup: () => Promise<void>;
    let run = 0;

    beforeEach(async () => {
      run += 1;
      ({ journal, cleanup } = await factory());
    });
    afterEach(async () => {
      await cleanup();
    });

    const id = (n: number | string): EventId => asEventId(deterministicUuid('journal-contract', `${name}/${run}/${n}`));
    const ev = (n: number, over: Partial<NewEvent> = {}): NewEvent => ({
      eventId: id(n), stream: 'run', type: 'Probe', schemaVersion: 1,
      occurredAt: exchangeTimeMs(D1, 9, 30) + n * 60_000, recordedAt: 1_700_000_000_000 + n,
      causationId: null, correlationId: null, data: { n, label: `event-${n}` }, ...over,
    });
    const evs = (from: number, to: number, over: Partial<NewEvent> = {}): NewEvent[] =>
      Array.from({ length: to - from + 1 }, (_, i) => ev(from + i, over));
    const readAll = async (filter?: ReadFilter): Promise<StoredEvent[]> => {
      const out: StoredEvent[] = [];
      for await (const e of journal.read(filter)) out.push(e);
      return out;
    };
    const ok = (r: Either<JournalError, AppendResult>): AppendResult => {
      if (isLeft(r)) throw new Error(`expected success, got ${r.left.code}: ${r.left.message}`);
      return r.right;
    };
    const failure = (r: Either<JournalError, AppendResult>): JournalError => {
      if (isRight(r)) throw new Error(`expected an error, got ${JSON.stringify(r.right)}`);
      return r.left;
    };

    it('starts empty at the genesis hash', async () => {
      expect(await journal.head()).toEqual({ seq: 0, hash: GENESIS_HASH });
      expect(await readAll()).toEqual([]);
    });

    it('appends in order with consecutive seqs and keeps every envelope field', async () => {
      const first = ok(await journal.append(evs(1, 3), 0));
      expect(first).toMatchObject({ firstSeq: 1, lastSeq: 3, deduplicated: false });
      const tail = [ev(4, { stream: 'orders', type: 'Other', causationId: id(1), correlationId: 'corr-1', schemaVersion: 2 }), ev(5)];
      const second = ok(await journal.append(tail, 3));
      expect(second).toMatchObject({ firstSeq: 4, lastSeq: 5 });
      const all = await readAll();
      expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(all.map((e) => e.eventId)).toEqual([1, 2, 3, 4, 5].map(id));
      const { seq: _s, day: _d, prevHash: _p, hash: _h, ...envelope } = all[3]!;
      expect(envelope).toEqual(tail[0]);
      expect(await journal.head()).toEqual({ seq: 5, hash: second.headHash });
    });

    it('chains hashes from GENESIS_HASH and every stored event passes checkEntry', async () => {
      ok(await journal.append(evs(1, 4), 0));
      const last = ok(await journal.append([ev(5, { data: { z: [3, 2, 1], a: { y: 'é', b: null, x: -1.5 } } })], 4));
      const all = await readAll();
      let prev = GENESIS_HASH;
      for (const e of all) {
        expect(e.prevHash).toBe(prev);
        const { data: _data, day: _day, ...entry } = e;
        expect(checkEntry(entry, canonicalJson(e.data), e.seq, prev)).toBeNull();
        prev = e.hash;
      }
      expect(last.headHash).toBe(prev);
      expect(all[4]!.data).toEqual({ a: { b: null, x: -1.5, y: 'é' }, z: [3, 2, 1] });
    });

    it('derives day from occurredAt in exchange time', async () => {
      ok(await journal.append([ev(1), ev(2, { occurredAt: LATE_UTC })], 0));
      const all = await readAll();
      expect(all.map((e) => e.day)).toEqual([D1, '2024-03-02']);
      for (const e of all) expect(e.day).toBe(dayOfMs(e.occurredAt));
    });

    it('refuses a stale expectation and writes nothing', async () => {
      ok(await journal.append(evs(1, 2), 0));
      const before = await journal.head();
      expect(failure(await journal.append(evs(3, 4), 0)).code).toBe('JOURNAL_CONCURRENCY');
      expect(failure(await journal.append(evs(3, 4), 7)).code).toBe('JOURNAL_CONCURRENCY');
      expect(await journal.head()).toEqual(before);
      expect((await readAll()).map((e) => e.eventId)).toEqual([id(1), id(2)]);
    });

    it("appends at the head with 'any'", async () => {
      ok(await journal.append(evs(1, 2)));
      expect(ok(await journal.append(evs(3, 3), 'any'))).toMatchObject({ firstSeq: 3, lastSeq: 3 });
    });

    it('acknowledges a retried batch once (deduplicated) without writing it twice', async () => {
      ok(await journal.append(evs(1, 2), 0));
      const original = ok(await journal.append(evs(3, 5), 2));
      const retry = ok(await journal.append(evs(3, 5), 2));
      expect(retry).toEqual({ ...original, deduplicated: true });
      ok(await journal.append(evs(6, 6), 5));
      // Still a retry after the journal moved on, and with 'any'.
      expect(ok(await journal.append(evs(3, 5), 2))).toEqual({ ...original, deduplicated: true });
      expect(ok(await journal.append(evs(3, 5), 'any'))).toEqual({ ...original, deduplicated: true });
      expect((await readAll()).map((e) => e.eventId)).toEqual([1, 2, 3, 4, 5, 6].map(id));
    });

    it('refuses an event id that is stored elsewhere, and writes none of the batch', async () => {
      ok(await journal.append(evs(1, 3), 0));
      expect(failure(await journal.append([ev(4), ev(2)], 3)).code).toBe('JOURNAL_DUPLICATE_EVENT');
      // Stored, but not consecutively in batch order, so not a retry even with 'any'.
      expect(failure(await journal.append([ev(3), ev(2)], 'any')).code).toBe('JOURNAL_DUPLICATE_EVENT');
      // Stored, but not where this retry expects it.
      expect(failure(await journal.append([ev(2)], 0)).code).toBe('JOURNAL_DUPLICATE_EVENT');
      // A batch that is only partly stored is not a retry.
      expect(failure(await journal.append(evs(1, 4), 0)).code).toBe('JOURNAL_DUPLICATE_EVENT');
      expect((await readAll()).map((e) => e.eventId)).toEqual([id(1), id(2), id(3)]);
    });

    it('accepts an empty batch without writing', async () => {
      expect(ok(await journal.append([], 0))).toEqual({ firstSeq: 1, lastSeq: 0, headHash: GENESIS_HASH, deduplicated: false });
      const r = ok(await journal.append(evs(1, 2), 0));
      expect(ok(await journal.append([], 'any'))).toMatchObject({ lastSeq: 2, headHash: r.headHash, deduplicated: false });
      expect(ok(await journal.append([], 2))).toMatchObject({ lastSeq: 2 });
      expect((await journal.head()).seq).toBe(2);
    });

    it('refuses data that has no canonical JSON form', async () => {
      const r = await journal.append([ev(1), ev(2, { data: { price: Number.NaN } })], 0);
      expect(failure(r).code).toBe('JOURNAL_BAD_EVENT');
      expect((await journal.head()).seq).toBe(0);
    });

    it('stores a copy: mutating an appended object later changes nothing', async () => {
      const data = { bars: [1, 2, 3] };
      ok(await journal.append([ev(1, { data })], 0));
      data.bars.push(4);
      expect((await readAll())[0]!.data).toEqual({ bars: [1, 2, 3] });
    });

    it('reads by seq range, stream, day and type, always in seq order', async () => {
      ok(await journal.append([
        ev(1), ev(2, { stream: 'orders', type: 'OrderRequested' }), ev(3, { occurredAt: exchangeTimeMs(D2, 10) }),
        ev(4, { stream: 'orders', type: 'OrderFilled', occurredAt: exchangeTimeMs(D2, 14) }), ev(5, { type: 'OrderRequested' }),
      ], 0));
      const seqs = async (f: ReadFilter): Promise<number[]> => (await readAll(f)).map((e) => e.seq);
      expect(await seqs({ fromSeq: 2, toSeq: 4 })).toEqual([2, 3, 4]);
      expect(await seqs({ fromSeq: 4 })).toEqual([4, 5]);
      expect(await seqs({ toSeq: 1 })).toEqual([1]);
      expect(await seqs({ fromSeq: 6 })).toEqual([]);
      expect(await seqs({ stream: 'orders' })).toEqual([2, 4]);
      expect(await seqs({ day: D2 })).toEqual([3, 4]);
      expect(await seqs({ day: D1 })).toEqual([1, 2, 5]);
      expect(await seqs({ type: 'OrderRequested' })).toEqual([2, 5]);
      expect(await seqs({ stream: 'orders', fromSeq: 3 })).toEqual([4]);
      expect(await seqs({ stream: 'run', day: D1, type: 'Probe' })).toEqual([1]);
    });

    it('reads a journal bigger than one page, in order', async () => {
      for (let b = 0; b < 3; b++) ok(await journal.append(evs(b * 100 + 1, b * 100 + 100), b * 100));
      const all = await readAll();
      expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
      expect((await readAll({ fromSeq: 150, toSeq: 260 })).length).toBe(111);
    });

    it('stores and chains a ~300 KB columnar event', async () => {
      const n = 5000;
      const data = {
        codes: Array.from({ length: n }, (_, i) => `${600000 + i}.SH`),
        open: Array.from({ length: n }, (_, i) => 10_000 + i), high: Array.from({ length: n }, (_, i) => 10_500 + i),
        low: Array.from({ length: n }, (_, i) => 9_500 + i), close: Array.from({ length: n }, (_, i) => 10_100 + i),
        volume: Array.from({ length: n }, (_, i) => 1_000_000 + i * 7),
      };
      expect(canonicalJson(data).length).toBeGreaterThan(100_000);
      const r = ok(await journal.append([ev(1), ev(2, { type: 'BarsClosed', data }), ev(3)], 0));
      const all = await readAll();
      expect(all[1]!.data).toEqual(data);
      expect(all[2]!.prevHash).toBe(all[1]!.hash);
      expect(r.headHash).toBe(all[2]!.hash);
    });

    it('subscribes from a position: catch-up first, then live events in order', async () => {
      ok(await journal.append(evs(1, 5), 0));
      const seen: StoredEvent[] = [];
      const sub = journal.subscribe(3, (e) => { seen.push(e); });
      await waitFor(() => seen.length >= 3);
      ok(await journal.append(evs(6, 7), 5));
      ok(await journal.append(evs(8, 8), 7));
      await waitFor(() => seen.length >= 6);
      await sub.close();
      expect(seen.map((e) => e.seq)).toEqual([3, 4, 5, 6, 7, 8]);
      expect(seen).toEqual(await readAll({ fromSeq: 3 }));
      ok(await journal.append(evs(9, 9), 8));
      await tick();
      expect(seen.length).toBe(6);
    });

    it('delivers to an async handler one event at a time, from an empty journal', async () => {
      const seen: number[] = [];
      let running = 0;
      let maxRunning = 0;
      const sub = journal.subscribe(0, async (e) => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await tick();
        seen.push(e.seq);
        running -= 1;
      });
      ok(await journal.append(evs(1, 3), 0));
      ok(await journal.append(evs(4, 6), 3));
      await waitFor(() => seen.length >= 6);
      await sub.close();
      expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
      expect(maxRunning).toBe(1);
    });

    it('closing a subscription waits for the running handler', async () => {
      let release: () => void = () => undefined;
      const gate = new Promise<void>((r) => { release = r; });
      let entered = false;
      const sub = journal.subscribe(1, async () => { entered = true; await gate; });
      ok(await journal.append(evs(1, 2), 0));
      await waitFor(() => entered);
      let closed = false;
      const closing = sub.close().then(() => { closed = true; });
      await tick();
      expect(closed).toBe(false);
      release();
      await closing;
      expect(closed).toBe(true);
    });
  });
}
