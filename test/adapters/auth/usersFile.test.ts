import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3-multiple-ciphers';
import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js';
import { generateSync } from 'otplib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  openUsersFile, totpCodeForStep, type AuthError, type Enrolment, type OpenUsersFileOptions, type UsersStore,
} from '../../../src/adapters/auth/index.js';
import { generateKeyFile, type JournalKey } from '../../../src/adapters/journal/journalKey.js';

// Mid-step instants (15 s into a 30 s step), so ±1 step never straddles a boundary by accident.
const STEP = 30_000;
const T0 = 56_666_667 * STEP + 15_000;
const PASSWORD = 'correct horse battery';
const step = (ms: number): number => Math.floor(ms / STEP);

/** The code an authenticator shows at `ms`: otplib's own TOTP, independent of the store's code. */
const codeAt = (secret: string, ms: number): string => generateSync({ secret, epoch: Math.floor(ms / 1000) });

const dir = mkdtempSync(join(tmpdir(), 'ashare-users-'));
let n = 0;
const fresh = (): string => join(dir, `users-${++n}.sqlite`);
const newKey = (): JournalKey => {
  const k = generateKeyFile(join(dir, `key-${++n}`));
  if (isLeft(k)) throw new Error(k.left.message);
  return k.right;
};
const KEY = newKey();

const opened: UsersStore[] = [];
afterEach(() => { for (const s of opened.splice(0)) { try { s.close(); } catch { /* closed by the test */ } } });

const ok = <A>(r: Either<AuthError, A>): A => {
  if (isLeft(r)) throw new Error(`${r.left.code}: ${r.left.message}`);
  return r.right;
};
const errCode = <A>(r: Either<AuthError, A>): string => (isLeft(r) ? r.left.code : 'RIGHT');

function open(o: Partial<OpenUsersFileOptions> = {}): UsersStore {
  const s = ok(openUsersFile({ path: fresh(), key: KEY, create: true, ...o }));
  opened.push(s);
  return s;
}

/** A store with one user `alice` (password PASSWORD), and her enrolment. */
function withAlice(o: Partial<OpenUsersFileOptions> = {}): { store: UsersStore; alice: Enrolment } {
  const store = open(o);
  return { store, alice: ok(store.add('alice', PASSWORD, T0)) };
}

describe('users file: encryption and storage', () => {
  it('is encrypted with the journal key, mode 0600, and holds no secret, hash or name in clear', () => {
    const path = fresh();
    const store = ok(openUsersFile({ path, key: KEY, create: true }));
    const alice = ok(store.add('alice', PASSWORD, T0));
    expect(store.isEncrypted).toBe(true);
    store.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const raw = readFileSync(path);
    for (const s of [alice.totpSecret, 'alice', '$argon2id', 'SQLite format 3', PASSWORD]) expect(raw.includes(Buffer.from(s)), s).toBe(false);
    expect(store.path).toBe(path);
    // and it opens again with the key
    const again = ok(openUsersFile({ path, key: KEY }));
    expect(ok(again.list())).toEqual(['alice']);
    again.close();
  });

  it('cannot be opened without the key, with another key or with a passphrase', () => {
    const path = fresh();
    ok(openUsersFile({ path, key: KEY, create: true })).close();
    expect(errCode(openUsersFile({ path }))).toBe('USERS_FILE_KEY_REQUIRED');
    expect(errCode(openUsersFile({ path, allowPlaintext: true }))).toBe('USERS_FILE_KEY_REQUIRED');
    expect(errCode(openUsersFile({ path, key: newKey() }))).toBe('USERS_FILE_KEY_INVALID');
    expect(errCode(openUsersFile({ path, key: { kind: 'passphrase', passphrase: 'a guess at the passphrase' } }))).toBe('USERS_FILE_KEY_INVALID');
  });

  it('without a key it is refused unless plaintext is allowed (then the secret is in the bytes: the grep above can see)', () => {
    const refused = fresh();
    expect(errCode(openUsersFile({ path: refused, create: true }))).toBe('USERS_FILE_KEY_REQUIRED');
    expect(existsSync(refused)).toBe(false);
    const path = fresh();
    const store = ok(openUsersFile({ path, create: true, allowPlaintext: true }));
    const e = ok(store.add('bob', PASSWORD, T0));
    expect(store.isEncrypted).toBe(false);
    store.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path).includes(Buffer.from(e.totpSecret))).toBe(true);
    expect(errCode(openUsersFile({ path, key: KEY }))).toBe('USERS_FILE_KEY_INVALID'); // plaintext opened with a key
  });

  it('refuses a missing file unless asked to create it, and a database that is not a users file', () => {
    expect(errCode(openUsersFile({ path: fresh(), key: KEY }))).toBe('USERS_FILE_NOT_FOUND');
    const other = fresh();
    const db = new Database(other);
    db.exec('CREATE TABLE events (seq INTEGER PRIMARY KEY)');
    db.close();
    expect(errCode(openUsersFile({ path: other, allowPlaintext: true, create: true }))).toBe('USERS_FILE_INVALID');
  });
});

