import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openUsersFile, totpCodeForStep, totpStep, type UsersStore } from '../../../src/adapters/auth/index.js';
import { generateKeyFile } from '../../../src/adapters/journal/journalKey.js';
import { buildApp } from '../../../src/app/dashboard/server.js';
import { SESSION_COOKIE } from '../../../src/app/dashboard/sessions.js';
import { appendEvents, ashare, ev, runStartedData } from '../dashboard/dashboardHarness.js';

// `ashare user` as the compiled CLI in child processes, on a temporary users file and a 0600 key
// file: what add prints without --json (the terminal QR code of the otpauth URI), reset-totp and
// remove, and their effect on a dashboard that is running meanwhile on the same users file.
const work = mkdtempSync(join(tmpdir(), 'ashare-user-cli-'));
const keyFile = join(work, 'journal.key');
const keyed = generateKeyFile(keyFile);
if (isLeft(keyed)) throw new Error(keyed.left.message);
const key = keyed.right as { kind: 'keyFile'; path: string };
const users = join(work, 'users.sqlite');
const passwordFile = join(work, 'pw.txt');
const PASSWORD = 'a long desk passphrase';
writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });

const user = (...args: string[]) => ashare(work, ['user', ...args, '--users', users, '--key-file', keyFile]);
const secretIn = (out: string): string => /TOTP secret: ([A-Z2-7]{32})/.exec(out)?.[1] ?? '';

/** The store as another process sees it: opened for one question, then closed. */
async function signsIn(name: string, secret: string, step: number): Promise<boolean> {
  const s = openUsersFile({ path: users, key });
  if (isLeft(s)) throw new Error(s.left.message);
  try {
    return (await s.right.verifyLogin(name, PASSWORD, totpCodeForStep(secret, step), Date.now())).ok;
  } finally {
    s.right.close();
  }
}

describe('ashare user (child processes)', () => {
  it('add without --json prints the secret, the otpauth URI and a terminal QR code of that URI; the key and users files are 0600', async () => {
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const r = ashare(work, ['user', 'add', 'alice', '--users', users, '--password-file', passwordFile, '--key-file', keyFile]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe('');
    const secret = secretIn(r.out);
    const uri = `otpauth://totp/ashare:alice?secret=${secret}&issuer=ashare&algorithm=SHA1&digits=6&period=30`;
    expect(r.out).toContain(`otpauth URI: ${uri}\n`);
    // The QR code encodes the URI itself (the one the library draws for it), in block characters.
    const qr = await QRCode.toString(uri, { type: 'terminal', small: true });
    expect(r.out).toContain(qr);
    expect(qr.split('\n').filter((l) => /[▀▄█]/.test(l)).length).toBeGreaterThan(10);
    expect(r.out).toMatch(/not shown again/);
    expect(statSync(users).mode & 0o777).toBe(0o600);
    expect(await signsIn('alice', secret, totpStep(Date.now()))).toBe(true);
  });

  it('reset-totp gives a new secret and its QR code at once; the old secret no longer signs in, the new one does', async () => {
    const before = JSON.parse(ashare(work, ['user', 'add', 'bob', '--users', users, '--password-file', passwordFile, '--key-file', keyFile, '--json']).out).totpSecret as string;
    const r = user('reset-totp', 'bob');
    expect(r.code, r.err).toBe(0);
    const after = secretIn(r.out);
    expect(after).not.toBe('');
    expect(after).not.toBe(before);
    expect(r.out).toContain(await QRCode.toString(`otpauth://totp/ashare:bob?secret=${after}&issuer=ashare&algorithm=SHA1&digits=6&period=30`, { type: 'terminal', small: true }));
    const step = totpStep(Date.now());
    expect(await signsIn('bob', before, step)).toBe(false);
    expect(await signsIn('bob', after, step + 1)).toBe(true);
    const json = user('reset-totp', 'bob', '--json');
    expect(json.code).toBe(0);
    expect(Object.keys(JSON.parse(json.out)).sort()).toEqual(['name', 'otpauthUri', 'totpSecret']);
    const none = user('reset-totp', 'nobody');
    expect([none.code, none.out]).toEqual([3, '']);
    expect(none.err.trim().split('\n')).toHaveLength(1);
  });

  it('remove takes the user out of the file (one line); removing again is exit 3 with one sentence naming the user', () => {
    ashare(work, ['user', 'add', 'carol', '--users', users, '--password-file', passwordFile, '--key-file', keyFile, '--json']);
    const r = user('remove', 'carol');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(`User carol removed from ${users}.\n`);
    expect(JSON.parse(user('list', '--json').out).users).not.toContain('carol');
    const again = user('remove', 'carol');
    expect(again.code).toBe(3);
    expect(again.err.trim().split('\n')).toHaveLength(1);
    expect(again.err).toMatch(/no user carol/);
    expect(JSON.parse(user('remove', 'bob', '--json').out)).toEqual({ name: 'bob', removed: true });
  });
});

describe('ashare user while a dashboard runs on the same users file', () => {
  const ORIGIN = 'http://127.0.0.1:8750';
  const journal = join(work, 'run.sqlite');
  let store: UsersStore;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let step = 0;

  beforeAll(async () => {
    await appendEvents(journal, key, [ev('RunStarted', runStartedData(), Date.parse('2024-03-05T08:30:00+08:00'))]);
    const s = openUsersFile({ path: users, key });
    if (isLeft(s)) throw new Error(s.left.message);
    store = s.right;
    app = await buildApp({ journalPath: journal, key, users: store, securityLogPath: `${journal}.security.sqlite`, origins: [ORIGIN], verifyEveryMs: 3_600_000 });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    store?.close();
  });

  /** Signs in with a code of a step not used before (each code is accepted once); the session cookie, or null. */
  async function signIn(name: string, secret: string): Promise<string | null> {
    step = Math.max(step + 1, totpStep(Date.now()) - 1);
    const res = await app.inject({ method: 'POST', url: '/api/login', headers: { origin: ORIGIN }, payload: { username: name, password: PASSWORD, totp: totpCodeForStep(secret, step) } });
    const c = res.cookies.find((x) => x.name === SESSION_COOKIE);
    return res.statusCode === 200 && c ? `${SESSION_COOKIE}=${c.value}` : null;
  }
  const me = async (cookie: string) => (await app.inject({ url: '/api/me', headers: { cookie } })).statusCode;

  it('the next request of a session is 401 once the CLI has reset the user\'s TOTP, and again once it has removed the user', async () => {
    const secret = JSON.parse(ashare(work, ['user', 'add', 'dora', '--users', users, '--password-file', passwordFile, '--key-file', keyFile, '--json']).out).totpSecret as string;
    const first = await signIn('dora', secret);
    expect(first).not.toBeNull();
    expect(await me(first!)).toBe(200);
    const reset = user('reset-totp', 'dora', '--json');
    expect(reset.code, reset.err).toBe(0);
    expect(await me(first!)).toBe(401);
    const second = await signIn('dora', JSON.parse(reset.out).totpSecret as string);
    expect(second).not.toBeNull();
    expect(await me(second!)).toBe(200);
    expect(user('remove', 'dora').code).toBe(0);
    expect(await me(second!)).toBe(401);
  }, 60_000);
});
