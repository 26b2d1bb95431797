import { writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { isLeft } from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalKey } from '../../../src/adapters/journal/journalKey.js';
import { applyJournalKey } from '../../../src/adapters/journal/journalKey.js';
import type { SqliteJournal } from '../../../src/adapters/journal/sqliteJournal.js';
import { openTailVerifier, type TailVerifier } from '../../../src/adapters/journal/verifyTail.js';
import { GENESIS_HASH } from '../../../src/domain/events/envelope.js';
import type { JournalHead } from '../../../src/domain/ports/journal.js';
import { makeTempDir, markedEvent, openOrThrow } from './fixtures/journalFiles.js';

// The service's periodic check: a writer keeps the journal open and appends; the verifier reads the
// new stretch on its own read-only connection; a third connection plays the person who edits the file.

let dir: string;
let files = 0;
beforeAll(async () => { dir = await makeTempDir(); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

interface Open { path: string; journal: SqliteJournal; verifier: TailVerifier; key: JournalKey | undefined; close(): Promise<void> }

/** A journal of `n` events, its writer still open, and a tail verifier on it. */
async function opened(n: number, key?: JournalKey): Promise<Open> {
  const path = join(dir, `j${++files}.sqlite`);
  const journal = openOrThrow({ path, key });
  await append(journal, 1, n);
  const v = openTailVerifier(path, key);
  if (isLeft(v)) throw new Error(v.left.message);
  const verifier = v.right;
  return { path, journal, verifier, key, async close() { verifier.close(); await journal.close(); } };
}

async function append(j: SqliteJournal, from: number, to: number): Promise<void> {
  const r = await j.append(Array.from({ length: to - from + 1 }, (_, i) => markedEvent(from + i)), from - 1);
  if (isLeft(r)) throw new Error(r.left.message);
}

/** The head after event `seq`, as the writer committed it. */
const headAt = (o: Open, seq: number): JournalHead => {
  if (seq === 0) return { seq: 0, hash: GENESIS_HASH };
  const db = other(o);
  try {
    return { seq, hash: (db.prepare('SELECT hash FROM events WHERE seq = ?').pluck().get(seq) as string) };
  } finally {
    db.close();
  }
};

/** Another connection to the file, as an editor of it would open one. */
function other(o: Open): Database.Database {
  const db = new Database(o.path);
  if (o.key) applyJournalKey(db, o.key);
  db.pragma('busy_timeout = 5000');
  return db;
}

function edit(o: Open, sql: string, ...params: unknown[]): void {
  const db = other(o);
  try {
    expect(db.prepare(sql).run(...params).changes).toBeGreaterThan(0);
  } finally {
    db.close();
  }
}

describe('openTailVerifier', () => {
  it.each([['a plain journal', false], ['an encrypted journal', true]])('%s: checks the stretch appended since the last check, moving on with the writer', async (_, encrypted) => {
    let key: JournalKey | undefined;
    if (encrypted) {
      const keyFile = join(dir, `key-${files}`);
      writeFileSync(keyFile, '3c'.repeat(32) + '\n', { mode: 0o600 });
      key = { kind: 'keyFile', path: keyFile };
    }
    const o = await opened(10, key);
    try {
      const h10 = headAt(o, 10);
      expect(o.verifier.check(headAt(o, 0), h10)).toEqual({ ok: true, events: 10, headSeq: 10, headHash: h10.hash });
      await append(o.journal, 11, 15);
      const h15 = headAt(o, 15);
      expect(o.verifier.check(h10, h15)).toEqual({ ok: true, events: 5, headSeq: 15, headHash: h15.hash });
      // A commit after the head the caller gives is left to the next check.
      await append(o.journal, 16, 16);
      expect(o.verifier.check(h15, h15)).toEqual({ ok: true, events: 0, headSeq: 15, headHash: h15.hash });
    } finally {
      await o.close();
    }
  });

  it('finds a new event whose data another connection changed, at its seq', async () => {
    const o = await opened(10);
    try {
      const h10 = headAt(o, 10);
      await append(o.journal, 11, 15);
      edit(o, "UPDATE events SET data = json_set(data, '$.price', 1) WHERE seq = 13");
      expect(o.verifier.check(h10, headAt(o, 15))).toMatchObject({ ok: false, code: 'JOURNAL_HASH_MISMATCH', seq: 13 });
    } finally {
      await o.close();
    }
  });

  it('finds the last event verified changed since (the tip it goes on from), even with nothing appended', async () => {
    const o = await opened(10);
    try {
      const h10 = headAt(o, 10);
      edit(o, "UPDATE events SET data = json_set(data, '$.price', 1) WHERE seq = 10");
      expect(o.verifier.check(h10, h10)).toMatchObject({ ok: false, code: 'JOURNAL_HASH_MISMATCH', seq: 10 });
    } finally {
      await o.close();
    }
  });

  it('finds the tip rehashed, the tail cut, and a head other than the writer committed', async () => {
    const o = await opened(15);
    try {
      const h10 = headAt(o, 10), h15 = headAt(o, 15);
      edit(o, 'DELETE FROM events WHERE seq >= 14');
      expect(o.verifier.check(h10, h15)).toMatchObject({ ok: false, code: 'JOURNAL_TRUNCATED', seq: 14, reason: expect.stringContaining('events 14…15 are missing') });
      expect(o.verifier.check(h10, { seq: 13, hash: h15.hash })).toMatchObject({ ok: false, code: 'JOURNAL_HASH_MISMATCH', seq: 13 });
      edit(o, "UPDATE events SET hash = ? WHERE seq = 10", 'f'.repeat(64));
      expect(o.verifier.check(h10, headAt(o, 13))).toMatchObject({ ok: false, code: 'JOURNAL_HASH_MISMATCH', seq: 10, reason: expect.stringContaining('no longer has the hash') });
    } finally {
      await o.close();
    }
  });

  it('reads nothing before the tip: an older event changed is left to the full verification (start-up, ashare journal verify)', async () => {
    const o = await opened(10);
    try {
      const h10 = headAt(o, 10);
      edit(o, "UPDATE events SET data = json_set(data, '$.price', 1) WHERE seq = 3");
      await append(o.journal, 11, 12);
      expect(o.verifier.check(h10, headAt(o, 12))).toMatchObject({ ok: true, events: 2, headSeq: 12 });
    } finally {
      await o.close();
    }
  });
});
