import dgram from 'node:dgram';
import dns, { lookup as namedLookup } from 'node:dns';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { isLeft } from 'fp-ts/lib/Either.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadMarketRules } from '../../../src/adapters/market/marketRulesFile.js';
import { egressGuard, parseEndpoint, type BlockedAttempt } from '../../../src/adapters/net/egressGuard.js';
import { airgapArmedAt, formatEndpoint, parseAirgapWindow, type AirgapWindow } from '../../../src/domain/schedule/airgap.js';
import { exchangeTimeMs, type TradingDay } from '../../../src/domain/tradingDay.js';

// The in-process egress guard on loopback only: servers of this process that the guard is told are
// not its own stand for the outside world (ownPorts exempts a process's own listeners, so their
// ports are taken out of it), and a name like example.com stands for DNS — refused before any query,
// so the test needs no network. The guard is a process-wide singleton: every test disarms it.

const guard = egressGuard();
const attempts: BlockedAttempt[] = [];
guard.onBlocked((a) => attempts.push(a));
const HERE = /test\/adapters\/net\/egressGuard\.test\.ts:\d+/;

type Outcome = { ok: true; data: string } | { ok: false; code: string | undefined };
const codeOf = (e: unknown): string | undefined => (e as NodeJS.ErrnoException).code ?? (e as { cause?: NodeJS.ErrnoException }).cause?.code;

// The helpers settle once their socket has closed: a socket still open when the next test arms
// the guard would be closed and reported by that arm().

/** Sends an HTTP/1.0 request on a socket being connected and reads the answer to its end. */
const overSocket = (s: net.Socket): Promise<Outcome> => new Promise((res) => {
  let data = '';
  let out: Outcome = { ok: false, code: 'NO ANSWER' };
  s.on('connect', () => s.write('GET / HTTP/1.0\r\n\r\n'));
  s.on('secureConnect', () => s.write('GET / HTTP/1.0\r\n\r\n'));
  s.on('data', (b) => { data += b.toString(); });
  s.on('end', () => { out = { ok: true, data }; });
  s.on('error', (e) => { out = { ok: false, code: codeOf(e) }; });
  s.on('close', () => res(out));
});
/** http(s).get without connection pooling unless an agent is given (then it settles at the answer's end). */
const httpGet = (opts: https.RequestOptions, mod: typeof http | typeof https = http): Promise<Outcome> => new Promise((res) => {
  const pooled = opts.agent !== undefined;
  const req = mod.get({ agent: false, ...opts }, (r) => {
    let data = '';
    r.on('data', (b) => { data += b.toString(); });
    r.on('end', () => {
      if (pooled || r.socket.destroyed) res({ ok: true, data });
      else r.socket.once('close', () => res({ ok: true, data }));
    });
  });
  req.on('error', (e) => res({ ok: false, code: codeOf(e) }));
});
const fetchText = (url: string): Promise<Outcome> => fetch(url).then(
  async (r) => ({ ok: true as const, data: await r.text() }),
  (e: unknown) => ({ ok: false as const, code: codeOf(e) }),
);
const settle = (ms = 50) => new Promise((r) => setTimeout(r, ms));

/**
 * An HTTP server on 127.0.0.1 counting the connections it accepts; `own: false` takes its port out
 * of ownPorts. It closes each connection after its answer unless `keepAlive`: a pooled socket left
 * from one test would be closed (and reported) by the next one's arm().
 */
async function server(body: string, own: boolean, keepAlive = false) {
  let accepted = 0;
  const s = http.createServer((_q, r) => {
    if (!keepAlive) r.setHeader('connection', 'close');
    r.end(body);
  });
  s.on('connection', () => { accepted++; });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  if (!own) guard.ownPorts.delete(port);
  return { s, port, accepted: () => accepted, close: () => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); }) };
}

let outside: Awaited<ReturnType<typeof server>>; // not on the allow list: the world outside
let broker: Awaited<ReturnType<typeof server>>; // on the allow list (as 127.0.0.1:PORT)
const arm = () => guard.arm([{ host: '127.0.0.1', port: broker.port }]);
const BLOCKED: Outcome = { ok: false, code: 'EGRESS_BLOCKED' };

beforeAll(async () => {
  outside = await server('outside', false);
  broker = await server('broker', false);
});
afterEach(async () => {
  guard.disarm();
  await settle(); // fetch's pool closes its sockets (the servers say connection: close) a moment after the answer
  attempts.length = 0;
});
afterAll(async () => {
  await outside.close();
  await broker.close();
});

