import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { isLeft, type Either } from 'fp-ts/lib/Either.js';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openUsersFile, totpCodeForStep, totpStep, type UsersStore } from '../../../src/adapters/auth/index.js';
import { generateKeyFile } from '../../../src/adapters/journal/journalKey.js';
import { buildApp } from '../../../src/app/dashboard/server.js';
import { SESSION_COOKIE } from '../../../src/app/dashboard/sessions.js';
import { WS_SESSION_ENDED } from '../../../src/app/dashboard/liveFeed.js';
import { appendEvents, ev, journalEvents, runStartedData, waitFor } from './dashboardHarness.js';

// A running dashboard and `ashare user remove` / `reset-totp` run meanwhile: the dashboard holds the
// users file open, the CLI writes it through a handle of its own (here a second store on the same
// file). The removed or re-enrolled user's sessions end at their next request and on the live feed.
const work = mkdtempSync(join(tmpdir(), 'ashare-dash-revoke-'));
const keyed = generateKeyFile(join(work, 'journal.key'));
if (isLeft(keyed)) throw new Error(keyed.left.message);
const key = keyed.right as { kind: 'keyFile'; path: string };
const journal = join(work, 'run.sqlite');
const usersPath = join(work, 'users.sqlite');
const ORIGIN = 'http://127.0.0.1:8750';
const PASSWORD = 'correct horse battery staple';
let t = Date.UTC(2026, 11, 7, 8, 0, 0);
let users: UsersStore; // the dashboard's handle
let cli: UsersStore; // the other process's
let app: FastifyInstance;
const secrets = new Map<string, string>();
const lastStep = new Map<string, number>();

const ok = <A>(r: Either<{ message: string }, A>): A => {
  if (isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

/** A code for a step not used yet by this user (each code is accepted once). */
function code(user: string): string {
  const s = Math.max((lastStep.get(user) ?? -Infinity) + 1, totpStep(t) - 1);
  if (s > totpStep(t) + 1) t += 30_000;
  lastStep.set(user, s);
  return totpCodeForStep(secrets.get(user)!, s);
}

function enrol(name: string): void {
  secrets.set(name, ok(cli.add(name, PASSWORD, t)).totpSecret);
  lastStep.delete(name);
}

async function signIn(user: string): Promise<{ status: number; cookie: string }> {
  const res = await app.inject({ method: 'POST', url: '/api/login', remoteAddress: `10.0.0.${user.length}`, headers: { origin: ORIGIN }, payload: { username: user, password: PASSWORD, totp: code(user) } });
  const c = res.cookies.find((x) => x.name === SESSION_COOKIE);
  return { status: res.statusCode, cookie: c ? `${SESSION_COOKIE}=${c.value}` : '' };
}

const me = async (cookie: string) => (await app.inject({ url: '/api/me', headers: { cookie } })).statusCode;

beforeAll(async () => {
  await appendEvents(journal, key, [ev('RunStarted', runStartedData(), Date.parse('2024-03-05T08:30:00+08:00'))]);
  users = ok(openUsersFile({ path: usersPath, key, create: true }));
  cli = ok(openUsersFile({ path: usersPath, key }));
  enrol('alice');
  app = await buildApp({ journalPath: journal, key, users, securityLogPath: `${journal}.security.sqlite`, origins: [ORIGIN], now: () => t, verifyEveryMs: 3_600_000 });
  await app.ready();
}, 60_000);

afterAll(async () => {
  await app?.close();
  users?.close();
  cli?.close();
});

describe('dashboard sessions of a user changed at the console', () => {
  it('ends every session of a removed user at the next request (401), and only theirs', async () => {
    enrol('erin');
    const a = await signIn('erin');
    const b = await signIn('erin');
    const alice = await signIn('alice');
    expect([a.status, b.status, alice.status]).toEqual([200, 200, 200]);
    expect([await me(a.cookie), await me(b.cookie)]).toEqual([200, 200]);
    ok(cli.remove('erin'));
    expect(await me(a.cookie)).toBe(401);
    expect(await me(b.cookie)).toBe(401);
    expect((await app.inject({ url: '/api/state', headers: { cookie: a.cookie } })).statusCode).toBe(401);
    expect(await me(alice.cookie)).toBe(200);
    expect((await signIn('erin')).status).toBe(401);
    // Added again under the same name (a new password hash and secret): the old sessions stay ended.
    enrol('erin');
    expect(await me(b.cookie)).toBe(401);
    expect((await signIn('erin')).status).toBe(200);
  });

  it('ends the sessions signed in before a TOTP reset; one signed in after it lives on', async () => {
    enrol('frank');
    const before = await signIn('frank');
    expect(await me(before.cookie)).toBe(200);
    const oldSecret = secrets.get('frank')!;
    secrets.set('frank', ok(cli.resetTotp('frank', t)).totpSecret);
    expect(await me(before.cookie)).toBe(401);
    const after = await signIn('frank');
    expect(after.status).toBe(200);
    expect(await me(after.cookie)).toBe(200);
    expect(await me(after.cookie)).toBe(200);
    // The old authenticator no longer signs in.
    const old = await app.inject({ method: 'POST', url: '/api/login', remoteAddress: '10.0.1.1', headers: { origin: ORIGIN }, payload: { username: 'frank', password: PASSWORD, totp: totpCodeForStep(oldSecret, totpStep(t) + 1) } });
    expect(old.statusCode).toBe(401);
  });

  it('closes the live feed of a user whose TOTP is reset (close code 4401)', async () => {
    enrol('gina');
    const s = await signIn('gina');
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as { port: number }).port;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?afterSeq=0`, { headers: { origin: ORIGIN, cookie: s.cookie } });
    let closed = 0;
    ws.on('close', (c) => { closed = c; });
    await new Promise((r, j) => { ws.on('open', r); ws.on('error', j); });
    ok(cli.resetTotp('gina', t));
    await waitFor('the feed to close', () => closed !== 0, 10_000, 50); // the feed checks its session every 5 s
    expect(closed).toBe(WS_SESSION_ENDED);
  }, 20_000);

  it('journals each session so ended in the security log: SessionEnded USER_REMOVED, or CREDENTIALS_CHANGED after a TOTP reset', async () => {
    await waitFor('the security log', async () => (await journalEvents(`${journal}.security.sqlite`, key)).filter((e) => e.type === 'SessionEnded').length >= 4, 5_000, 50);
    const ended = (await journalEvents(`${journal}.security.sqlite`, key)).filter((e) => e.type === 'SessionEnded').map((e) => [e.data.user, e.data.reason]);
    expect(ended).toEqual([['erin', 'USER_REMOVED'], ['erin', 'USER_REMOVED'], ['frank', 'CREDENTIALS_CHANGED'], ['gina', 'CREDENTIALS_CHANGED']]);
  });
});
