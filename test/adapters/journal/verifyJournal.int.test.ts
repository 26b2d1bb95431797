import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyFile, type JournalKey } from '../../../src/adapters/journal/journalKey.js';
import { verifyJournalFile, type VerifyOptions } from '../../../src/adapters/journal/verifyJournal.js';
import { canonicalJson } from '../../../src/domain/canonicalJson.js';
import type { StoredEvent } from '../../../src/domain/events/envelope.js';
import {
  liveEventRanges, makeTempDir, marker, markedEvent, uniqueOffset, withFlippedByte, writeJournal, type Range,
} from './fixtures/journalFiles.js';

const N = 40;
const BIG = 17; // this event's data spills over several overflow pages

describe('verifyJournalFile', () => {
  let dir: string;
  let path: string;
  let original: Buffer;
  let live: Range[];
  let stored: StoredEvent[];
  let copies = 0;

  beforeAll(async () => {
    dir = await makeTempDir();
    path = join(dir, 'run.sqlite');
    const events = Array.from({ length: N }, (_, i) => i + 1).map((n) =>
      markedEvent(n, n === BIG ? { closes: Array.from({ length: 4000 }, (_, i) => 10_000 + i) } : {}));
    stored = await writeJournal(path, events);
    original = readFileSync(path);
    live = liveEventRanges(path);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Writes `bytes` as a new journal file and verifies it. */
  const verifyBytes = async (bytes: Buffer, key?: JournalKey, opts?: VerifyOptions) => {
    copies += 1;
    const p = join(dir, `copy-${copies}.sqlite`);
    writeFileSync(p, bytes);
    return verifyJournalFile(p, key, opts);
  };
  /** Offset of row `seq`'s stored text: its data, prev_hash and hash, contiguous in the record. */
  const rowTextOffset = (seq: number): number => {
    const e = stored[seq - 1]!;
    return uniqueOffset(original, canonicalJson(e.data) + e.prevHash + e.hash, live);
  };

  it('passes an untouched journal and reports its head, without changing the file', async () => {
    const before = createHash('sha256').update(readFileSync(path)).digest('hex');
    expect(await verifyJournalFile(path)).toEqual({
      ok: true, events: N, headSeq: N, headHash: stored[N - 1]!.hash, anchor: { seq: N, hash: stored[N - 1]!.hash, at: expect.any(String) },
    });
    expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(before);
  });

  it.each([1, 2, 20, N])('finds a changed byte inside the data of seq %i', async (seq) => {
    const at = uniqueOffset(original, marker(seq), live) + 8; // a digit of the marker
    const r = await verifyBytes(withFlippedByte(original, at));
    expect(r).toMatchObject({ ok: false, code: 'JOURNAL_HASH_MISMATCH', seq });
  });

  it('finds a changed byte in the stored hash and in the stored prevHash', async () => {
    const seq = 12;
    const e = stored[seq - 1]!;
    const start = rowTextOffset(seq) + canonicalJson(e.data).length;
    expect(await verifyBytes(withFlippedByte(original, start + 64 + 10))).toMatchObject({ ok: false, seq, code: 'JOURNAL_HASH_MISMATCH' });
    expect(await verifyBytes(withFlippedByte(original, start + 3))).toMatchObject({ ok: false, seq, code: 'JOURNAL_HASH_MISMATCH' });
  });

  it('finds a changed byte inside an event stored across overflow pages', async () => {
    const text = '10000,10001,10002'; // the start of the big event's columnar array; unique in the file
    const r = await verifyBytes(withFlippedByte(original, uniqueOffset(original, text, live) + 3, 0x02));
    expect(r).toMatchObject({ ok: false, code: 'JOURNAL_HASH_MISMATCH', seq: BIG });
  });

  it('reports a broken page as storage corruption at the seq after the last good one', async () => {
    const pageSize = original.readUInt16BE(16);
    const page = Math.floor(uniqueOffset(original, marker(30), live) / pageSize);
    const bytes = Buffer.from(original);
    bytes.fill(0xff, page * pageSize, page * pageSize + 12); // the b-tree page header
    const r = await verifyBytes(bytes);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('JOURNAL_CORRUPT');
    expect(r.reason).toMatch(/^storage corrupt: /);
    expect(r.seq).toBeGreaterThanOrEqual(1);
    expect(r.seq).toBeLessThanOrEqual(30);
  });

  const editCopy = (sql: string): string => {
    copies += 1;
    const p = join(dir, `edit-${copies}.sqlite`);
    copyFileSync(path, p);
    const db = new Database(p);
    db.exec(sql);
    db.close();
    return p;
  };

  it('finds a missing event, a rewritten event and a wrong day column', async () => {
    expect(await verifyJournalFile(editCopy('DELETE FROM events WHERE seq = 9')))
      .toMatchObject({ ok: false, code: 'JOURNAL_HASH_MISMATCH', seq: 9, reason: expect.stringMatching(/sequence gap/) });
    expect(await verifyJournalFile(editCopy(`UPDATE events SET data = '{"marker":"forged","price":1}' WHERE seq = 5`)))
      .toMatchObject({ ok: false, code: 'JOURNAL_HASH_MISMATCH', seq: 5 });
    expect(await verifyJournalFile(editCopy(`UPDATE events SET day = '2001-01-01' WHERE seq = 6`)))
      .toMatchObject({ ok: false, code: 'JOURNAL_CORRUPT', seq: 6, reason: expect.stringMatching(/day column/) });
    expect(await verifyJournalFile(editCopy('UPDATE events SET hash = CAST(hash AS BLOB) WHERE seq = 7')))
      .toMatchObject({ ok: false, code: 'JOURNAL_CORRUPT', seq: 7 });
  });

  it('reports files it cannot open without a seq', async () => {
    expect(await verifyJournalFile(join(dir, 'nope.sqlite'))).toMatchObject({ ok: false, code: 'JOURNAL_NOT_FOUND', seq: null });
    const other = join(dir, 'other.sqlite');
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(await verifyJournalFile(other)).toMatchObject({ ok: false, code: 'JOURNAL_CORRUPT', seq: null });
  });

  /** Runs `fn` on a fresh N-event journal encrypted with a new key file. */
  const withEncryptedJournal = async (fn: (encPath: string, key: JournalKey, encStored: StoredEvent[]) => Promise<void>) => {
    const encDir = await makeTempDir();
    try {
      const k = generateKeyFile(join(encDir, 'journal.key'));
      if (k._tag === 'Left') throw new Error(k.left.message);
      const encPath = join(encDir, 'run.sqlite');
      await fn(encPath, k.right, await writeJournal(encPath, Array.from({ length: N }, (_, i) => markedEvent(i + 1)), k.right));
    } finally {
      await rm(encDir, { recursive: true, force: true });
    }
  };

  it('verifies an encrypted journal with its key and detects a changed byte in it', () => withEncryptedJournal(async (encPath, key, encStored) => {
    expect(await verifyJournalFile(encPath, key)).toMatchObject({ ok: true, headHash: encStored[N - 1]!.hash });
    expect(await verifyJournalFile(encPath)).toMatchObject({ ok: false, code: 'JOURNAL_KEY_REQUIRED' });
    const bytes = readFileSync(encPath);
    const pageSize = 4096; // SQLCipher 4
    // A byte in the middle of the second page: the page HMAC no longer matches.
    expect(await verifyBytes(withFlippedByte(bytes, pageSize + pageSize / 2), key)).toMatchObject({ ok: false, code: 'JOURNAL_CORRUPT' });
  }));
  describe('split across worker threads (a long journal)', () => {
    // The build's worker (npm test builds before it runs vitest): from source, the worker file does not exist.
    const workerUrl = new URL('../../../dist/src/adapters/journal/verifyWorker.js', import.meta.url);
    const serial: VerifyOptions = { parallelFrom: Number.POSITIVE_INFINITY };
    /** Verifies with the walk split at the middle event on two workers, checking both answered. */
    const parallel = (): VerifyOptions & { answered: () => number } => {
      let answered = -1;
      return { parallelFrom: 2, workerUrl, onSplit: (s) => { answered = s.workersAnswered; }, answered: () => answered };
    };
    const both = async (p: string, key?: JournalKey) => {
      const par = parallel();
      const [a, b] = [await verifyJournalFile(p, key, serial), await verifyJournalFile(p, key, par)];
      expect(par.answered(), 'both workers answered').toBe(2);
      return [a, b] as const;
    };

    beforeAll(() => {
      expect(existsSync(workerUrl), `${workerUrl.pathname} is missing: run npm run build`).toBe(true);
    });

    it('gives the serial answer on an untouched journal, split at its middle event', async () => {
      let split = 0;
      const r = await verifyJournalFile(path, undefined, { parallelFrom: 2, workerUrl, onSplit: (s) => { split = s.split; } });
      expect(split).toBe(N / 2);
      expect(r).toEqual(await verifyJournalFile(path, undefined, serial));
      expect(r).toMatchObject({ ok: true, events: N, headSeq: N, headHash: stored[N - 1]!.hash });
    });

    it.each([1, N / 2, N / 2 + 1, 33, N])('finds a changed byte in seq %i where the serial walk does', async (seq) => {
      const bytes = withFlippedByte(original, uniqueOffset(original, marker(seq), live) + 8);
      const par = parallel();
      const r = await verifyBytes(bytes, undefined, par);
      expect(par.answered()).toBe(2);
      expect(r).toMatchObject({ ok: false, code: 'JOURNAL_HASH_MISMATCH', seq });
      expect(r).toEqual(await verifyBytes(bytes, undefined, serial));
    });

    it('reports the first of two changes when one is in each half', async () => {
      const once = withFlippedByte(original, uniqueOffset(original, marker(31), live) + 8);
      const twice = withFlippedByte(once, uniqueOffset(original, marker(8), live) + 8);
      expect(await verifyBytes(twice, undefined, parallel())).toMatchObject({ ok: false, seq: 8 });
    });

    it('finds a missing, rewritten or wrongly dated event in the second half, and a missing split event', async () => {
      for (const sql of [
        'DELETE FROM events WHERE seq = 29', `UPDATE events SET data = '{"marker":"forged","price":1}' WHERE seq = 25`,
        `UPDATE events SET day = '2001-01-01' WHERE seq = 36`, `DELETE FROM events WHERE seq = ${N / 2}`, `DELETE FROM events WHERE seq = ${N}`,
      ]) {
        const [a, b] = await both(editCopy(sql));
        expect(a.ok, sql).toBe(false);
        expect(b, sql).toEqual(a);
      }
    });

    it('reports a broken page in the second half as storage corruption, as the serial walk does', async () => {
      const pageSize = original.readUInt16BE(16);
      const page = Math.floor(uniqueOffset(original, marker(30), live) / pageSize);
      const bytes = Buffer.from(original);
      bytes.fill(0xff, page * pageSize, page * pageSize + 12);
      const r = await verifyBytes(bytes, undefined, parallel());
      expect(r).toMatchObject({ ok: false, code: 'JOURNAL_CORRUPT', reason: expect.stringMatching(/^storage corrupt: /) });
      expect(r).toEqual(await verifyBytes(bytes, undefined, serial));
    });

    it('has the integrity check run on a worker: an index that lost an entry fails it', async () => {
      // The walk reads the table, not its indexes: only integrity_check sees a dropped index entry.
      const db = new Database(path, { readonly: true });
      const idx = db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'events_type_seq'").pluck().get() as number;
      db.close();
      expect(idx).toBeGreaterThan(0);
      const bytes = Buffer.from(original);
      const pageSize = bytes.readUInt16BE(16);
      // Zero the cell count of the index's root (a leaf in a 40-event journal): its entries vanish, the table keeps its rows.
      bytes.writeUInt16BE(0, (idx - 1) * pageSize + 3);
      const par = parallel();
      const [a, b] = [await verifyBytes(bytes, undefined, serial), await verifyBytes(bytes, undefined, par)];
      expect(a).toMatchObject({ ok: false, code: 'JOURNAL_CORRUPT', seq: null, reason: expect.stringMatching(/^storage corrupt: /) });
      expect(b).toEqual(a);
      expect(par.answered()).toBe(2);
    });

    it('splits an encrypted (key file) journal too, and falls back to one thread when no worker can start', () => withEncryptedJournal(async (encPath, key, encStored) => {
      const [a, b] = await both(encPath, key);
      expect(b).toEqual(a);
      expect(b).toMatchObject({ ok: true, headHash: encStored[N - 1]!.hash });
      let answered = -1;
      const none = await verifyJournalFile(path, undefined, { parallelFrom: 2, workerUrl: new URL('file:///nonexistent/verifyWorker.js'), onSplit: (s) => { answered = s.workersAnswered; } });
      expect(answered).toBe(0);
      expect(none).toEqual(await verifyJournalFile(path, undefined, serial));
    }));
  });
});
