import { AsyncLocalStorage } from 'node:async_hooks';
import dgram from 'node:dgram';
import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import type { Endpoint } from '../../domain/schedule/endpoint.js';
import { formatEndpoint } from '../../domain/schedule/endpoint.js';

export { formatEndpoint, parseEndpoint, type Endpoint } from '../../domain/schedule/endpoint.js';

/**
 * The in-process egress guard of the air-gapped mode. Installed once per process, it wraps the
 * places every outgoing connection of Node passes through — `net.Socket#connect` (so `net`, `tls`,
 * `http(s)`, `http2` and `fetch`/undici), the `dns` module (callback, promise and Resolver forms)
 * and `dgram` sends — and, while armed, refuses any target not on the allow list *before* the
 * original function runs: no SYN, no DNS query, no datagram leaves. Loopback is no exception (a local
 * proxy or data service must be listed), except ports this very process listens on. Unix sockets are
 * not network egress and pass. A refused attempt fails the way a refused connection does (the
 * socket errors with code EGRESS_BLOCKED; a look-up calls back or rejects with it) and is reported
 * to the listeners with its target and caller. Arming also closes the connections opened before it
 * to targets it does not allow (a keep-alive socket or a stream would otherwise go on through the
 * window), reporting each. Worker threads and child processes have their own networking: the OS
 * rules (`ashare airgap rules`) cover them.
 */

export interface BlockedAttempt {
  /** `host:port` (`[v6]:port`), or the name looked up. */
  readonly target: string;
  /** Who asked: the label of `withCaller`, else the first frame of the stack outside Node and this guard. */
  readonly caller: string;
  readonly kind: 'connect' | 'dns' | 'udp';
}

const normalHost = (h: string): string => h.toLowerCase().replace(/^\[|\]$/g, '');
const isLoopback = (h: string): boolean => h === 'localhost' || h === '::1' || (net.isIPv4(h) && h.startsWith('127.'));

export class EgressGuard {
  private allowList: Endpoint[] = [];
  private armedFlag = false;
  private readonly listeners = new Set<(a: BlockedAttempt) => void>();
  private readonly callerScope = new AsyncLocalStorage<string>();
  /** Ports this process listens on: connecting to its own listener is not egress. */
  readonly ownPorts = new Set<number>();
  /** Outgoing TCP sockets open now, with where they went and the caller label they were opened under. */
  private readonly live = new Map<net.Socket, { host: string; port: number; label: string | undefined; at: Error }>();
  blockedCount = 0;

  get armed(): boolean {
    return this.armedFlag;
  }

  get allow(): readonly Endpoint[] {
    return this.allowList;
  }

  arm(allow: readonly Endpoint[]): void {
    this.allowList = allow.map((e) => ({ host: normalHost(e.host), port: e.port }));
    this.armedFlag = true;
    // A connection opened before the window is egress inside it all the same: close it (no 'error'
    // event, which an owner without a listener would crash on; it sees the peer go away).
    for (const [socket, t] of [...this.live]) {
      if (this.allowsConnect(t.host, t.port)) continue;
      this.live.delete(socket);
      this.block('connect', formatEndpoint(normalHost(t.host), t.port), `${t.label ?? callerFromStack(t.at)} (opened before the air gap was armed)`);
      socket.destroy();
    }
  }

  /** Records an outgoing socket until it closes, for `arm` to close it if its target is not allowed. */
  track(socket: net.Socket, host: string, port: number): void {
    if (this.live.has(socket)) return;
    // The stack is captured now but only formatted if arm() ever closes this socket.
    this.live.set(socket, { host, port, label: this.callerScope.getStore(), at: stackNow() });
    socket.once('close', () => this.live.delete(socket));
  }

  disarm(): void {
    this.armedFlag = false;
  }

