import { readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { isLeft } from 'fp-ts/lib/Either.js';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openUsersFile, type UsersStore } from '../../../src/adapters/auth/index.js';
import { totpCodeForStep, totpStep } from '../../../src/adapters/auth/totp.js';
import { derivedKey, pendingCommands } from '../../../src/adapters/commands/index.js';
import { openSqliteJournal, verifyJournalFile } from '../../../src/adapters/journal/index.js';
import { processStartOf } from '../../../src/adapters/lock/lockFile.js';
import { buildApp } from '../../../src/app/dashboard/server.js';
import { SESSION_COOKIE } from '../../../src/app/dashboard/sessions.js';
import { appendEvents, ashare, ev, journalEvents, makeDesk, runStartedData, waitFor } from './dashboardHarness.js';

// The dashboard's API and websocket through fastify's inject and a real loopback listener, on the
// journal of a finished paper run: authentication, sessions, CSRF/Origin, lockout, TOTP replay,
// headers, errors, the JSON the pages read, and the live feed (resume without gaps, slow clients).
const desk = makeDesk('ashare-dash-api-');
const journal = join(desk.work, 'run.sqlite');
const ORIGIN = 'http://127.0.0.1:8750';
const PASSWORD = 'correct horse battery staple';
let t = Date.UTC(2026, 11, 7, 8, 0, 0);
const now = () => t;
let users: UsersStore;
let app: FastifyInstance;
let secret: string;
let bobSecret: string;
let step = 0;

/** A fresh code each call: the next TOTP step inside the ±1 window, moving the clock on a step when needed. */
function freshCode(s: string): string {
  step = Math.max(step + 1, totpStep(t) - 1);
  if (step > totpStep(t) + 1) t += 30_000;
  return totpCodeForStep(s, step);
}

beforeAll(async () => {
  const r = ashare(desk.work, ['run', '--config', desk.config('p'), '--key-file', desk.keyFile, '--journal', journal, '--clock', 'sim:2022-01-04T08:00:00+08:00:max', '--until', '2022-03-01T00:00:00+08:00']);
  expect(r.code, r.err).toBe(0);
  const u = openUsersFile({ path: join(desk.work, 'users.sqlite'), key: desk.key, create: true });
  if (isLeft(u)) throw new Error(u.left.message);
  users = u.right;
  const a = users.add('alice', PASSWORD, t);
  const b = users.add('bob', PASSWORD, t);
  if (isLeft(a) || isLeft(b)) throw new Error('enrol');
  secret = a.right.totpSecret;
  bobSecret = b.right.totpSecret;
  app = await buildApp({ journalPath: journal, key: desk.key, users, securityLogPath: `${journal}.security.sqlite`, origins: [ORIGIN], now, verifyEveryMs: 3_600_000 });
  await app.ready();
}, 120_000);

afterAll(async () => {
  await app?.close();
  users?.close();
});

async function login(user = 'alice', s = secret, address = '127.0.0.1') {
  const res = await app.inject({ method: 'POST', url: '/api/login', remoteAddress: address, headers: { origin: ORIGIN }, payload: { username: user, password: PASSWORD, totp: freshCode(s) } });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE)!;
  return { cookie: `${SESSION_COOKIE}=${cookie.value}`, csrf: (res.json() as { csrfToken: string }).csrfToken, raw: cookie };
}

