import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyFile, type JournalKey } from '../../../src/adapters/journal/journalKey.js';
import { verifyJournalFile } from '../../../src/adapters/journal/verifyJournal.js';
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
  const verifyBytes = async (bytes: Buffer, key?: JournalKey) => {
    copies += 1;
    const p = join(dir, `copy-${copies}.sqlite`);
    writeFileSync(p, bytes);
    return verifyJournalFile(p, key);
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

  it('verifies an encrypted journal with its key and detects a changed byte in it', async () => {
    const encDir = await makeTempDir();
    try {
      const k = generateKeyFile(join(encDir, 'journal.key'));
      if (k._tag === 'Left') throw new Error(k.left.message);
      const encPath = join(encDir, 'run.sqlite');
      const encStored = await writeJournal(encPath, Array.from({ length: N }, (_, i) => markedEvent(i + 1)), k.right);
      expect(await verifyJournalFile(encPath, k.right)).toMatchObject({ ok: true, headHash: encStored[N - 1]!.hash });
      expect(await verifyJournalFile(encPath)).toMatchObject({ ok: false, code: 'JOURNAL_KEY_REQUIRED' });
      const bytes = readFileSync(encPath);
      const pageSize = 4096; // SQLCipher 4
      // A byte in the middle of the second page: the page HMAC no longer matches.
      expect(await verifyBytes(withFlippedByte(bytes, pageSize + pageSize / 2), k.right)).toMatchObject({ ok: false, code: 'JOURNAL_CORRUPT' });
    } finally {
      await rm(encDir, { recursive: true, force: true });
    }
  });
});