describe('users file: enrolment and administration', () => {
  it('add returns the secret and the otpauth URI once, and refuses an existing name', () => {
    const { store, alice } = withAlice();
    expect(alice.name).toBe('alice');
    expect(alice.totpSecret).toMatch(/^[A-Z2-7]{32}$/); // 20 bytes in base32
    expect(alice.otpauthUri).toBe(`otpauth://totp/ashare:alice?secret=${alice.totpSecret}&issuer=ashare&algorithm=SHA1&digits=6&period=30`);
    expect(errCode(store.add('alice', 'another good password', T0))).toBe('USER_EXISTS');
    expect(ok(store.add('bob', PASSWORD, T0)).totpSecret).not.toBe(alice.totpSecret);
  });

  it('names are 1 to 64 characters of [A-Za-z0-9._-]', () => {
    const store = open();
    for (const bad of ['', 'a b', 'x'.repeat(65), 'zoë', 'a/b', "a'--"]) expect(errCode(store.add(bad, PASSWORD, T0)), bad).toBe('USER_NAME_INVALID');
    for (const good of ['x'.repeat(64), 'A.b_c-9']) expect(isRight(store.add(good, PASSWORD, T0))).toBe(true);
  });

  it('a password has 12 to 128 characters, counted as characters (not UTF-16 units)', () => {
    const store = open();
    expect(errCode(store.add('a', 'x'.repeat(11), T0))).toBe('PASSWORD_POLICY');
    expect(errCode(store.add('a', '🔑'.repeat(11), T0))).toBe('PASSWORD_POLICY'); // 22 UTF-16 units, 11 characters
    expect(errCode(store.add('a', 'x'.repeat(129), T0))).toBe('PASSWORD_POLICY');
    const r = store.add('a', 'x'.repeat(11), T0);
    expect(isLeft(r) && r.left.message).toMatch(/at least 12 characters/);
    expect(isRight(store.add('b', 'x'.repeat(12), T0))).toBe(true);
    expect(isRight(store.add('c', '🔑'.repeat(128), T0))).toBe(true);
    expect(ok(store.list())).toEqual(['b', 'c']);
  });

  it('list, remove, exists', async () => {
    const { store } = withAlice();
    ok(store.add('bob', PASSWORD, T0));
    expect(ok(store.list())).toEqual(['alice', 'bob']);
    expect(store.exists('bob')).toBe(true);
    ok(store.remove('bob'));
    expect(store.exists('bob')).toBe(false);
    expect(ok(store.list())).toEqual(['alice']);
    expect(errCode(store.remove('bob'))).toBe('USER_NOT_FOUND');
    expect(await store.verifyLogin('bob', PASSWORD, '000000', T0)).toEqual({ ok: false, reason: 'UNKNOWN_USER' });
  });

  it('reset-totp: the old secret stops working at once, the new one works, and a lock is lifted', async () => {
    const { store, alice } = withAlice();
    for (let i = 0; i < 5; i++) await store.verifyLogin('alice', 'wrong password!', codeAt(alice.totpSecret, T0), T0);
    const fresh2 = ok(store.resetTotp('alice', T0));
    expect(fresh2.totpSecret).not.toBe(alice.totpSecret);
    expect(fresh2.otpauthUri).toContain(fresh2.totpSecret);
    expect(await store.verifyLogin('alice', PASSWORD, codeAt(alice.totpSecret, T0), T0)).toMatchObject({ ok: false, reason: 'BAD_CREDENTIALS' });
    expect(await store.verifyLogin('alice', PASSWORD, codeAt(fresh2.totpSecret, T0), T0)).toEqual({ ok: true, user: 'alice', stamp: expect.any(String) });
    expect(errCode(store.resetTotp('nobody', T0))).toBe('USER_NOT_FOUND');
  });
  it('enrolment stamp: the same through logins and failures, new after a TOTP reset or a remove and re-add, null for no user', async () => {
    const { store, alice } = withAlice();
    const first = store.enrolmentStamp('alice');
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first).not.toContain(alice.totpSecret);
    await store.verifyLogin('alice', 'wrong password!', codeAt(alice.totpSecret, T0), T0);
    const login = await store.verifyLogin('alice', PASSWORD, codeAt(alice.totpSecret, T0), T0);
    expect(login).toEqual({ ok: true, user: 'alice', stamp: first });
    expect(store.enrolmentStamp('alice')).toBe(first);
    ok(store.resetTotp('alice', T0)); // the same instant: the stamp does not hang on a time
    const afterReset = store.enrolmentStamp('alice');
    expect(afterReset).not.toBe(first);
    ok(store.remove('alice'));
    expect(store.enrolmentStamp('alice')).toBeNull();
    ok(store.add('alice', PASSWORD, T0));
    expect([first, afterReset]).not.toContain(store.enrolmentStamp('alice'));
    expect(store.enrolmentStamp('nobody')).toBeNull();
    expect(store.enrolmentStamp('not a valid name')).toBeNull();
  });
});

