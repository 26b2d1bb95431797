import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { isLeft } from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it } from 'vitest';
import { generateKeyFile, type JournalKey } from '../../../src/adapters/journal/journalKey.js';
import { openMarketStore, type StoreError } from '../../../src/adapters/store/index.js';
import { bar, cleanTempDirs, openOrThrow, tempDir, unwrap } from './storeFixtures.js';

afterEach(cleanTempDirs);

const MARKER = 'PLAINTEXT-MARKER-7f3a';
const passphrase = (p: string): JournalKey => ({ kind: 'passphrase', passphrase: p });

function failure(o: Parameters<typeof openMarketStore>[0]): StoreError {
  const r = openMarketStore(o);
  if (!isLeft(r)) { r.right.close(); throw new Error('expected the open to fail'); }
  return r.left;
}

function writeMarked(path: string, key: JournalKey | undefined): void {
  const s = openOrThrow({ path, key, create: true });
  unwrap(s.upsertBars([bar('600519.SH', '2024-01-02', 10_000)], { source: MARKER, knownFrom: '2024-01-03' }));
  unwrap(s.upsertInstruments([{ symbol: '600519.SH', name: MARKER, listDay: null, delistDay: null, status: null, industry: null, board: null }],
    { source: MARKER, knownFrom: '2024-01-03' }));
  s.close();
}

const filesContain = (dir: string, text: string): boolean =>
  readdirSync(dir).some((f) => readFileSync(join(dir, f)).includes(Buffer.from(text, 'utf8')));

describe('market store encryption', () => {
  it('a plain store shows the marker; an encrypted one (passphrase or key file) does not', () => {
    const plainDir = tempDir();
    writeMarked(join(plainDir, 'm.sqlite'), undefined);
    expect(filesContain(plainDir, MARKER)).toBe(true); // the check can see plaintext when it is there

    for (const keyOf of [() => passphrase('correct horse'), (d: string) => unwrap(generateKeyFile(join(d, 'k.key')))]) {
      const dir = tempDir();
      const key = keyOf(dir);
      const path = join(dir, 'm.sqlite');
      writeMarked(path, key);
      expect(filesContain(dir, MARKER)).toBe(false);
      expect(readFileSync(path).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
      const s = openOrThrow({ path, key });
      expect(s.isEncrypted).toBe(true);
      expect(s.instruments()[0]!.name).toBe(MARKER);
      s.close();
    }
  });

  it('a wrong key, a missing key or a needless key is one clear sentence with a stable code', () => {
    const dir = tempDir();
    const path = join(dir, 'm.sqlite');
    writeMarked(path, passphrase('right'));
    const wrong = failure({ path, key: passphrase('wrong') });
    expect(wrong).toEqual({
      code: 'STORE_KEY_INVALID',
      message: `cannot open market store ${path}: the key is wrong, or the file is damaged or not an ashare market store`,
    });
    expect(failure({ path }).code).toBe('STORE_KEY_REQUIRED');
    const plain = join(dir, 'plain.sqlite');
    writeMarked(plain, undefined);
    expect(failure({ path: plain, key: passphrase('x') }).code).toBe('STORE_KEY_INVALID');
    const badKeyFile = join(dir, 'bad.key');
    writeFileSync(badKeyFile, 'not hex');
    expect(failure({ path, key: { kind: 'keyFile', path: badKeyFile } }).code).toBe('STORE_KEY_INVALID');
    for (const e of [wrong, failure({ path })]) expect(e.message).not.toMatch(/\n|at .*\.ts/);
  });

  it('another SQLite database is not taken for a store', () => {
    const path = join(tempDir(), 'other.sqlite');
    const db = new Database(path);
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(failure({ path, create: true }).code).toBe('STORE_SCHEMA');
  });
});
