import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  generateKeyFile, keyFromEnvironment, type JournalKey,
} from '../../../src/adapters/journal/journalKey.js';
import { openSqliteJournal, type SqliteJournal, type SqliteJournalOptions } from '../../../src/adapters/journal/sqliteJournal.js';
import { verifyJournalFile } from '../../../src/adapters/journal/verifyJournal.js';
import type { JournalError } from '../../../src/domain/ports/journal.js';
import { makeTempDir, markedEvent, openOrThrow, writeJournal } from './fixtures/journalFiles.js';
import { describeJournalContract } from './journalContract.js';

const PASSPHRASE = `it's a "quoted" passphrase; DROP TABLE events; --`;

function sqliteFactory(keyFor: (dir: string) => JournalKey | undefined, durability: SqliteJournalOptions['durability']) {
  return async () => {
    const dir = await makeTempDir();
    const journal = openOrThrow({ path: join(dir, 'run.sqlite'), key: keyFor(dir), durability });
    return {
      journal,
      cleanup: async () => {
        await journal.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  };
}

function keyFileIn(dir: string): JournalKey {
  const k = generateKeyFile(join(dir, 'journal.key'));
  if (isLeft(k)) throw new Error(k.left.message);
  return k.right;
}

describeJournalContract('sqlite (plain, fast)', sqliteFactory(() => undefined, 'fast'));
describeJournalContract('sqlite (passphrase, durable)', sqliteFactory(() => ({ kind: 'passphrase', passphrase: PASSPHRASE }), 'durable'));
describeJournalContract('sqlite (key file, fast)', sqliteFactory(keyFileIn, 'fast'));

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

function errorOf<T>(r: Either<JournalError, T>): JournalError {
  if (isRight(r)) throw new Error('expected the open to fail');
  return r.left;
}

describe('sqlite journal', () => {
  const dirs: string[] = [];
  const opened: SqliteJournal[] = [];
  const tempDir = async (): Promise<string> => {
    const d = await makeTempDir();
    dirs.push(d);
    return d;
  };
  const track = (j: SqliteJournal): SqliteJournal => {
    opened.push(j);
    return j;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((j) => j.close()));
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('runs WAL with synchronous FULL when durable and NORMAL when fast, on every open', async () => {
    const path = join(await tempDir(), 'run.sqlite');
    const durable = openOrThrow({ path, durability: 'durable' });
    expect(durable.pragmas()).toEqual({ journalMode: 'wal', synchronous: 2 });
    await durable.close();
    const fast = track(openOrThrow({ path, durability: 'fast', create: false }));
    expect(fast.pragmas()).toEqual({ journalMode: 'wal', synchronous: 1 });
    expect(fast.isEncrypted).toBe(false);
    expect(fast.path).toBe(path);
  });

  it('keeps the chain and head across a reopen, and the next append continues it', async () => {
    const path = join(await tempDir(), 'run.sqlite');
    const stored = await writeJournal(path, [1, 2, 3, 4, 5, 6, 7].map((n) => markedEvent(n)));
    const j = track(openOrThrow({ path, create: false, durability: 'durable' }));
    expect(await j.head()).toEqual({ seq: 7, hash: stored[6]!.hash });
    const r = await j.append([markedEvent(8)], 7);
    expect(isRight(r) && r.right.firstSeq).toBe(8);
    const eighth: unknown[] = [];
    for await (const e of j.read({ fromSeq: 8 })) eighth.push(e.prevHash);
    expect(eighth).toEqual([stored[6]!.hash]);
    await j.close();
    expect(await verifyJournalFile(path)).toMatchObject({ ok: true, events: 8, headSeq: 8 });
  });

  it('refuses a wrong key with exactly one JOURNAL_KEY_INVALID and a one-line message', async () => {
    const dir = await tempDir();
    const path = join(dir, 'run.sqlite');
    await writeJournal(path, [markedEvent(1)], { kind: 'passphrase', passphrase: PASSPHRASE });
    const wrongs: JournalKey[] = [
      { kind: 'passphrase', passphrase: PASSPHRASE.replace("'", '') },
      keyFileIn(dir),
    ];
    for (const key of wrongs) {
      const err = errorOf(openSqliteJournal({ path, key, durability: 'fast' }));
      expect(err.code).toBe('JOURNAL_KEY_INVALID');
      expect(err.message).toBe(`cannot open journal ${path}: the key is wrong, or the file is damaged or not an ashare journal`);
      expect(err.message).not.toMatch(/\n/);
    }
    // The right passphrase, quotes and all, still opens it.
    const ok = track(openOrThrow({ path, key: { kind: 'passphrase', passphrase: PASSPHRASE }, create: false }));
    expect(ok.isEncrypted).toBe(true);
    expect((await ok.head()).seq).toBe(1);
  });

  it('asks for a key when an encrypted file is opened without one', async () => {
    const dir = await tempDir();
    const path = join(dir, 'run.sqlite');
    await writeJournal(path, [markedEvent(1)], keyFileIn(dir));
    const err = errorOf(openSqliteJournal({ path, durability: 'fast' }));
    expect(err.code).toBe('JOURNAL_KEY_REQUIRED');
    expect(err.message).toMatch(/--key-file/);
    expect(err.message).toMatch(/ASHARE_JOURNAL_PASSPHRASE/);
    expect(err.message).toMatch(/ASHARE_JOURNAL_KEY_FILE/);
  });

  it('does not leak plaintext into an encrypted file', async () => {
    const dir = await tempDir();
    const plain = join(dir, 'plain.sqlite');
    const encrypted = join(dir, 'encrypted.sqlite');
    const secret = { note: 'PLAINTEXT-MARKER-7f3a9c' };
    await writeJournal(plain, [markedEvent(1, secret)]);
    await writeJournal(encrypted, [markedEvent(1, secret)], keyFileIn(dir));
    expect(readFileSync(plain).includes('PLAINTEXT-MARKER-7f3a9c')).toBe(true);
    const bytes = readFileSync(encrypted);
    expect(bytes.includes('PLAINTEXT-MARKER-7f3a9c')).toBe(false);
    expect(bytes.includes('SQLite format 3')).toBe(false);
    expect(bytes.includes('ashare-journal')).toBe(false);
  });

  it('classifies files that cannot be opened', async () => {
    const dir = await tempDir();
    const missing = join(dir, 'missing.sqlite');
    expect(errorOf(openSqliteJournal({ path: missing, durability: 'fast' })).code).toBe('JOURNAL_NOT_FOUND');
    expect(() => statSync(missing)).toThrow(); // and it was not created

    const other = join(dir, 'other.sqlite');
    const db = new Database(other);
    db.exec('CREATE TABLE prices (code TEXT, close INTEGER)');
    db.close();
    expect(errorOf(openSqliteJournal({ path: other, durability: 'fast', create: true })).code).toBe('JOURNAL_CORRUPT');

    const plain = join(dir, 'plain.sqlite');
    await writeJournal(plain, [markedEvent(1)]);
    const keyed = errorOf(openSqliteJournal({ path: plain, durability: 'fast', key: { kind: 'passphrase', passphrase: 'x' } }));
    expect(keyed.code).toBe('JOURNAL_KEY_INVALID');
  });

  it('rejects a malformed key file, naming the file', async () => {
    const dir = await tempDir();
    const keyPath = join(dir, 'bad.key');
    writeFileSync(keyPath, 'not-hex-and-too-short\n');
    const err = errorOf(openSqliteJournal({ path: join(dir, 'run.sqlite'), durability: 'fast', create: true, key: { kind: 'keyFile', path: keyPath } }));
    expect(err.code).toBe('JOURNAL_KEY_INVALID');
    expect(err.message).toContain(keyPath);
    expect(err.message).not.toContain('not-hex');
    expect(() => statSync(join(dir, 'run.sqlite'))).toThrow(); // the failed create left no file
  });

  it('generates a 0600 key file of 64 hex characters and never overwrites one', async () => {
    const dir = await tempDir();
    const keyPath = join(dir, 'journal.key');
    expect(generateKeyFile(keyPath)).toEqual({ _tag: 'Right', right: { kind: 'keyFile', path: keyPath } });
    expect(readFileSync(keyPath, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    const before = readFileSync(keyPath, 'utf8');
    expect(errorOf(generateKeyFile(keyPath)).code).toBe('JOURNAL_IO');
    expect(readFileSync(keyPath, 'utf8')).toBe(before);
  });

  it('reads the key from the environment', () => {
    expect(keyFromEnvironment({})).toBeUndefined();
    expect(keyFromEnvironment({ ASHARE_JOURNAL_PASSPHRASE: '' })).toBeUndefined();
    expect(keyFromEnvironment({ ASHARE_JOURNAL_PASSPHRASE: 'p' })).toEqual({ kind: 'passphrase', passphrase: 'p' });
    expect(keyFromEnvironment({ ASHARE_JOURNAL_PASSPHRASE: 'p', ASHARE_JOURNAL_KEY_FILE: '/k' }))
      .toEqual({ kind: 'keyFile', path: '/k' });
  });

  it('opens read-only without changing the database file and refuses appends', async () => {
    const path = join(await tempDir(), 'run.sqlite');
    await writeJournal(path, [1, 2, 3].map((n) => markedEvent(n)));
    const before = sha256(path);
    const ro = openSqliteJournal({ path, durability: 'fast', readonly: true });
    if (isLeft(ro)) throw new Error(ro.left.message);
    const events: number[] = [];
    for await (const e of ro.right.read()) events.push(e.seq);
    expect(events).toEqual([1, 2, 3]);
    expect(errorOf(await ro.right.append([markedEvent(4)], 3)).code).toBe('JOURNAL_IO');
    await ro.right.close();
    expect(sha256(path)).toBe(before);
  });

  it('delivers events appended by another connection to a subscriber (polling)', async () => {
    const path = join(await tempDir(), 'run.sqlite');
    const reader = track(openOrThrow({ path }));
    const writer = track(openOrThrow({ path, create: false }));
    const seen: number[] = [];
    const sub = reader.subscribe(1, (e) => { seen.push(e.seq); });
    expect(isRight(await writer.append([1, 2, 3].map((n) => markedEvent(n)), 0))).toBe(true);
    while (seen.length < 3) await new Promise((r) => setTimeout(r, 10));
    await sub.close();
    expect(seen).toEqual([1, 2, 3]);
  });

  it('detects a second writer through the expected version', async () => {
    const path = join(await tempDir(), 'run.sqlite');
    const a = track(openOrThrow({ path }));
    const b = track(openOrThrow({ path, create: false }));
    expect(isRight(await a.append([markedEvent(1)], 0))).toBe(true);
    expect(errorOf(await b.append([markedEvent(2)], 0)).code).toBe('JOURNAL_CONCURRENCY');
    expect(isRight(await b.append([markedEvent(2)], 1))).toBe(true);
  });
});