  onBlocked(f: (a: BlockedAttempt) => void): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }

  /** Runs `fn` with `label` as the caller of any attempt it makes (through every await it does). */
  withCaller<T>(label: string, fn: () => T): T {
    return this.callerScope.run(label, fn);
  }

  /** Whether a connection to host:port may be made now. */
  allowsConnect(host: string, port: number): boolean {
    if (!this.armedFlag) return true;
    const h = normalHost(host);
    if (isLoopback(h) && this.ownPorts.has(port)) return true;
    return this.allowList.some((e) => e.port === port && e.host === h);
  }

  /** Whether a name may be looked up now: a listed host, an IP literal or localhost (neither needs the network). */
  allowsLookup(hostname: string): boolean {
    if (!this.armedFlag) return true;
    const h = normalHost(hostname);
    return net.isIP(h) !== 0 || h === 'localhost' || this.allowList.some((e) => e.host === h);
  }

  /** Whether a DNS query (c-ares: resolve*, reverse; getnameinfo) may be sent now: only for a listed host. */
  allowsQuery(name: string): boolean {
    if (!this.armedFlag) return true;
    const h = normalHost(name);
    return this.allowList.some((e) => e.host === h);
  }

  /** Records a refused attempt and returns the error to fail it with. */
  block(kind: BlockedAttempt['kind'], target: string, caller?: string): NodeJS.ErrnoException {
    const a: BlockedAttempt = { target, caller: caller ?? this.callerScope.getStore() ?? callerFromStack(), kind };
    this.blockedCount++;
    for (const f of this.listeners) {
      try { f(a); } catch { /* a listener must not break the refusal */ }
    }
    const err: NodeJS.ErrnoException = new Error(`egress blocked by the air gap: ${kind} ${target} is not on airgap.allow`);
    err.code = 'EGRESS_BLOCKED';
    return err;
  }
}