describe('dashboard API security', () => {
  it('answers 401 on every API route and redirects every page without a session; only the login page and its assets are public', async () => {
    for (const [method, url] of [
      ['GET', '/api/state'], ['GET', '/api/orders'], ['GET', '/api/risk'], ['GET', '/api/alerts'], ['GET', '/api/events'], ['GET', '/api/events/1'],
      ['GET', '/api/me'], ['POST', '/api/logout'], ['POST', '/api/actions/kill-switch'], ['POST', '/api/alerts/1/ack'], ['GET', '/ws'],
    ] as const) {
      const res = await app.inject({ method, url, headers: { origin: ORIGIN } });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
      expect(res.json()).toEqual({ error: 'not signed in' });
    }
    for (const url of ['/', '/positions', '/orders', '/risk', '/alerts', '/journal']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(302);
      expect(res.headers.location).toBe('/login');
    }
    for (const url of ['/login', '/assets/app.js', '/assets/app.css', '/assets/echarts.min.js']) expect((await app.inject({ url })).statusCode, url).toBe(200);
    // A made-up cookie is no session.
    expect((await app.inject({ url: '/api/state', headers: { cookie: `${SESSION_COOKIE}=forged` } })).statusCode).toBe(401);
  });

  it('sets the session cookie __Host-, HttpOnly, Secure, SameSite=Strict, Path=/, and rotates it at every login', async () => {
    const first = await login();
    expect(first.raw).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
    expect(first.raw.domain).toBeUndefined();
    const res = await app.inject({ method: 'POST', url: '/api/login', headers: { origin: ORIGIN, cookie: first.cookie }, payload: { username: 'alice', password: PASSWORD, totp: freshCode(secret) } });
    expect(res.statusCode).toBe(200);
    const second = res.cookies.find((c) => c.name === SESSION_COOKIE)!.value;
    expect(`${SESSION_COOKIE}=${second}`).not.toBe(first.cookie);
    expect((await app.inject({ url: '/api/me', headers: { cookie: first.cookie } })).statusCode).toBe(401); // the old id ended
    const me = await app.inject({ url: '/api/me', headers: { cookie: `${SESSION_COOKIE}=${second}` } });
    expect(me.json()).toMatchObject({ user: 'alice', idleTimeoutSeconds: 900 });
  });

  it('gives one answer to every failed login: wrong password, wrong code and unknown user look the same, in message and roughly in time', async () => {
    const attempt = async (username: string, password: string, totp: string, address: string) => {
      const t0 = performance.now();
      const res = await app.inject({ method: 'POST', url: '/api/login', remoteAddress: address, headers: { origin: ORIGIN }, payload: { username, password, totp } });
      return { status: res.statusCode, body: res.body, ms: performance.now() - t0 };
    };
    const wrongPw = await attempt('alice', 'not the password at all', freshCode(secret), '10.0.0.1');
    const wrongCode = await attempt('alice', PASSWORD, '000000' === totpCodeForStep(secret, totpStep(t)) ? '111111' : '000000', '10.0.0.2');
    const nobody = await attempt('mallory', PASSWORD, '123456', '10.0.0.3');
    expect([wrongPw.status, wrongCode.status, nobody.status]).toEqual([401, 401, 401]);
    expect(new Set([wrongPw.body, wrongCode.body, nobody.body]).size).toBe(1);
    // Timing: an unknown user costs the same argon2 work as a known one (means over a few tries; generous bounds).
    const known: number[] = [], unknown: number[] = [];
    for (let i = 0; i < 4; i++) {
      known.push((await attempt('alice', `wrong password ${i} padding`, '123456', `10.1.0.${i}`)).ms);
      unknown.push((await attempt(`ghost${i}`, `wrong password ${i} padding`, '123456', `10.2.0.${i}`)).ms);
    }
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    const ratio = mean(unknown) / mean(known);
    expect(ratio).toBeGreaterThan(0.33);
    expect(ratio).toBeLessThan(3);
    // Alice's failures above must not lock her out of the tests that follow.
    await login();
  });

  it('accepts each TOTP code once: the same code after a logout is refused, the next step\'s code works', async () => {
    const code = freshCode(bobSecret);
    const ok = await app.inject({ method: 'POST', url: '/api/login', remoteAddress: '10.3.0.1', headers: { origin: ORIGIN }, payload: { username: 'bob', password: PASSWORD, totp: code } });
    expect(ok.statusCode).toBe(200);
    const replay = await app.inject({ method: 'POST', url: '/api/login', remoteAddress: '10.3.0.1', headers: { origin: ORIGIN }, payload: { username: 'bob', password: PASSWORD, totp: code } });
    expect(replay.statusCode).toBe(401);
    const next = await app.inject({ method: 'POST', url: '/api/login', remoteAddress: '10.3.0.1', headers: { origin: ORIGIN }, payload: { username: 'bob', password: PASSWORD, totp: freshCode(bobSecret) } });
    expect(next.statusCode).toBe(200);
  });

  it('locks an account after 5 failures (a correct login then fails too) and a client address with 429', async () => {
    const u = users.add('carol', PASSWORD, t);
    if (isLeft(u)) throw new Error(u.left.message);
    const carolsCode = freshCode(u.right.totpSecret); // taken before the failures: the clock does not move while she is locked
    const alicesCode = freshCode(secret);
    for (let i = 0; i < 5; i++) {
      const r = await app.inject({ method: 'POST', url: '/api/login', remoteAddress: `10.4.0.${i}`, headers: { origin: ORIGIN }, payload: { username: 'carol', password: 'wrong wrong wrong', totp: '123456' } });
      expect(r.statusCode).toBe(401);
    }
    const locked = await app.inject({ method: 'POST', url: '/api/login', remoteAddress: '10.4.1.1', headers: { origin: ORIGIN }, payload: { username: 'carol', password: PASSWORD, totp: carolsCode } });
    expect(locked.statusCode).toBe(401);
    for (let i = 0; i < 5; i++) {
      await app.inject({ method: 'POST', url: '/api/login', remoteAddress: '10.5.0.1', headers: { origin: ORIGIN }, payload: { username: `nobody${i}`, password: 'x'.repeat(12), totp: '123456' } });
    }
    const throttled = await app.inject({ method: 'POST', url: '/api/login', remoteAddress: '10.5.0.1', headers: { origin: ORIGIN }, payload: { username: 'alice', password: PASSWORD, totp: alicesCode } });
    expect(throttled.statusCode).toBe(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    // Once the lock has run out, the right credentials work again.
    t += 31_000;
    const after = await app.inject({ method: 'POST', url: '/api/login', remoteAddress: '10.4.1.1', headers: { origin: ORIGIN }, payload: { username: 'carol', password: PASSWORD, totp: freshCode(u.right.totpSecret) } });
    expect(after.statusCode).toBe(200);
  });

  it('limits sign-in attempts to 20 a minute per client address (429), apart from the lockout and leaving other routes alone', async () => {
    const address = '10.9.9.9';
    const malformed = () => app.inject({ method: 'POST', url: '/api/login', remoteAddress: address, headers: { origin: ORIGIN }, payload: { username: 'alice', password: PASSWORD, totp: 'abc' } });
    // Malformed attempts never count toward the lockout (ADDRESS_LOCKED would answer 429 after 5): what stops the 21st is the rate limit.
    for (let i = 0; i < 20; i++) expect((await malformed()).statusCode, `attempt ${i + 1}`).toBe(400);
    const limited = await app.inject({ method: 'POST', url: '/api/login', remoteAddress: address, headers: { origin: ORIGIN }, payload: { username: 'alice', password: PASSWORD, totp: freshCode(secret) } });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({ error: expect.stringMatching(/^too many requests: try again in \d+ s$/) });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another address signs in; the limited one still reaches the rest of the API (600 a minute).
    const s = await login('alice', secret, '10.9.9.10');
    for (let i = 0; i < 25; i++) expect((await app.inject({ url: '/api/me', remoteAddress: address, headers: { cookie: s.cookie } })).statusCode).toBe(200);
  });

  it('refuses a state-changing request without the CSRF token or from another origin; without a service the dashboard is read-only (409)', async () => {
    const s = await login();
    const post = (headers: Record<string, string>) => app.inject({ method: 'POST', url: '/api/actions/kill-switch', headers: { cookie: s.cookie, ...headers }, payload: { engage: true, totp: '123456' } });
    expect((await post({ origin: ORIGIN })).statusCode).toBe(403);
    expect((await post({ origin: ORIGIN, 'x-csrf-token': 'not-the-token-not-the-token-not-the-token-1' })).statusCode).toBe(403);
    expect((await post({ origin: 'https://evil.example', 'x-csrf-token': s.csrf })).statusCode).toBe(403);
    const ro = await post({ origin: ORIGIN, 'x-csrf-token': s.csrf });
    expect(ro.statusCode).toBe(409);
    expect(ro.json().error).toMatch(/read-only/);
    expect((await app.inject({ method: 'POST', url: '/api/logout', headers: { cookie: s.cookie, origin: ORIGIN } })).statusCode).toBe(403);
  });

  it('hands an action to a running service only with a fresh TOTP code (step-up), signed for the service', async () => {
    // A live lock holder: this very process stands in for the service (the dashboard only checks that one runs).
    const lock = `${journal}.lock`;
    writeFileSync(lock, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), procStart: processStartOf(process.pid), host: hostname() }));
    try {
      const s = await login();
      const act = (totp: string) => app.inject({ method: 'POST', url: '/api/actions/kill-switch', headers: { cookie: s.cookie, origin: ORIGIN, 'x-csrf-token': s.csrf }, payload: { engage: true, totp, why: 'api test' } });
      const wrong = await act('000000' === totpCodeForStep(secret, step + 1) ? '111111' : '000000');
      expect(wrong.statusCode).toBe(403);
      const code = freshCode(secret);
      const ok = await act(code);
      expect(ok.statusCode, ok.body).toBe(202);
      const { commandId } = ok.json() as { commandId: string };
      expect((await act(code)).statusCode).toBe(403); // the same code twice: refused
      const key = derivedKey(desk.key, 'command-channel v1');
      if (isLeft(key)) throw new Error('key');
      const pending = pendingCommands(journal, key.right);
      expect(pending).toHaveLength(1);
      expect(pending[0]).toMatchObject({ ok: true, command: { commandId, user: 'alice', action: 'kill-switch-engage', why: 'api test', target: null } });
      // Acknowledging an alert that does not exist is refused before anything is written.
      const ack = await app.inject({ method: 'POST', url: '/api/alerts/999999/ack', headers: { cookie: s.cookie, origin: ORIGIN, 'x-csrf-token': s.csrf }, payload: { totp: freshCode(secret) } });
      expect(ack.statusCode).toBe(404);
    } finally {
      unlinkSync(lock);
      for (const f of readdirSync(`${journal}.commands`)) unlinkSync(join(`${journal}.commands`, f));
    }
  });

  it('sends the security headers and never a stack trace or a path', async () => {
    const s = await login();
    const res = await app.inject({ url: '/api/state', headers: { cookie: s.cookie } });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers).toMatchObject({ 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' });
    const bad = [
      await app.inject({ method: 'POST', url: '/api/login', headers: { origin: ORIGIN, 'content-type': 'application/json' }, payload: '{"username": ' }),
      await app.inject({ method: 'POST', url: '/api/login', headers: { origin: ORIGIN }, payload: { username: 'a', password: 'b', totp: '12' } }),
      await app.inject({ url: '/api/events?afterSeq=-1', headers: { cookie: s.cookie } }),
      await app.inject({ url: '/api/events/abc', headers: { cookie: s.cookie } }),
      await app.inject({ url: '/nope/../../etc/passwd', headers: { cookie: s.cookie } }),
      await app.inject({ method: 'POST', url: '/api/login', headers: { origin: ORIGIN, 'content-type': 'application/json' }, payload: 'x'.repeat(20_000) }),
    ];
    for (const r of bad) {
      expect(r.statusCode).toBeGreaterThanOrEqual(400);
      expect(r.statusCode).toBeLessThan(500);
      expect(r.body).not.toMatch(/\/work\/|node_modules|at [A-Za-z]+ \(|\.ts:\d+|Error:/);
      expect(Object.keys(r.json())).toEqual(['error']);
    }
  });

  it('ends a session after 15 idle minutes and 8 hours after sign-in, and on logout (server-side), journaling each end', async () => {
    const s = await login();
    t += 14 * 60_000;
    expect((await app.inject({ url: '/api/me', headers: { cookie: s.cookie } })).statusCode).toBe(200);
    t += 15 * 60_000 + 1000;
    expect((await app.inject({ url: '/api/me', headers: { cookie: s.cookie } })).statusCode).toBe(401);
    const long = await login();
    for (let i = 0; i < 8 * 6; i++) {
      t += 10 * 60_000;
      const r = await app.inject({ url: '/api/me', headers: { cookie: long.cookie } });
      if (r.statusCode !== 200) break;
    }
    expect((await app.inject({ url: '/api/me', headers: { cookie: long.cookie } })).statusCode).toBe(401);
    const out = await login();
    expect((await app.inject({ method: 'POST', url: '/api/logout', headers: { cookie: out.cookie, origin: ORIGIN, 'x-csrf-token': out.csrf } })).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/me', headers: { cookie: out.cookie } })).statusCode).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    const log = await journalEvents(`${journal}.security.sqlite`, desk.key);
    const ends = log.filter((e) => e.type === 'SessionEnded').map((e) => e.data.reason);
    expect(ends).toEqual(expect.arrayContaining(['IDLE', 'ABSOLUTE', 'LOGOUT']));
  });

  it('keeps a hash-chained security log that verifies and holds no password or code', async () => {
    await new Promise((r) => setTimeout(r, 200));
    const v = await verifyJournalFile(`${journal}.security.sqlite`, desk.key);
    expect(v.ok).toBe(true);
    const log = await journalEvents(`${journal}.security.sqlite`, desk.key);
    const types = new Set(log.map((e) => e.type));
    for (const t of ['LoginSucceeded', 'LoginFailed', 'LoginLocked', 'SessionEnded', 'OperatorActionRequested']) expect(types, t).toContain(t);
    const text = JSON.stringify(log.map((e) => e.data));
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain('not the password at all');
    expect(text).not.toMatch(/"totp"|csrf|__Host-/);
    expect(log.filter((e) => e.type === 'LoginLocked').map((e) => e.data.scope)).toEqual(expect.arrayContaining(['account', 'address']));
  });
});

describe('dashboard API content', () => {
  it('/api/state says what ashare run status says about the same journal', async () => {
    const s = await login();
    const state = (await app.inject({ url: '/api/state', headers: { cookie: s.cookie } })).json();
    const status = JSON.parse(ashare(desk.work, ['run', 'status', '--journal', journal, '--key-file', desk.keyFile, '--json']).out);
    expect(state.cash).toBe(status.cash);
    expect(state.tradingState).toBe(status.tradingState);
    expect(state.positions.map((p: { symbol: string; quantity: number; avgCost: number }) => [p.symbol, p.quantity, p.avgCost]))
      .toEqual(status.positions.map((p: { symbol: string; quantity: number; avgCost: number }) => [p.symbol, p.quantity, p.avgCost]));
    expect(state.journal).toMatchObject({ lastSeq: status.lastSeq, headHash: status.headHash, verify: { ok: true } });
    expect(state.readOnly).toBe(true);
    expect(state.positions.length).toBeGreaterThan(0);
    expect(state.equityCurve.length).toBeGreaterThan(10);
    expect(state.equity).toBeCloseTo(state.cash + state.positions.reduce((a: number, p: { marketValue: number }) => a + p.marketValue, 0), 2);
  });

  it('/api/events pages by seq and filters by type, day and symbol; one event shows its chain link', async () => {
    const s = await login();
    const get = async (q: string) => (await app.inject({ url: `/api/events${q}`, headers: { cookie: s.cookie } })).json();
    const p1 = await get('?afterSeq=0&limit=10');
    expect(p1.events.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(p1.nextAfterSeq).toBe(10);
    const p2 = await get(`?afterSeq=${p1.nextAfterSeq}&limit=5`);
    expect(p2.events[0].seq).toBe(11);
    const fills = await get('?type=OrderFilled&limit=500');
    expect(fills.events.length).toBeGreaterThan(0);
    expect(fills.events.every((e: { type: string }) => e.type === 'OrderFilled')).toBe(true);
    const sym = fills.events[0].data.symbol as string;
    const bySym = await get(`?symbol=${sym}&limit=500`);
    expect(bySym.events.length).toBeGreaterThan(0);
    expect(bySym.events.every((e: { data: unknown }) => JSON.stringify(e.data).includes(sym))).toBe(true);
    // The day's bars name it too, although they are stored packed (BarsClosed v2) and shown unpacked.
    expect(bySym.events.some((e: { type: string; data: { symbols?: string[] } }) => e.type === 'BarsClosed' && e.data.symbols?.includes(sym))).toBe(true);
    const day = fills.events[0].day as string;
    const byDay = await get(`?day=${day}&limit=500`);
    expect(byDay.events.every((e: { day: string }) => e.day === day)).toBe(true);
    const one = (await app.inject({ url: '/api/events/5', headers: { cookie: s.cookie } })).json();
    expect(one).toMatchObject({ seq: 5, chain: { prev: 4, next: 6, linkOk: true } });
    expect(one.prevHash).toBe(p1.events[3].hash);
    expect((await app.inject({ url: '/api/events/999999', headers: { cookie: s.cookie } })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/events?type=NoSuchEvent', headers: { cookie: s.cookie } })).statusCode).toBe(400);
  });

  it('/api/state shows the air gap as the journal tells it: configured, armed since, attempts refused, then disarmed', async () => {
    const small = join(desk.work, 'airgap.sqlite');
    const at = (hhmm: string) => Date.parse(`2024-03-05T${hhmm}:00+08:00`);
    const config = { airgap: { enabled: true, window: '09:00-15:30', allow: ['10.8.0.5:7001'] } };
    await appendEvents(small, desk.key, [
      ev('RunStarted', runStartedData(config), at('08:30')),
      ev('AirgapArmed', { day: '2024-03-05', window: '09:00-15:30', allow: ['10.8.0.5:7001'] }, at('09:00')),
      ev('EgressBlocked', { target: '93.184.216.34:443', caller: 'data update (dataUpdate.time 10:00)', kind: 'connect' }, at('10:00')),
      ev('EgressBlocked', { target: 'example.com', caller: 'src/adapters/x.ts:12', kind: 'dns' }, at('10:01')),
    ]);
    const app3 = await buildApp({ journalPath: small, key: desk.key, users, securityLogPath: `${small}.security.sqlite`, origins: [ORIGIN], now, verifyEveryMs: 3_600_000 });
    try {
      await app3.ready();
      const res = await app3.inject({ method: 'POST', url: '/api/login', remoteAddress: '10.7.0.1', headers: { origin: ORIGIN }, payload: { username: 'alice', password: PASSWORD, totp: freshCode(secret) } });
      expect(res.statusCode, res.body).toBe(200);
      const cookie = `${SESSION_COOKIE}=${res.cookies.find((c) => c.name === SESSION_COOKIE)!.value}`;
      const state = async () => (await app3.inject({ url: '/api/state', headers: { cookie } })).json();
      expect((await state()).airgap).toEqual({
        enabled: true, window: '09:00-15:30', allow: ['10.8.0.5:7001'], armed: true, since: '2024-03-05T09:00:00.000+08:00',
        blocked: 2, lastBlocked: 'dns example.com by src/adapters/x.ts:12',
      });
      await appendEvents(small, desk.key, [ev('AirgapDisarmed', { day: '2024-03-05', window: '09:00-15:30', blocked: 2 }, at('15:30'))]);
      const after = await waitFor('the disarm to be folded', async () => ((s) => s.journal.lastSeq === 5 && s)(await state()), 5_000, 20);
      expect(after.airgap).toMatchObject({ enabled: true, armed: false, since: '2024-03-05T15:30:00.000+08:00', blocked: 2 });
    } finally {
      await app3.close();
    }
  });

  it('/api/orders, /api/risk and /api/alerts answer in the shapes the pages read', async () => {
    const s = await login();
    const orders = (await app.inject({ url: '/api/orders', headers: { cookie: s.cookie } })).json();
    expect(orders.days.length).toBeGreaterThan(0);
    expect(orders.day).toBe(orders.days[0]);
    const risk = (await app.inject({ url: '/api/risk', headers: { cookie: s.cookie } })).json();
    expect(risk.limits.map((l: { name: string }) => l.name)).toEqual(expect.arrayContaining(['maxPositionPct', 'maxPositions', 'maxDrawdownPct']));
    const alerts = (await app.inject({ url: '/api/alerts', headers: { cookie: s.cookie } })).json();
    expect(Array.isArray(alerts.alerts)).toBe(true);
  });
});

describe('dashboard live feed (/ws) on a loopback port', () => {
  let base: string;
  let cookie: string;
  beforeAll(async () => {
    const s = await login();
    cookie = s.cookie;
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as { port: number }).port;
    base = `ws://127.0.0.1:${port}`;
  });

  const connect = (q: string, headers: Record<string, string>) => new WebSocket(`${base}/ws${q}`, { headers });
  const refused = (ws: WebSocket) => new Promise<number>((res) => {
    ws.on('unexpected-response', (_req, r) => res(r.statusCode ?? 0));
    ws.on('open', () => res(101));
  });
  const frames = (ws: WebSocket) => {
    const got: { seq: number; type: string; day: string; data: unknown }[] = [];
    ws.on('message', (m) => got.push(JSON.parse(String(m))));
    return got;
  };

  it('refuses an upgrade without a session or from another origin', async () => {
    expect(await refused(connect('', { origin: ORIGIN }))).toBe(401);
    expect(await refused(connect('', { origin: 'http://evil.example', cookie }))).toBe(403);
    expect(await refused(connect('', { cookie }))).toBe(403); // a browser always sends Origin: its absence is refused
  });

  it('replays from afterSeq, resumes without gap or duplicate, and pushes a new event within a second', async () => {
    const head = (await journalEvents(journal, desk.key)).at(-1)!.seq;
    const a = connect('?afterSeq=0', { origin: ORIGIN, cookie });
    const got = frames(a);
    await waitFor('the whole journal', () => got.length >= head, 10_000, 20);
    a.close();
    expect(got.map((f) => f.seq)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    expect(Object.keys(got[0]!).sort()).toEqual(['data', 'day', 'seq', 'type']);
    const cut = Math.floor(head / 2);
    const b = connect(`?afterSeq=${cut}`, { origin: ORIGIN, cookie });
    const rest = frames(b);
    await waitFor('the rest', () => rest.length >= head - cut, 10_000, 20);
    expect(rest.map((f) => f.seq)).toEqual(Array.from({ length: head - cut }, (_, i) => cut + i + 1));
    // Another process appends (the service): the frame arrives within a second.
    const w = openSqliteJournal({ path: journal, durability: 'durable', key: desk.key });
    if (isLeft(w)) throw new Error(w.left.message);
    const at = Date.now();
    const appended = await w.right.append([{
      eventId: '00000000-0000-4000-8000-00000000feed' as never, stream: 'alerts', type: 'AlertRaised', schemaVersion: 1, occurredAt: at, recordedAt: at,
      causationId: null, correlationId: null, data: { code: 'STALE_DATA', level: 'warning', day: null, message: 'appended by the live-feed test' },
    }], head);
    await w.right.close();
    if (isLeft(appended)) throw new Error(appended.left.message);
    const seen = await waitFor('the live frame', () => rest.find((f) => f.seq === head + 1), 3_000, 10);
    expect(Date.now() - at).toBeLessThan(1_000);
    expect(seen).toMatchObject({ type: 'AlertRaised', data: { message: 'appended by the live-feed test' } });
    b.close();
  });

  it('drops a client that does not read, without slowing the others', async () => {
    // A journal large enough to fill the loopback socket buffers (~17 MB: 400 symbols × 300 days).
    const big = join(desk.work, 'demo.sqlite');
    expect(ashare(desk.work, ['demo', '--journal', big, '--key-file', desk.keyFile, '--symbols', '400', '--days', '300', '--json']).code).toBe(0);
    const u = openUsersFile({ path: join(desk.work, 'users2.sqlite'), key: desk.key, create: true });
    if (isLeft(u)) throw new Error(u.left.message);
    const d = u.right.add('dave', PASSWORD, t);
    if (isLeft(d)) throw new Error(d.left.message);
    const app2 = await buildApp({ journalPath: big, key: desk.key, users: u.right, securityLogPath: `${big}.security.sqlite`, origins: [ORIGIN], now, wsHighWaterBytes: 64 * 1024 });
    try {
      await app2.listen({ host: '127.0.0.1', port: 0 });
      const port = (app2.server.address() as { port: number }).port;
      const res = await app2.inject({ method: 'POST', url: '/api/login', headers: { origin: ORIGIN }, payload: { username: 'dave', password: PASSWORD, totp: totpCodeForStep(d.right.totpSecret, totpStep(t)) } });
      const c = `${SESSION_COOKIE}=${res.cookies.find((x) => x.name === SESSION_COOKIE)!.value}`;
      const slow = new WebSocket(`ws://127.0.0.1:${port}/ws?afterSeq=0`, { headers: { origin: ORIGIN, cookie: c } });
      await new Promise((r) => slow.on('upgrade', r));
      (slow as unknown as { _socket: { pause(): void } })._socket.pause(); // stops reading: the server's buffer grows
      let closeCode = 0;
      slow.on('close', (code) => { closeCode = code; });
      const headSeq = (await journalEvents(big, desk.key)).at(-1)!.seq;
      const fast = new WebSocket(`ws://127.0.0.1:${port}/ws?afterSeq=${headSeq - 3}`, { headers: { origin: ORIGIN, cookie: c } });
      const got = frames(fast);
      await waitFor('the fast client', () => got.length >= 3, 5_000, 20);
      await new Promise((r) => setTimeout(r, 3_000)); // the slow one's drain deadline passes
      (slow as unknown as { _socket: { resume(): void } })._socket.resume();
      await waitFor('the slow client to be dropped', () => closeCode !== 0, 20_000, 50);
      expect(closeCode).toBe(4008);
      expect(got.map((f) => f.seq)).toEqual([headSeq - 2, headSeq - 1, headSeq]);
      fast.close();
    } finally {
      await app2.close();
      u.right.close();
    }
  }, 120_000);
});