describe('egressGuard, armed: an endpoint not on the allow list is unreachable, refused before any packet, and reported', () => {
  it('fetch (undici) is refused, reported as a connect with the withCaller label', async () => {
    arm();
    const r = await guard.withCaller('sentiment-client', () => fetchText(`http://127.0.0.1:${outside.port}/`));
    expect(r).toEqual(BLOCKED);
    expect(attempts).toEqual([{ kind: 'connect', target: `127.0.0.1:${outside.port}`, caller: 'sentiment-client' }]);
  });

  it('http.get is refused; without a label the caller is the first stack frame outside Node: this file', async () => {
    arm();
    expect(await httpGet({ host: '127.0.0.1', port: outside.port })).toEqual(BLOCKED);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ kind: 'connect', target: `127.0.0.1:${outside.port}` });
    expect(attempts[0]!.caller).toMatch(HERE);
  });

  it('https.request to a loopback port is refused at the connect, before any TLS handshake', async () => {
    arm();
    expect(await httpGet({ host: '127.0.0.1', port: outside.port, rejectUnauthorized: false }, https)).toEqual(BLOCKED);
    expect(attempts).toEqual([{ kind: 'connect', target: `127.0.0.1:${outside.port}`, caller: expect.stringMatching(HERE) }]);
  });

  it('net.connect(port, host), net.connect({port, host}), net.createConnection and tls.connect are refused, each reported', async () => {
    arm();
    const p = outside.port;
    const results = [
      await overSocket(net.connect(p, '127.0.0.1')),
      await overSocket(net.connect({ port: p, host: '127.0.0.1' })),
      await overSocket(net.createConnection(p, '127.0.0.1')),
      await overSocket(new net.Socket().connect(p, '127.0.0.1')),
      await overSocket(tls.connect({ port: p, host: '127.0.0.1', rejectUnauthorized: false })),
    ];
    for (const r of results) expect(r).toEqual(BLOCKED);
    expect(attempts).toHaveLength(5);
    for (const a of attempts) {
      expect(a).toMatchObject({ kind: 'connect', target: `127.0.0.1:${p}` });
      expect(a.caller).toMatch(HERE);
    }
  });

  it('a connection to the process itself is refused too when it is not on the list: [::1] and 0.0.0.0 are not a back door', async () => {
    arm();
    expect(await overSocket(net.connect(outside.port, '::1'))).toEqual(BLOCKED);
    expect(await overSocket(net.connect(outside.port, '0.0.0.0'))).toEqual(BLOCKED);
    expect(attempts.map((a) => a.target)).toEqual([`[::1]:${outside.port}`, `0.0.0.0:${outside.port}`]);
  });

  it('nothing is sent before the refusal: the server accepts no connection from any of them (and counts one once disarmed)', async () => {
    const before = outside.accepted();
    arm();
    const p = outside.port;
    await Promise.all([
      fetchText(`http://127.0.0.1:${p}/`), httpGet({ host: '127.0.0.1', port: p }), httpGet({ host: '127.0.0.1', port: p, rejectUnauthorized: false }, https),
      overSocket(net.connect(p, '127.0.0.1')), overSocket(tls.connect({ port: p, host: '127.0.0.1', rejectUnauthorized: false })),
    ]);
    await settle(100);
    expect(attempts).toHaveLength(5);
    expect(outside.accepted() - before).toBe(0);
    guard.disarm();
    expect(await httpGet({ host: '127.0.0.1', port: p, agent: false })).toEqual({ ok: true, data: 'outside' });
    expect(outside.accepted() - before).toBe(1);
  });

  it('DNS in every form is refused before a query (example.com fails with EGRESS_BLOCKED, not a resolver error), reported as dns', async () => {
    arm();
    const cb = (f: (cb: (e: Error | null) => void) => void): Promise<string | undefined> => new Promise((res) => f((e) => res(e ? codeOf(e) : 'no error')));
    const codes = [
      await cb((k) => dns.lookup('example.com', k)),
      await cb((k) => dns.lookup('example.com', { all: true }, k)),
      await cb((k) => namedLookup('example.com', k)), // an ESM named import is a binding of its own
      await dns.promises.lookup('example.com').then(() => 'no error', codeOf),
      await cb((k) => dns.resolve4('example.com', k)),
      await cb((k) => dns.resolve('example.com', 'MX', k)),
      await cb((k) => new dns.Resolver().resolve4('example.com', k)),
      await new dns.promises.Resolver().resolve4('example.com').then(() => 'no error', codeOf),
      await dns.promises.resolveTxt('example.com').then(() => 'no error', codeOf),
    ];
    expect(codes).toEqual(Array(codes.length).fill('EGRESS_BLOCKED'));
    expect(attempts).toHaveLength(codes.length);
    for (const a of attempts) expect(a).toMatchObject({ kind: 'dns', target: 'example.com' });
    expect(attempts[0]!.caller, JSON.stringify(attempts)).toMatch(HERE);
  });

  it('a look-up needing no network passes (an IP literal, localhost), but a query to a DNS server does not, whatever its argument', async () => {
    arm();
    expect(await dns.promises.lookup('127.0.0.1')).toEqual({ address: '127.0.0.1', family: 4 });
    // reverse, lookupService and the c-ares resolve* always ask a server, even for an address.
    const codes = [
      await dns.promises.reverse('192.0.2.1').then(() => 'no error', codeOf),
      await dns.promises.lookupService('192.0.2.1', 443).then(() => 'no error', codeOf),
      await dns.promises.resolve4('192.0.2.2').then(() => 'no error', codeOf),
      await dns.promises.resolve4('localhost').then(() => 'no error', codeOf),
    ];
    expect(codes).toEqual(['EGRESS_BLOCKED', 'EGRESS_BLOCKED', 'EGRESS_BLOCKED', 'EGRESS_BLOCKED']);
    expect(attempts.map((a) => `${a.kind} ${a.target}`)).toEqual(['dns 192.0.2.1', 'dns 192.0.2.1', 'dns 192.0.2.2', 'dns localhost']);
  });

  it('a UDP datagram (send with a port, and a connected socket) is refused before it is sent, reported as udp', async () => {
    const rx = dgram.createSocket('udp4');
    let received = 0;
    rx.on('message', () => { received++; });
    await new Promise<void>((r) => rx.bind(0, '127.0.0.1', r));
    const port = rx.address().port;
    const tx = dgram.createSocket('udp4');
    try {
      arm();
      const sent = await new Promise<string | undefined>((res) => tx.send(Buffer.from('hello'), port, '127.0.0.1', (e) => res(e ? codeOf(e) : 'sent')));
      expect(sent).toBe('EGRESS_BLOCKED');
      const connectErr = await new Promise<string | undefined>((res) => { tx.once('error', (e) => res(codeOf(e))); tx.connect(port, '127.0.0.1'); });
      expect(connectErr).toBe('EGRESS_BLOCKED');
      await settle(100);
      expect(received).toBe(0);
      expect(attempts.map((a) => [a.kind, a.target])).toEqual([['udp', `127.0.0.1:${port}`], ['udp', `127.0.0.1:${port}`]]);
      expect(attempts[0]!.caller).toMatch(HERE);
      guard.disarm();
      await new Promise<void>((res, rej) => tx.send(Buffer.from('hello'), port, '127.0.0.1', (e) => (e ? rej(e) : res())));
      await settle(100);
      expect(received).toBe(1);
    } finally {
      tx.close();
      rx.close();
    }
  });
});