describe('users file: login', () => {
  it('accepts the right password with the current code', async () => {
    const { store, alice } = withAlice();
    expect(await store.verifyLogin('alice', PASSWORD, codeAt(alice.totpSecret, T0), T0)).toEqual({ ok: true, user: 'alice', stamp: expect.any(String) });
  });

  it('wrong password, wrong code, malformed code and unknown user all fail alike (only the log reason differs)', async () => {
    const { store, alice } = withAlice();
    const code = codeAt(alice.totpSecret, T0);
    const wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const results = [
      await store.verifyLogin('alice', 'not the password', code, T0),
      await store.verifyLogin('alice', PASSWORD, wrongCode, T0),
      await store.verifyLogin('alice', PASSWORD, 'abcdef', T0),
      await store.verifyLogin('alice', PASSWORD, `${code}0`, T0),
      await store.verifyLogin('mallory', PASSWORD, code, T0),
      await store.verifyLogin('not a valid name', PASSWORD, code, T0),
    ];
    for (const r of results) expect(Object.keys(r).sort()).toEqual(['ok', 'reason']);
    expect(results.map((r) => r.ok)).toEqual([false, false, false, false, false, false]);
    expect(results.map((r) => !r.ok && r.reason)).toEqual(['BAD_CREDENTIALS', 'BAD_CREDENTIALS', 'BAD_CREDENTIALS', 'BAD_CREDENTIALS', 'UNKNOWN_USER', 'UNKNOWN_USER']);
    // and none of them used up the code
    expect(await store.verifyLogin('alice', PASSWORD, code, T0)).toEqual({ ok: true, user: 'alice', stamp: expect.any(String) });
  });

  it('codes are RFC 6238\'s (appendix B, SHA-1, last 6 of the 8 digits)', () => {
    const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // "12345678901234567890" in base32
    expect(totpCodeForStep(rfcSecret, step(59_000))).toBe('287082');
    expect(totpCodeForStep(rfcSecret, step(1_111_111_109_000))).toBe('081804');
    expect(totpCodeForStep(rfcSecret, step(2_000_000_000_000))).toBe('279037');
  });

  it('accepts the codes of one step before and after, not two', async () => {
    const { store, alice } = withAlice();
    const s = alice.totpSecret;
    const t = step(T0);
    expect(totpCodeForStep(s, t)).toBe(codeAt(s, T0)); // the store's codes are RFC 6238's
    expect(await store.verifyLogin('alice', PASSWORD, totpCodeForStep(s, t - 2), T0)).toMatchObject({ ok: false, reason: 'BAD_CREDENTIALS' });
    expect(await store.verifyLogin('alice', PASSWORD, totpCodeForStep(s, t + 2), T0)).toMatchObject({ ok: false, reason: 'BAD_CREDENTIALS' });
    expect(await store.verifyLogin('alice', PASSWORD, codeAt(s, T0 - STEP), T0)).toEqual({ ok: true, user: 'alice', stamp: expect.any(String) });
    expect(await store.verifyLogin('alice', PASSWORD, codeAt(s, T0 + STEP), T0)).toEqual({ ok: true, user: 'alice', stamp: expect.any(String) });
  });

  it('each code is accepted once; an older one is refused after it; a later step\'s code is accepted', async () => {
    const { store, alice } = withAlice();
    const s = alice.totpSecret;
    expect(await store.verifyLogin('alice', PASSWORD, codeAt(s, T0), T0)).toEqual({ ok: true, user: 'alice', stamp: expect.any(String) });
    expect(await store.verifyLogin('alice', PASSWORD, codeAt(s, T0), T0 + 1_000)).toEqual({ ok: false, reason: 'TOTP_REPLAYED' });
    expect(await store.verifyLogin('alice', PASSWORD, codeAt(s, T0 - STEP), T0)).toEqual({ ok: false, reason: 'TOTP_REPLAYED' });
    // with the wrong password a used code says nothing more than any failure
    expect(await store.verifyLogin('alice', 'not the password', codeAt(s, T0), T0)).toEqual({ ok: false, reason: 'BAD_CREDENTIALS' });
    expect(await store.verifyLogin('alice', PASSWORD, codeAt(s, T0 + STEP), T0 + STEP)).toEqual({ ok: true, user: 'alice', stamp: expect.any(String) });
    expect(await store.verifyLogin('alice', PASSWORD, codeAt(s, T0 + STEP), T0 + STEP)).toEqual({ ok: false, reason: 'TOTP_REPLAYED' });
  });

  it('the last accepted step survives closing and reopening the file', async () => {
    const path = fresh();
    const store = ok(openUsersFile({ path, key: KEY, create: true }));
    const alice = ok(store.add('alice', PASSWORD, T0));
    expect((await store.verifyLogin('alice', PASSWORD, codeAt(alice.totpSecret, T0), T0)).ok).toBe(true);
    store.close();
    const again = ok(openUsersFile({ path, key: KEY }));
    opened.push(again);
    expect(await again.verifyLogin('alice', PASSWORD, codeAt(alice.totpSecret, T0), T0)).toEqual({ ok: false, reason: 'TOTP_REPLAYED' });
  });

  it('two logins racing with the same code: exactly one wins', async () => {
    const { store, alice } = withAlice();
    const code = codeAt(alice.totpSecret, T0);
    const rs = await Promise.all([1, 2, 3].map(() => store.verifyLogin('alice', PASSWORD, code, T0)));
    expect(rs.filter((r) => r.ok)).toHaveLength(1);
    expect(rs.filter((r) => !r.ok && r.reason === 'TOTP_REPLAYED')).toHaveLength(2);
  });

  it('takes about as long for an unknown user as for a known one with a wrong password', async () => {
    const { store, alice } = withAlice();
    const code = codeAt(alice.totpSecret, T0);
    const timeOf = async (name: string, i: number): Promise<number> => {
      const t = performance.now();
      // hours apart, so no attempt meets a lock (a locked one would cost the same anyway)
      await store.verifyLogin(name, `wrong password ${i}`, code, T0 + i * 10 * 60 * 60_000);
      return performance.now() - t;
    };
    await timeOf('alice', 0);
    await timeOf('nobody', 0); // warm-up
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 1; i <= 10; i++) {
      known.push(await timeOf('alice', i));
      unknown.push(await timeOf('nobody', i));
    }
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const ratio = mean(unknown) / mean(known);
    expect(ratio, `unknown ${mean(unknown).toFixed(1)} ms, known ${mean(known).toFixed(1)} ms`).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});

describe('users file: lockout', () => {
  const failFive = async (store: UsersStore, nowMs: number) => {
    for (let i = 0; i < 4; i++) {
      const r = await store.verifyLogin('alice', 'wrong password!', '000000', nowMs);
      expect(r.ok === false && r.locked).toBeUndefined();
    }
    return store.verifyLogin('alice', 'wrong password!', '000000', nowMs);
  };

  it('locks after 5 consecutive failures; while locked even the right login fails; it ends on time', async () => {
    const { store, alice } = withAlice();
    const s = alice.totpSecret;
    expect(await failFive(store, T0)).toEqual({ ok: false, reason: 'BAD_CREDENTIALS', locked: { failures: 5, until: T0 + 30_000 } });
    expect(await store.verifyLogin('alice', PASSWORD, codeAt(s, T0), T0 + 1_000)).toEqual({ ok: false, reason: 'ACCOUNT_LOCKED', lockedUntil: T0 + 30_000 });
    expect(await store.verifyLogin('alice', PASSWORD, codeAt(s, T0 + 29_999), T0 + 29_999)).toMatchObject({ reason: 'ACCOUNT_LOCKED' });
    expect(store.verifyStepUp('alice', codeAt(s, T0 + 29_999), T0 + 29_999)).toMatchObject({ reason: 'ACCOUNT_LOCKED' });
    // the refused right login did not use its code up
    expect(await store.verifyLogin('alice', PASSWORD, codeAt(s, T0 + 30_000), T0 + 30_000)).toEqual({ ok: true, user: 'alice', stamp: expect.any(String) });
  });

  it('each further lock lasts twice as long; a success starts over at 30 s', async () => {
    const { store, alice } = withAlice();
    let now = T0;
    for (const len of [30_000, 60_000, 120_000]) {
      const r = await failFive(store, now);
      expect(r).toMatchObject({ ok: false, locked: { failures: 5, until: now + len } });
      // more failures while locked neither count nor lengthen it
      expect(await store.verifyLogin('alice', 'wrong password!', '000000', now + 1)).toEqual({ ok: false, reason: 'ACCOUNT_LOCKED', lockedUntil: now + len });
      now += len;
    }
    expect(await store.verifyLogin('alice', PASSWORD, codeAt(alice.totpSecret, now), now)).toEqual({ ok: true, user: 'alice', stamp: expect.any(String) });
    expect(await failFive(store, now)).toMatchObject({ locked: { failures: 5, until: now + 30_000 } });
  });

  it('a success clears the failures so far; replayed codes and step-up failures count', async () => {
    const { store, alice } = withAlice();
    const s = alice.totpSecret;
    for (let i = 0; i < 4; i++) await store.verifyLogin('alice', 'wrong password!', '000000', T0);
    expect((await store.verifyLogin('alice', PASSWORD, codeAt(s, T0), T0)).ok).toBe(true);
    for (let i = 0; i < 3; i++) expect(await store.verifyLogin('alice', PASSWORD, codeAt(s, T0), T0)).toEqual({ ok: false, reason: 'TOTP_REPLAYED' });
    expect(store.verifyStepUp('alice', '000000', T0)).toMatchObject({ ok: false, reason: 'BAD_CREDENTIALS' });
    expect(store.verifyStepUp('alice', codeAt(s, T0), T0)).toEqual({ ok: false, reason: 'TOTP_REPLAYED', locked: { failures: 5, until: T0 + 30_000 } });
  });
});

describe('users file: step-up', () => {
  it('needs a fresh code: the login\'s code is used up, the next step\'s works once', async () => {
    const { store, alice } = withAlice();
    const s = alice.totpSecret;
    expect((await store.verifyLogin('alice', PASSWORD, codeAt(s, T0), T0)).ok).toBe(true);
    expect(store.verifyStepUp('alice', codeAt(s, T0), T0 + 5_000)).toEqual({ ok: false, reason: 'TOTP_REPLAYED' });
    expect(store.verifyStepUp('alice', codeAt(s, T0 + STEP), T0 + STEP)).toEqual({ ok: true, user: 'alice', stamp: expect.any(String) });
    expect(store.verifyStepUp('alice', codeAt(s, T0 + STEP), T0 + STEP)).toEqual({ ok: false, reason: 'TOTP_REPLAYED' });
    expect(store.verifyStepUp('nobody', codeAt(s, T0 + 2 * STEP), T0 + 2 * STEP)).toEqual({ ok: false, reason: 'UNKNOWN_USER' });
    expect(store.verifyStepUp('alice', 'nope', T0 + 2 * STEP)).toEqual({ ok: false, reason: 'BAD_CREDENTIALS' });
  });
});
