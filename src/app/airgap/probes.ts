import dns from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';

/*
 * The attempts the air-gap check makes. They go through Node's ordinary `net`, `tls` and `dns`
 * modules — the very functions the egress guard wraps — so what they report is what any code of
 * the service would meet at that moment.
 */

/** What one attempt came to: `code` is the error code (EGRESS_BLOCKED when the guard refused), TIMEOUT, or null when it succeeded. */
export interface ProbeResult {
  readonly ok: boolean;
  readonly code: string | null;
  /** One phrase: `connected`, `EGRESS_BLOCKED: refused by the guard`, `ECONNREFUSED`, `no answer within 2 s`, `resolved to 1.2.3.4`. */
  readonly detail: string;
}

export const GUARD_CODE = 'EGRESS_BLOCKED';

const failure = (e: unknown): ProbeResult => {
  const code = (e as NodeJS.ErrnoException | null)?.code ?? 'ERROR';
  return { ok: false, code, detail: code === GUARD_CODE ? `${GUARD_CODE}: refused by the guard` : code };
};
const timedOut = (ms: number): ProbeResult => ({ ok: false, code: 'TIMEOUT', detail: `no answer within ${ms / 1000} s` });

/** Opens a TCP connection to host:port and closes it at once (no byte is sent). */
export function tryConnect(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (r: ProbeResult) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done(timedOut(timeoutMs)), timeoutMs);
    socket.once('connect', () => done({ ok: true, code: null, detail: 'connected' }));
    socket.once('error', (e) => done(failure(e)));
  });
}

/** Looks a name up the way `net.connect` and `fetch` do (getaddrinfo through `dns.promises.lookup`). */
export async function tryLookup(name: string, timeoutMs: number): Promise<ProbeResult> {
  let timer: NodeJS.Timeout | undefined;
  // A look-up cannot be cancelled: on timeout it is left to finish in the thread pool.
  const timeout = new Promise<ProbeResult>((resolve) => { timer = setTimeout(() => resolve(timedOut(timeoutMs)), timeoutMs); });
  const lookup = dns.promises.lookup(name, { all: true }).then(
    (addrs): ProbeResult => ({ ok: true, code: null, detail: `resolved to ${addrs.map((a) => a.address).slice(0, 3).join(', ') || 'no address'}` }),
    failure,
  );
  try {
    return await Promise.race([lookup, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** How a listener answered a TLS ClientHello. */
export type HandshakeResult =
  | { readonly kind: 'tls'; readonly protocol: string }
  /** The TCP connection opened but no TLS handshake completed (a plain-text protocol, or silence). */
  | { readonly kind: 'plain'; readonly why: string }
  /** No TCP connection: the listener is gone (ECONNREFUSED) or unreachable from here. */
  | { readonly kind: 'unreachable'; readonly code: string };

/** Attempts a TLS handshake, certificate unchecked (only whether the listener speaks TLS matters here). */
export function tryTlsHandshake(host: string, port: number, timeoutMs: number): Promise<HandshakeResult> {
  return new Promise((resolve) => {
    let tcpOpen = false;
    const socket = tls.connect({ host, port, rejectUnauthorized: false, ...(net.isIP(host) ? {} : { servername: host }) });
    const done = (r: HandshakeResult) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done(tcpOpen ? { kind: 'plain', why: `no TLS handshake within ${timeoutMs / 1000} s` } : { kind: 'unreachable', code: 'TIMEOUT' }), timeoutMs);
    socket.once('connect', () => { tcpOpen = true; });
    socket.once('secureConnect', () => done({ kind: 'tls', protocol: socket.getProtocol() ?? 'TLS' }));
    socket.once('error', (e: NodeJS.ErrnoException) => done(tcpOpen
      ? { kind: 'plain', why: `answered a TLS ClientHello with ${e.code ?? 'an error'}` }
      : { kind: 'unreachable', code: e.code ?? 'ERROR' }));
    socket.once('close', () => done(tcpOpen ? { kind: 'plain', why: 'closed the connection without a TLS handshake' } : { kind: 'unreachable', code: 'CLOSED' }));
  });
}