describe('egressGuard, armed: what stays reachable', () => {
  it('the allowed endpoint answers through fetch, http.get and net.connect, and nothing is reported', async () => {
    arm();
    expect(await fetchText(`http://127.0.0.1:${broker.port}/`)).toEqual({ ok: true, data: 'broker' });
    expect(await httpGet({ host: '127.0.0.1', port: broker.port })).toEqual({ ok: true, data: 'broker' });
    const raw = await overSocket(net.connect(broker.port, '127.0.0.1'));
    expect(raw.ok && raw.data.endsWith('\r\n\r\nbroker')).toBe(true);
    expect(attempts).toEqual([]);
  });

  it('the name must be the one listed: localhost:PORT is refused when only 127.0.0.1:PORT is (list the name the code uses)', async () => {
    arm();
    expect(await overSocket(net.connect({ host: 'localhost', port: broker.port }))).toEqual(BLOCKED);
    expect(await fetchText(`http://localhost:${broker.port}/`)).toEqual(BLOCKED);
    expect(attempts.map((a) => a.target)).toEqual([`localhost:${broker.port}`, `localhost:${broker.port}`]);
    expect(guard.allowsConnect('127.0.0.1', broker.port)).toBe(true);
    expect(guard.allowsConnect('localhost', broker.port)).toBe(false);
  });

  it("the process's own listener (made after the guard was installed) is reachable on loopback while armed; once closed it is not", async () => {
    const own = await server('own', true);
    expect(guard.ownPorts.has(own.port)).toBe(true);
    arm();
    expect(await fetchText(`http://127.0.0.1:${own.port}/`)).toEqual({ ok: true, data: 'own' });
    expect(await httpGet({ host: 'localhost', port: own.port })).toEqual({ ok: true, data: 'own' });
    expect(attempts).toEqual([]);
    await own.close();
    // Closed, the port is no longer the process's: whoever takes it next is the outside world.
    expect(guard.ownPorts.has(own.port)).toBe(false);
    expect(guard.allowsConnect('127.0.0.1', own.port)).toBe(false);
  });

  it('IPC (a unix socket path) is not network egress and passes', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ashare-egress-')), 'ipc.sock');
    const ipc = http.createServer((_q, r) => r.end('ipc'));
    await new Promise<void>((r) => ipc.listen(path, r));
    try {
      arm();
      expect(await httpGet({ socketPath: path, path: '/' })).toEqual({ ok: true, data: 'ipc' });
      const raw = await overSocket(net.connect(path));
      expect(raw.ok && raw.data.endsWith('ipc')).toBe(true);
      expect(attempts, JSON.stringify(attempts)).toEqual([]);
    } finally {
      ipc.closeAllConnections();
      await new Promise((r) => ipc.close(r));
    }
  });

  it('disarm restores access to everything', async () => {
    arm();
    expect((await fetchText(`http://127.0.0.1:${outside.port}/`)).ok).toBe(false);
    guard.disarm();
    expect(guard.armed).toBe(false);
    expect(await fetchText(`http://127.0.0.1:${outside.port}/`)).toEqual({ ok: true, data: 'outside' });
    expect(await httpGet({ host: '127.0.0.1', port: outside.port })).toEqual({ ok: true, data: 'outside' });
    expect((await overSocket(net.connect(outside.port, '127.0.0.1'))).ok).toBe(true);
    expect(await cbLookup('127.0.0.1')).toBe('127.0.0.1');
    expect(attempts).toHaveLength(1);
  });

  it('arming closes a connection opened before it to a target it does not allow (a keep-alive socket), and reports it; an allowed one stays open', async () => {
    const provider = await server('provider', false, true);
    let served = 0;
    provider.s.on('request', () => { served++; });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const toBroker = net.connect(broker.port, '127.0.0.1');
    const brokerConnected = new Promise((r) => toBroker.once('connect', r));
    try {
      expect(await guard.withCaller('data-update', () => httpGet({ host: '127.0.0.1', port: provider.port, agent }))).toEqual({ ok: true, data: 'provider' });
      expect(agent.freeSockets[`127.0.0.1:${provider.port}:`]).toHaveLength(1); // kept open for the next request
      await brokerConnected;
      let brokerClosed = false;
      toBroker.on('close', () => { brokerClosed = true; });
      arm();
      // Without the close the agent would send this request on its open socket: no connect to refuse, and it would be served.
      expect(await httpGet({ host: '127.0.0.1', port: provider.port, agent })).toEqual(BLOCKED);
      expect([provider.accepted(), served]).toEqual([1, 1]);
      expect(attempts).toEqual([
        { kind: 'connect', target: `127.0.0.1:${provider.port}`, caller: 'data-update (opened before the air gap was armed)' },
        { kind: 'connect', target: `127.0.0.1:${provider.port}`, caller: expect.stringMatching(HERE) },
      ]);
      await settle();
      expect(brokerClosed).toBe(false); // to an allowed endpoint: left alone
    } finally {
      toBroker.destroy();
      agent.destroy();
      await provider.close();
    }
  });
});

