import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyFile, type JournalKey } from '../../../src/adapters/journal/journalKey.js';
import { openSqliteJournal, type SqliteJournal } from '../../../src/adapters/journal/sqliteJournal.js';
import { withThreadedAppends, type ThreadedAppendsOptions } from '../../../src/adapters/journal/threadedAppends.js';
import { verifyJournalFile } from '../../../src/adapters/journal/verifyJournal.js';
import { workerUrl } from '../../../src/adapters/workerUrl.js';
import type { NewEvent } from '../../../src/domain/events/envelope.js';
import { makeTempDir, markedEvent } from './fixtures/journalFiles.js';

// A backtest's appends on a worker thread must give the very journal the same appends give on the
// caller's thread: same hashes, same anchor, whole batches in call order, refusals as Lefts.
const appendWorker = workerUrl('appendWorker.js', new URL('../../../src/adapters/journal/threadedAppends.ts', import.meta.url).href);
/** A day's bars as the engine stages them (unpacked v2): they travel to the worker packed. */
const barsEvent = (n: number, data: unknown = {
  day: '2024-03-01', symbols: ['000001.SZ', '600000.SH', '830799.BJ'], open: [10_230, 7_010, 25_500], high: [10_400, 7_100, 26_000],
  low: [10_100, 6_950, 24_800], close: [10_350, 7_080, 25_010], volume: [120_345_600, 35_000_000, 10_000],
  amountFen: [124_567_890_123, 24_780_000_000, 25_010_000], preClose: [10_200, null, 25_300], isSt: [0, 0, 1],
}): NewEvent => ({ ...markedEvent(n), type: 'BarsClosed', schemaVersion: 2, stream: 'market', data });
const batches: NewEvent[][] = Array.from({ length: 6 }, (_, b) => Array.from({ length: 7 }, (_, i) => (i === 0 ? barsEvent(b * 7 + 1) : markedEvent(b * 7 + i + 1))));

describe('withThreadedAppends', () => {
  let dir: string;
  let n = 0;
  beforeAll(async () => {
    dir = await makeTempDir();
    expect(existsSync(appendWorker), `${appendWorker.pathname} is missing: run npm run build`).toBe(true);
  });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  const fresh = (key?: JournalKey): SqliteJournal => {
    const o = openSqliteJournal({ path: join(dir, `j${++n}.sqlite`), durability: 'fast', key, create: true, exclusive: true });
    if (isLeft(o)) throw new Error(o.left.message);
    return o.right;
  };
  const threaded = (key?: JournalKey, extra: Partial<ThreadedAppendsOptions> = {}) => {
    let onThread: boolean | null = null;
    const j = withThreadedAppends(fresh(key), { durability: 'fast', key, onThread: (t) => { onThread = t; }, ...extra });
    return { j, onThread: () => onThread };
  };
  /** Appends every batch without waiting for the one before (as the engine pipelines days), then awaits them in order. */
  const appendAll = async (j: SqliteJournal) => {
    const pending = batches.map((b, i) => j.append(b, i * 7));
    return Promise.all(pending);
  };

  it('commits pipelined batches in call order, with the hashes and anchor the caller thread gives', async () => {
    const here = fresh();
    const inThread: string[] = [];
    for (const [i, b] of batches.entries()) {
      const r = await here.append(b, i * 7);
      if (isLeft(r)) throw new Error(r.left.message);
      inThread.push(r.right.headHash);
    }
    await here.close();

    const { j, onThread } = threaded();
    const results = await appendAll(j);
    expect(onThread()).toBe(true);
    expect(results.every(isRight)).toBe(true);
    expect(results.map((r) => (isRight(r) ? r.right.headHash : ''))).toEqual(inThread);
    expect(results.map((r) => (isRight(r) ? [r.right.firstSeq, r.right.lastSeq] : []))).toEqual(batches.map((_, i) => [i * 7 + 1, i * 7 + 7]));
    // this thread's connection reads what the worker committed
    expect((await j.head()).hash).toBe(inThread.at(-1));
    const read: number[] = [];
    for await (const e of j.read({ fromSeq: 40 })) read.push(e.seq);
    expect(read).toEqual([40, 41, 42]);
    await j.close();
    expect(existsSync(`${j.path}-wal`)).toBe(false); // closed to one file
    expect(JSON.parse(readFileSync(`${j.path}.anchor`, 'utf8'))).toMatchObject({ seq: 42, hash: inThread.at(-1) });
    expect(await verifyJournalFile(j.path)).toMatchObject({ ok: true, headSeq: 42, headHash: inThread.at(-1) });
    expect(await j.append(batches[0]!, 42)).toMatchObject({ _tag: 'Left', left: { code: 'JOURNAL_CLOSED' } });
  });

  it('answers a stale batch with JOURNAL_CONCURRENCY and goes on appending', async () => {
    const { j } = threaded();
    const [a, stale, b] = await Promise.all([j.append(batches[0]!, 0), j.append(batches[1]!, 0), j.append(batches[1]!, 7)]);
    expect(isRight(a)).toBe(true);
    expect(stale).toMatchObject({ _tag: 'Left', left: { code: 'JOURNAL_CONCURRENCY' } });
    expect(b).toMatchObject({ _tag: 'Right', right: { firstSeq: 8, lastSeq: 14 } });
    await j.close();
  });

  it('refuses bars that do not pack as the caller thread does, naming the event', async () => {
    const bad = [barsEvent(1, { day: '2024-03-01', symbols: ['nonsense'], open: [-1] })];
    const here = fresh();
    const expected = await here.append(bad, 0);
    await here.close();
    expect(expected).toMatchObject({ _tag: 'Left', left: { code: 'JOURNAL_BAD_EVENT' } });
    const { j, onThread } = threaded();
    expect(await j.append(bad, 0)).toEqual(expected);
    expect(onThread()).toBe(true);
    await j.close();
  });

  it('threads an encrypted journal with its key', async () => {
    const k = generateKeyFile(join(dir, `k${++n}.key`));
    if (isLeft(k)) throw new Error(k.left.message);
    const { j, onThread } = threaded(k.right);
    expect((await appendAll(j)).every(isRight)).toBe(true);
    expect(onThread()).toBe(true);
    await j.close();
    expect(await verifyJournalFile(j.path, k.right)).toMatchObject({ ok: true, headSeq: 42 });
  });

  it('appends on the caller thread when the worker cannot start', async () => {
    const { j, onThread } = threaded(undefined, { workerUrl: new URL('file:///nonexistent/appendWorker.js') });
    expect((await appendAll(j)).every(isRight)).toBe(true);
    expect(onThread()).toBe(false);
    await j.close();
    expect(await verifyJournalFile(j.path)).toMatchObject({ ok: true, headSeq: 42 });
  });

  it('fails every append with JOURNAL_IO once the worker dies, keeping what it committed', async () => {
    const { j } = threaded(undefined, { workerUrl: new URL('../../fixtures/dyingAppendWorker.mjs', import.meta.url) });
    const r = await j.append(batches[0]!, 0);
    expect(r).toMatchObject({ _tag: 'Left', left: { code: 'JOURNAL_IO', message: expect.stringMatching(/writer thread stopped/) } });
    expect(await j.append(batches[1]!, 7)).toMatchObject({ _tag: 'Left', left: { code: 'JOURNAL_IO' } });
    await j.close();
    expect(await verifyJournalFile(j.path)).toMatchObject({ ok: true, headSeq: 0 });
  });
});