// This guard's own module only (src or dist), not any file whose name starts like it (its test).
const SKIP_FRAME = /node:|\(internal\/|[\\/]adapters[\\/]net[\\/]egressGuard\.[jt]s:|node_modules[\\/]undici|<anonymous>/;

/**
 * The stack here, deeper than the default 10 frames: http.get alone puts ten frames of Node and
 * this guard above its caller, who would otherwise never be found.
 */
function stackNow(): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  try {
    return new Error();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** The first stack frame that is neither Node's nor this guard's, as `function (file:line)`. */
function callerFromStack(at: Error = stackNow()): string {
  const lines = (at.stack ?? '').split('\n').slice(1).map((l) => l.trim().replace(/^at /, ''));
  const frame = lines.find((l) => !SKIP_FRAME.test(l));
  if (!frame) return 'unknown (no frame outside Node on the stack)';
  return frame.replace(/file:\/\/\/?/, '/').replace(/^.*?\/(src|dist|test|bench|node_modules)\//, '$1/').slice(0, 200);
}

let installed: EgressGuard | null = null;

/** The process's guard, installed on first use (disarmed until `arm`). */
export function egressGuard(): EgressGuard {
  if (installed) return installed;
  const guard = new EgressGuard();
  installed = guard;
  patchNet(guard);
  patchDns(guard);
  patchDgram(guard);
  // ESM named imports of builtins (import { lookup } from 'node:dns') are bindings of their own,
  // taken when the module was first imported: bring them up to the patched functions.
  syncBuiltinESMExports();
  return guard;
}

type ConnectArgs = unknown[];

/** Where a Socket#connect call goes: `{host, port}`, `{path}` for IPC, or null when it cannot tell. */
function connectTarget(args: ConnectArgs): { host: string; port: number } | { path: string } | null {
  let first = args[0];
  if (Array.isArray(first)) first = first[0]; // net.connect passes its normalised [options, cb]
  if (first !== null && typeof first === 'object') {
    const o = first as { path?: unknown; host?: unknown; port?: unknown };
    if (typeof o.path === 'string') return { path: o.path };
    return { host: typeof o.host === 'string' && o.host !== '' ? o.host : 'localhost', port: Number(o.port) };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { path: first };
  if (typeof first === 'number' || typeof first === 'string') return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: Number(first) };
  return null;
}

function patchNet(guard: EgressGuard): void {
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: ConnectArgs) {
    const t = connectTarget(args);
    if (guard.armed && t && !('path' in t) && !guard.allowsConnect(t.host, t.port)) {
      const err = guard.block('connect', formatEndpoint(normalHost(t.host), t.port));
      process.nextTick(() => this.destroy(err));
      return this;
    }
    if (t && !('path' in t)) guard.track(this, t.host, t.port);
    return (connect as (...a: ConnectArgs) => net.Socket).apply(this, args);
  } as typeof connect;
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function guardedListen(this: net.Server, ...args: unknown[]) {
    // The port is kept from 'listening': by 'close' the handle is gone and address() is null.
    let port: number | undefined;
    this.once('listening', () => {
      const a = this.address();
      if (a && typeof a === 'object') guard.ownPorts.add((port = a.port));
    });
    this.once('close', () => {
      if (port !== undefined) guard.ownPorts.delete(port);
    });
    return (listen as (...a: unknown[]) => net.Server).apply(this, args);
  } as typeof listen;
}

const DNS_METHODS = ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname', 'resolveMx',
  'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt', 'reverse'] as const;

function patchDns(guard: EgressGuard): void {
  const name = (args: unknown[]): string => String(args[0]);
  // Only getaddrinfo (lookup) answers an IP literal or localhost without the network; the others
  // (c-ares queries, reverse and getnameinfo look-ups of an address) ask a DNS server whatever the name.
  const allowed = (m: string, args: unknown[]): boolean => (m === 'lookup' ? guard.allowsLookup(name(args)) : guard.allowsQuery(name(args)));
  const callbackStyle = (target: Record<string, unknown>) => {
    for (const m of DNS_METHODS) {
      const orig = target[m];
      if (typeof orig !== 'function') continue;
      target[m] = function guardedDns(this: unknown, ...args: unknown[]) {
        if (guard.armed && !allowed(m, args)) {
          const err = guard.block('dns', name(args));
          const cb = args[args.length - 1];
          if (typeof cb === 'function') process.nextTick(() => (cb as (e: Error) => void)(err));
          return undefined;
        }
        return (orig as (...a: unknown[]) => unknown).apply(this, args);
      };
    }
  };
  const promiseStyle = (target: Record<string, unknown>) => {
    for (const m of DNS_METHODS) {
      const orig = target[m];
      if (typeof orig !== 'function') continue;
      target[m] = function guardedDnsPromise(this: unknown, ...args: unknown[]) {
        if (guard.armed && !allowed(m, args)) return Promise.reject(guard.block('dns', name(args)));
        return (orig as (...a: unknown[]) => unknown).apply(this, args);
      };
    }
  };
  callbackStyle(dns as unknown as Record<string, unknown>);
  callbackStyle(dns.Resolver.prototype as unknown as Record<string, unknown>);
  promiseStyle(dns.promises as unknown as Record<string, unknown>);
  promiseStyle(dns.promises.Resolver.prototype as unknown as Record<string, unknown>);
}

function patchDgram(guard: EgressGuard): void {
  const proto = dgram.Socket.prototype as unknown as Record<string, unknown>;
  const send = proto['send'] as (...a: unknown[]) => unknown;
  proto['send'] = function guardedSend(this: dgram.Socket, ...args: unknown[]) {
    if (guard.armed) {
      // send(msg[, offset, length][, port][, address][, cb]): the port is the first number after msg
      // (or after offset/length), the address the string after it; a connected socket has neither.
      const nums = args.slice(1).filter((a) => typeof a === 'number') as number[];
      const port = nums.length === 1 || nums.length === 3 ? nums[nums.length - 1] : undefined;
      const address = args.slice(1).find((a) => typeof a === 'string') as string | undefined;
      let target: string | null = null;
      if (port !== undefined) target = guard.allowsConnect(address ?? 'localhost', port) ? null : formatEndpoint(address ?? 'localhost', port);
      else {
        try {
          const r = this.remoteAddress();
          target = guard.allowsConnect(r.address, r.port) ? null : formatEndpoint(r.address, r.port);
        } catch {
          target = 'an unconnected UDP socket';
        }
      }
      if (target !== null) {
        const err = guard.block('udp', target);
        const cb = args[args.length - 1];
        if (typeof cb === 'function') process.nextTick(() => (cb as (e: Error) => void)(err));
        return undefined;
      }
    }
    return send.apply(this, args);
  };
  const connect = proto['connect'] as (...a: unknown[]) => unknown;
  proto['connect'] = function guardedUdpConnect(this: dgram.Socket, ...args: unknown[]) {
    const port = Number(args[0]);
    const address = typeof args[1] === 'string' ? args[1] : 'localhost';
    if (guard.armed && !guard.allowsConnect(address, port)) {
      const err = guard.block('udp', formatEndpoint(address, port));
      process.nextTick(() => this.emit('error', err));
      return undefined;
    }
    return connect.apply(this, args);
  };
}