const cbLookup = (name: string): Promise<string> => new Promise((res, rej) => dns.lookup(name, (e, a) => (e ? rej(e) : res(a))));

// ---------------------------------------------------------------------------------------------
// The policy the guard is armed by (domain/schedule/airgap).

describe('parseEndpoint', () => {
  it('reads host:port, lower-casing the host, and [v6]:port', () => {
    expect(parseEndpoint('Broker.Example.COM:7709')).toEqual({ host: 'broker.example.com', port: 7709 });
    expect(parseEndpoint(' 10.0.0.5:443 ')).toEqual({ host: '10.0.0.5', port: 443 });
    expect(parseEndpoint('[2001:DB8::1]:443')).toEqual({ host: '2001:db8::1', port: 443 });
    expect(parseEndpoint('[::1]:1')).toEqual({ host: '::1', port: 1 });
    expect(formatEndpoint('2001:db8::1', 443)).toBe('[2001:db8::1]:443');
    expect(formatEndpoint('10.0.0.5', 443)).toBe('10.0.0.5:443');
  });

  it('gives the reason for what is not one', () => {
    for (const bad of ['broker.example.com', '2001:db8::1:443', 'http://broker:443', 'broker:', ':443', 'bro ker:443', 'broker:123456']) {
      expect(typeof parseEndpoint(bad), bad).toBe('string');
    }
    expect(parseEndpoint('broker:0')).toMatch(/port 0 is outside 1–65535/);
    expect(parseEndpoint('broker:65536')).toMatch(/port 65536 is outside 1–65535/);
    expect(parseEndpoint('::1:443')).toMatch(/IPv6 address in brackets/);
  });
});

