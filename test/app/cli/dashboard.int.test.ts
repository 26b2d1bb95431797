import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, ashare, makeDesk, startDashboard } from '../dashboard/dashboardHarness.js';

// `ashare dashboard` as a process: it refuses a network address without TLS, serves HTTPS with HSTS
// when given a certificate, needs the key of an encrypted journal, and stops cleanly on SIGTERM.
const desk = makeDesk('ashare-dash-cli-');
const journal = join(desk.work, 'bt.sqlite');
const users = join(desk.work, 'users.sqlite');
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const running: { child: { kill(s: NodeJS.Signals): boolean }; done: Promise<unknown> }[] = [];

beforeAll(() => {
  // A finished backtest: the dashboard works read-only on a journal no service writes.
  const r = ashare(desk.work, ['demo', '--journal', journal, '--key-file', desk.keyFile, '--symbols', '10', '--days', '60', '--json']);
  expect(r.code, r.err).toBe(0);
  addUser(desk.work, users, desk.keyFile, 'alice', 'a long desk passphrase');
}, 120_000);

afterAll(async () => {
  for (const r of running) r.child.kill('SIGTERM');
  await Promise.all(running.map((r) => r.done));
});

describe('ashare dashboard', () => {
  it('refuses to listen beyond loopback without TLS, saying why (exit 2)', () => {
    const r = ashare(desk.work, ['dashboard', '--journal', journal, '--users', users, '--key-file', desk.keyFile, '--host', '0.0.0.0', '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/without TLS/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('needs the key of an encrypted journal (exit 4), and a users file that exists', () => {
    const r = ashare(desk.work, ['dashboard', '--journal', journal, '--users', users, '--port', '0']);
    expect(r.code).toBe(4);
    const noUsers = ashare(desk.work, ['dashboard', '--journal', journal, '--users', join(desk.work, 'none.sqlite'), '--key-file', desk.keyFile, '--port', '0']);
    expect(noUsers.code).toBe(4);
    expect(noUsers.err).toMatch(/none\.sqlite/);
  });

  it('serves a finished backtest read-only on loopback and stops cleanly on SIGTERM, leaving a verifiable security log', async () => {
    const d = await startDashboard(desk.work, journal, users, desk.keyFile);
    const res = await fetch(`${d.url}/api/state`);
    expect(res.status).toBe(401);
    d.child.kill('SIGTERM');
    expect((await d.done).code).toBe(0);
    const v = ashare(desk.work, ['journal', 'verify', `${journal}.security.sqlite`, '--key-file', desk.keyFile]);
    expect(v.code, v.err).toBe(0);
    expect(statSync(`${journal}.security.sqlite`).mode & 0o077).toBe(0);
  });

  it.skipIf(!hasOpenssl)('serves HTTPS with HSTS on a network address when given a certificate', async () => {
    const cert = join(desk.work, 'cert.pem'), key = join(desk.work, 'key.pem');
    const g = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1'], { encoding: 'utf8' });
    expect(g.status, g.stderr).toBe(0);
    expect(existsSync(cert)).toBe(true);
    const d = await startDashboard(desk.work, journal, users, desk.keyFile, ['--host', '127.0.0.1', '--tls-cert', cert, '--tls-key', key]);
    running.push(d);
    expect(d.url).toMatch(/^https:\/\//);
    const { status, hsts } = await new Promise<{ status: number; hsts: string | undefined }>((res, rej) => {
      const req = request(`${d.url}/login`, { rejectUnauthorized: false }, (r) => {
        r.resume();
        res({ status: r.statusCode ?? 0, hsts: r.headers['strict-transport-security'] as string | undefined });
      });
      req.on('error', rej);
      req.end();
    });
    expect(status).toBe(200);
    expect(hsts).toMatch(/max-age=\d+/);
  });
});
