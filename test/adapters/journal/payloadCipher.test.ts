import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import { isKeyCheckOk, kdfOf, newSalt, payloadAad, payloadCipher, sealKeyCheck, type PayloadCipher } from '../../../src/adapters/journal/payloadCipher.js';

const dir = mkdtempSync(join(tmpdir(), 'ashare-cipher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keyFile = (hex: string): string => {
  const p = join(dir, `${hex.slice(0, 4)}.key`);
  writeFileSync(p, hex + '\n', { mode: 0o600 });
  return p;
};
const cipherOf = (k: Parameters<typeof payloadCipher>[0], salt: Buffer = Buffer.alloc(16, 7)): PayloadCipher => {
  const c = payloadCipher(k, salt);
  if (isLeft(c)) throw new Error(c.left.message);
  return c.right;
};

describe('payload encryption (AES-256-GCM)', () => {
  const c = cipherOf({ kind: 'keyFile', path: keyFile('ab'.repeat(32)) });

  it('round-trips a payload, with a fresh IV each time', () => {
    const text = '{"qty":100,"symbol":"600519.SH"}';
    const a = c.seal(text, payloadAad('main', 7));
    const b = c.seal(text, payloadAad('main', 7));
    expect(a.equals(b)).toBe(false);
    expect(a.toString('latin1')).not.toContain('600519');
    expect(c.open(a, payloadAad('main', 7))).toBe(text);
  });

  it('does not open under another seq, journal or key, or with a flipped bit', () => {
    const sealed = c.seal('{"a":1}', payloadAad('main', 1));
    expect(c.open(sealed, payloadAad('main', 2))).toBeNull();
    expect(c.open(sealed, payloadAad('other', 1))).toBeNull();
    expect(cipherOf({ kind: 'keyFile', path: keyFile('cd'.repeat(32)) }).open(sealed, payloadAad('main', 1))).toBeNull();
    const flipped = Buffer.from(sealed);
    flipped[14]! ^= 1;
    expect(c.open(flipped, payloadAad('main', 1))).toBeNull();
    expect(c.open(Buffer.alloc(5), payloadAad('main', 1))).toBeNull();
  });

  it('stretches a passphrase with the journal salt, and the key check tells a wrong one', () => {
    const salt = newSalt();
    const p = cipherOf({ kind: 'passphrase', passphrase: 'correct horse' }, salt);
    expect(p.kdf).toBe('pbkdf2-sha512-256000');
    expect(kdfOf({ kind: 'keyFile', path: 'x' })).toBe('raw');
    const check = sealKeyCheck(p, 'main');
    expect(isKeyCheckOk(cipherOf({ kind: 'passphrase', passphrase: 'correct horse' }, salt), 'main', check)).toBe(true);
    expect(isKeyCheckOk(cipherOf({ kind: 'passphrase', passphrase: 'wrong horse' }, salt), 'main', check)).toBe(false);
    expect(isKeyCheckOk(cipherOf({ kind: 'passphrase', passphrase: 'correct horse' }, newSalt()), 'main', check)).toBe(false);
  });

  it('refuses an empty passphrase and a malformed key file with one sentence', () => {
    const empty = payloadCipher({ kind: 'passphrase', passphrase: '' }, newSalt());
    expect(isLeft(empty) && empty.left.code).toBe('JOURNAL_KEY_INVALID');
    const bad = payloadCipher({ kind: 'keyFile', path: keyFile('zz'.repeat(10)) }, newSalt());
    expect(isLeft(bad) && bad.left.message).toContain('64 hex characters');
  });
});