describe('parseAirgapWindow', () => {
  it('reads HH:MM-HH:MM as minutes after exchange midnight', () => {
    expect(parseAirgapWindow('09:00-15:30')).toEqual({ startMin: 540, endMin: 930, text: '09:00-15:30' });
    expect(parseAirgapWindow('00:00-23:59')).toEqual({ startMin: 0, endMin: 1439, text: '00:00-23:59' });
  });

  it('refuses a window that does not end after it starts, or is not one', () => {
    expect(parseAirgapWindow('15:30-09:00')).toMatch(/must end after it starts/);
    expect(parseAirgapWindow('09:00-09:00')).toMatch(/must end after it starts/);
    for (const bad of ['9:00-15:30', '09:00–15:30', '24:00-24:30', '09:60-10:00', '09:00']) expect(parseAirgapWindow(bad), bad).toMatch(/is not a window/);
  });
});

describe('airgapArmedAt on the exchange calendar (config/market)', () => {
  const rules = loadMarketRules();
  if (isLeft(rules)) throw new Error(rules.left.message);
  const calendar = rules.right.calendar;
  const window = parseAirgapWindow('09:00-15:30') as AirgapWindow;
  const at = (day: string, hh: number, mm: number, extraMs = 0) => exchangeTimeMs(day as TradingDay, hh, mm) + extraMs;

  it('a trading day is armed from the window start (included) to its end (excluded), Asia/Shanghai time', () => {
    const day = '2024-03-05'; // a Tuesday
    expect(calendar.isTradingDay(day as TradingDay)).toBe(true);
    expect(airgapArmedAt(at(day, 8, 59, 59_999), window, calendar)).toBe(false);
    expect(airgapArmedAt(at(day, 9, 0), window, calendar)).toBe(true);
    expect(airgapArmedAt(at(day, 11, 45), window, calendar)).toBe(true);
    expect(airgapArmedAt(at(day, 15, 29, 59_999), window, calendar)).toBe(true);
    expect(airgapArmedAt(at(day, 15, 30), window, calendar)).toBe(false);
    expect(airgapArmedAt(at(day, 20, 0), window, calendar)).toBe(false);
    // 10:00 in Shanghai is 02:00 UTC: the window is exchange time, not the machine's.
    expect(airgapArmedAt(Date.UTC(2024, 2, 5, 2, 0), window, calendar)).toBe(true);
    expect(airgapArmedAt(Date.UTC(2024, 2, 5, 10, 0), window, calendar)).toBe(false);
  });

  it('a weekend, a make-up working weekend and a weekday holiday are not armed', () => {
    for (const day of ['2024-03-09', '2024-03-10', '2024-09-29', '2024-10-01', '2024-02-12']) {
      expect(calendar.isTradingDay(day as TradingDay), day).toBe(false);
      expect(airgapArmedAt(at(day, 10, 0), window, calendar), day).toBe(false);
    }
    expect(airgapArmedAt(at('2024-10-08', 10, 0), window, calendar)).toBe(true); // the first day back
  });

  it('beyond the calendar table the window is armed rather than open (fail safe)', () => {
    expect(calendar.lastDay < '2031-03-04').toBe(true);
    expect(airgapArmedAt(at('2031-03-04', 10, 0), window, calendar)).toBe(true);
    expect(airgapArmedAt(at('2031-03-04', 16, 0), window, calendar)).toBe(false);
  });
});
