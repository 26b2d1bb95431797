import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import dns from 'node:dns';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openUsersFile, type UsersStore } from '../../../src/adapters/auth/index.js';
import { generateKeyFile } from '../../../src/adapters/journal/journalKey.js';
import { egressGuard } from '../../../src/adapters/net/egressGuard.js';
import { serveDashboard } from '../../../src/app/dashboard/serve.js';
import { appendEvents, ev, runStartedData } from './dashboardHarness.js';

// `ashare dashboard` serves through serveDashboard: the process's egress guard is armed with an
// empty allow list for as long as it serves. Another local server (in a process of its own, so not
// one of this process's exempt listeners) becomes unreachable from here, while the dashboard itself
// still answers, to this process and to another one. This file runs in its own worker: arming the
// guard here affects nothing else.
const work = mkdtempSync(join(tmpdir(), 'ashare-dash-serve-'));
const keyed = generateKeyFile(join(work, 'journal.key'));
if (isLeft(keyed)) throw new Error(keyed.left.message);
const key = keyed.right as { kind: 'keyFile'; path: string };
const journal = join(work, 'run.sqlite');
let users: UsersStore;
let other: ChildProcess;
let otherUrl: string;

beforeAll(async () => {
  await appendEvents(journal, key, [ev('RunStarted', runStartedData(), Date.parse('2024-03-05T08:30:00+08:00'))]);
  const u = openUsersFile({ path: join(work, 'users.sqlite'), key, create: true });
  if (isLeft(u)) throw new Error(u.left.message);
  users = u.right;
  other = spawn(process.execPath, ['-e', `require('http').createServer((q, r) => r.end('other')).listen(0, '127.0.0.1', function () { console.log(this.address().port); })`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((res) => other.stdout!.once('data', (b: Buffer) => res(b.toString().trim())));
  otherUrl = `http://127.0.0.1:${port}/`;
});

afterAll(() => {
  other?.kill();
  users?.close();
});

/** What `node -e` prints fetching `url` (the status, or the body with `text`), in a process of its own; async, as this process serves meanwhile. */
const fetchElsewhere = (url: string, text = false) => new Promise<string>((res) => {
  const then = text ? '(r) => r.text()).then(console.log' : '(r) => console.log(r.status)';
  const c = spawn(process.execPath, ['-e', `fetch(${JSON.stringify(url)}).then(${then}, (e) => console.log(e.message))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  c.stdout.on('data', (b: Buffer) => { out += b.toString(); });
  c.on('close', () => res(out.trim()));
});

/** How a connection attempt ends: 'connected', or the error code. */
const tryConnect = (url: string) => new Promise<string>((res) => {
  const u = new URL(url);
  const s = net.connect(Number(u.port), u.hostname);
  s.once('connect', () => { s.destroy(); res('connected'); });
  s.once('error', (e: NodeJS.ErrnoException) => res(e.code ?? e.message));
});

describe('ashare dashboard and the egress guard', () => {
  it('refuses every outgoing connection while it serves, yet answers its clients; stopping disarms', async () => {
    const guard = egressGuard();
    // Before: the other server answers, so a refusal later is the guard's doing.
    expect(guard.armed).toBe(false);
    expect(await (await fetch(otherUrl)).text()).toBe('other');

    let stderr = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { stderr += String(s); return true; });
    const served = await serveDashboard({ journalPath: journal, key, users, securityLogPath: `${journal}.security.sqlite`, host: '127.0.0.1', port: 0, verifyEveryMs: 3_600_000 });
    try {
      expect(guard.armed).toBe(true);
      expect(guard.allow).toEqual([]);
      // fetch, a bare socket and a DNS look-up from this process: all refused before anything leaves.
      const refused = await fetch(otherUrl).then(() => 'reached', (e: { cause?: { code?: string } }) => e.cause?.code);
      expect(refused).toBe('EGRESS_BLOCKED');
      expect(await tryConnect(otherUrl)).toBe('EGRESS_BLOCKED');
      await expect(dns.promises.lookup('example.com')).rejects.toMatchObject({ code: 'EGRESS_BLOCKED' });
      expect(stderr).toMatch(new RegExp(`ashare dashboard: egress blocked: connect 127\\.0\\.0\\.1:${new URL(otherUrl).port} by `));
      expect(stderr).toContain('ashare dashboard: egress blocked: dns example.com by ');

      // The dashboard answers: its own listener is no egress, from this process or another.
      expect(served.url).toBe(`http://127.0.0.1:${served.port}`);
      expect((await fetch(`${served.url}/login`)).status).toBe(200);
      const api = await fetch(`${served.url}/api/state`);
      expect([api.status, await api.json()]).toEqual([401, { error: 'not signed in' }]);
      expect(await fetchElsewhere(`${served.url}/login`)).toBe('200');
      // The other server is still up: only this process is cut off from it.
      expect(await fetchElsewhere(otherUrl, true)).toBe('other');
    } finally {
      await served.close();
      spy.mockRestore();
    }
    expect(guard.armed).toBe(false);
    expect(await (await fetch(otherUrl)).text()).toBe('other');
  }, 60_000);
});
