import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { generateSync } from 'otplib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openUsersFile } from '../../../src/adapters/auth/index.js';
import { generateKeyFile } from '../../../src/adapters/journal/journalKey.js';
import { userCommand } from '../../../src/app/cli/commands/user.js';
import { AppError } from '../../../src/app/errors.js';

// `ashare user` in process (main.ts registers it; here it is called directly): stdout, stderr and
// the exit code the CLI would give, with AppErrors mapped as main() maps them.
const work = mkdtempSync(join(tmpdir(), 'ashare-user-'));
const PASSWORD = 'a long enough password';
const keyFile = join(work, 'journal.key');
const otherKey = join(work, 'other.key');
for (const k of [keyFile, otherKey]) if (isLeft(generateKeyFile(k))) throw new Error('cannot write a key file');
const passwordFile = join(work, 'password.txt');
writeFileSync(passwordFile, `${PASSWORD}\nthe second line is not part of it\n`);

let n = 0;
const fresh = (): string => join(work, `users-${++n}.sqlite`);

async function ashareUser(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out += String(s); return true; });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { err += String(s); return true; });
  try {
    const code = await userCommand(argv);
    return { code, out, err };
  } catch (x) {
    if (!(x instanceof AppError)) throw x;
    return { code: x.exitCode, out, err: err + `ashare user: ${x.message}\n` };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

beforeEach(() => {
  vi.stubEnv('ASHARE_JOURNAL_KEY_FILE', '');
  vi.stubEnv('ASHARE_JOURNAL_PASSPHRASE', '');
});
afterEach(() => { vi.unstubAllEnvs(); });

const add = (users: string, name = 'alice', ...more: string[]) =>
  ashareUser('add', name, '--users', users, '--password-file', passwordFile, '--key-file', keyFile, '--json', ...more);

describe('ashare user', () => {
  it('add --json prints {name, totpSecret, otpauthUri} once; the secret is on stdout only', async () => {
    const users = fresh();
    const r = await add(users);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe('');
    const e = JSON.parse(r.out);
    expect(Object.keys(e).sort()).toEqual(['name', 'otpauthUri', 'totpSecret']);
    expect(e.name).toBe('alice');
    expect(e.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    expect(e.otpauthUri).toBe(`otpauth://totp/ashare:alice?secret=${e.totpSecret}&issuer=ashare&algorithm=SHA1&digits=6&period=30`);
    expect(statSync(users).mode & 0o777).toBe(0o600);
    const raw = readFileSync(users);
    for (const s of [e.totpSecret, PASSWORD, 'alice', '$argon2id']) expect(raw.includes(Buffer.from(s)), s).toBe(false);
    // the password is the file's first line, and the enrolment logs in
    const store = openUsersFile({ path: users, key: { kind: 'keyFile', path: keyFile } });
    if (isLeft(store)) throw new Error(store.left.message);
    const now = 1_700_000_015_000;
    expect(await store.right.verifyLogin('alice', PASSWORD, generateSync({ secret: e.totpSecret, epoch: now / 1000 }), now)).toEqual({ ok: true, user: 'alice', stamp: expect.any(String) });
    store.right.close();
  });

  it('add without --json shows the secret, the URI, a QR code and says it is not shown again', async () => {
    const r = await ashareUser('add', 'bob', '--users', fresh(), '--password-file', passwordFile, '--key-file', keyFile);
    expect(r.code, r.err).toBe(0);
    const secret = /TOTP secret: ([A-Z2-7]{32})/.exec(r.out)?.[1];
    expect(secret).toBeDefined();
    expect(r.out).toContain(`otpauth://totp/ashare:bob?secret=${secret}&issuer=ashare`);
    expect(r.out).toMatch(/[▄▀█]/); // the terminal QR code
    expect(r.out).toMatch(/scan .*now.*not shown again/i);
    expect(r.err).toBe('');
  });

  it('takes the key from ASHARE_JOURNAL_KEY_FILE; refuses to work without a key unless --allow-plaintext', async () => {
    const users = fresh();
    const refused = await ashareUser('add', 'alice', '--users', users, '--password-file', passwordFile, '--json');
    expect(refused.code).toBe(4);
    expect(refused.err).toMatch(/must be encrypted like the journal.*--allow-plaintext/);
    expect(refused.out).toBe('');
    expect(existsSync(users)).toBe(false);

    vi.stubEnv('ASHARE_JOURNAL_KEY_FILE', keyFile);
    expect((await ashareUser('add', 'alice', '--users', users, '--password-file', passwordFile, '--json')).code).toBe(0);
    vi.stubEnv('ASHARE_JOURNAL_KEY_FILE', '');
    expect((await ashareUser('list', '--users', users, '--key-file', keyFile, '--json')).out).toContain('alice');

    const plain = fresh();
    const p = await ashareUser('add', 'alice', '--users', plain, '--password-file', passwordFile, '--allow-plaintext', '--json');
    expect(p.code, p.err).toBe(0);
    expect(statSync(plain).mode & 0o777).toBe(0o600);
  });

  it('a wrong key or the wrong kind of file is exit 4', async () => {
    const users = fresh();
    await add(users);
    const wrong = await ashareUser('list', '--users', users, '--key-file', otherKey);
    expect(wrong.code).toBe(4);
    expect(wrong.err).toContain(users);
    expect((await ashareUser('list', '--users', users, '--allow-plaintext')).code).toBe(4);
    expect((await ashareUser('list', '--users', fresh(), '--key-file', keyFile)).code).toBe(4); // no such file
  });

  it('bad input is exit 3: a missing password file (named), a short password, an existing name, a bad name', async () => {
    const users = fresh();
    const missing = join(work, 'no-such-password.txt');
    const r = await ashareUser('add', 'alice', '--users', users, '--password-file', missing, '--key-file', keyFile);
    expect(r.code).toBe(3);
    expect(r.err).toContain(missing);
    expect(existsSync(users)).toBe(false);

    const short = join(work, 'short.txt');
    writeFileSync(short, 'short\n');
    const s = await ashareUser('add', 'alice', '--users', users, '--password-file', short, '--key-file', keyFile);
    expect(s.code).toBe(3);
    expect(s.err).toMatch(/at least 12 characters/);
    expect(s.err).not.toContain('short\n');

    expect((await add(users)).code).toBe(0);
    const again = await add(users);
    expect(again.code).toBe(3);
    expect(again.err).toMatch(/already exists/);
    expect((await add(users, 'not valid!')).code).toBe(3);
  });

  it('a CRLF password file gives the same password', async () => {
    const users = fresh();
    const crlf = join(work, 'crlf.txt');
    writeFileSync(crlf, `${PASSWORD}\r\n`);
    const e = JSON.parse((await ashareUser('add', 'carol', '--users', users, '--password-file', crlf, '--key-file', keyFile, '--json')).out);
    const store = openUsersFile({ path: users, key: { kind: 'keyFile', path: keyFile } });
    if (isLeft(store)) throw new Error(store.left.message);
    const now = 1_700_000_015_000;
    expect((await store.right.verifyLogin('carol', PASSWORD, generateSync({ secret: e.totpSecret, epoch: now / 1000 }), now)).ok).toBe(true);
    store.right.close();
  });

  it('list, reset-totp and remove', async () => {
    const users = fresh();
    const first = JSON.parse((await add(users, 'alice')).out);
    await add(users, 'bob');
    const k = ['--users', users, '--key-file', keyFile];
    expect(JSON.parse((await ashareUser('list', ...k, '--json')).out)).toEqual({ users: ['alice', 'bob'] });
    expect((await ashareUser('list', ...k)).out).toBe('alice\nbob\n');

    const reset = await ashareUser('reset-totp', 'alice', ...k, '--json');
    expect(reset.code).toBe(0);
    const second = JSON.parse(reset.out);
    expect(Object.keys(second).sort()).toEqual(['name', 'otpauthUri', 'totpSecret']);
    expect(second.totpSecret).not.toBe(first.totpSecret);
    const store = openUsersFile({ path: users, key: { kind: 'keyFile', path: keyFile } });
    if (isLeft(store)) throw new Error(store.left.message);
    const now = 1_700_000_015_000;
    expect(await store.right.verifyLogin('alice', PASSWORD, generateSync({ secret: first.totpSecret, epoch: now / 1000 }), now)).toMatchObject({ ok: false });
    expect(await store.right.verifyLogin('alice', PASSWORD, generateSync({ secret: second.totpSecret, epoch: now / 1000 }), now)).toEqual({ ok: true, user: 'alice', stamp: expect.any(String) });
    store.right.close();

    expect(JSON.parse((await ashareUser('remove', 'bob', ...k, '--json')).out)).toEqual({ name: 'bob', removed: true });
    expect(JSON.parse((await ashareUser('list', ...k, '--json')).out)).toEqual({ users: ['alice'] });
    const gone = await ashareUser('remove', 'bob', ...k);
    expect(gone.code).toBe(3);
    expect((await ashareUser('reset-totp', 'bob', ...k)).code).toBe(3);
  });

  it('usage errors are exit 2; --help is exit 0', async () => {
    expect((await ashareUser()).code).toBe(2);
    const help = await ashareUser('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: ashare user add');
    expect((await ashareUser('add', '--help')).out).toContain('reset-totp');
    expect((await ashareUser('rename', 'x', '--users', fresh())).code).toBe(2);
    expect((await ashareUser('add', '--users', fresh(), '--password-file', passwordFile, '--key-file', keyFile)).code).toBe(2); // no NAME
    expect((await ashareUser('add', 'alice', '--password-file', passwordFile, '--key-file', keyFile)).code).toBe(2); // no --users
    expect((await ashareUser('add', 'alice', '--users', fresh(), '--key-file', keyFile)).code).toBe(2); // no --password-file
    expect((await ashareUser('add', 'alice', '--users', fresh(), '--password', 'x')).code).toBe(2); // never on the command line
    expect((await ashareUser('list', 'alice', '--users', fresh())).code).toBe(2);
  });
});
