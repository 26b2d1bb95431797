import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { egressGuard, type BlockedAttempt } from '../../adapters/net/egressGuard.js';
import { AppError, EXIT } from '../errors.js';
import { buildApp, type DashboardOptions } from './server.js';

export interface ServeOptions extends Omit<DashboardOptions, 'origins'> {
  /** Where to listen: an address, `localhost`, or a name (resolved once, before the guard is armed). */
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Origins the pages are reached at besides the listener's own (an SSH tunnel's local port). */
  readonly extraOrigins?: readonly string[];
}

export interface ServedDashboard {
  readonly app: FastifyInstance;
  /** `scheme://host:port` of the listener. */
  readonly url: string;
  readonly port: number;
  /** Stops serving, then disarms the egress guard (the process is about to end). */
  close(): Promise<void>;
}

export const isLoopbackHost = (host: string): boolean => host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));

/** Distinct refused attempts reported on stderr; beyond it they are refused silently. */
const MAX_REPORTED = 200;

/**
 * `ashare dashboard` serving: builds the app and listens, with the process's egress guard armed
 * with an empty allow list from before the journal is opened until the dashboard stops. The
 * dashboard reads local files (an SQLite journal — it follows no PostgreSQL journal —, the users
 * file, its security log) and answers its clients; it needs no outgoing connection at all, so any
 * attempt (a dependency calling home, a DNS query) is refused before a packet leaves and reported
 * on stderr. Its own listener is exempt, as the guard exempts every port the process listens on.
 * A listen host given by name is resolved first, the one look-up the dashboard makes.
 */
export async function serveDashboard(o: ServeOptions): Promise<ServedDashboard> {
  const listenOn = await listenAddress(o.host);
  const guard = egressGuard();
  const reported = new Set<string>();
  const off = guard.onBlocked((a: BlockedAttempt) => {
    const key = `${a.kind} ${a.target} ${a.caller}`;
    if (reported.has(key) || reported.size >= MAX_REPORTED) return;
    reported.add(key);
    process.stderr.write(`ashare dashboard: egress blocked: ${a.kind} ${a.target} by ${a.caller} (the dashboard makes no outgoing connection)\n`);
  });
  guard.arm([]);
  const disarm = (): void => {
    off();
    guard.disarm();
  };
  const origins: string[] = [...(o.extraOrigins ?? [])];
  let app: FastifyInstance;
  try {
    app = await buildApp({ ...o, origins });
  } catch (e) {
    disarm();
    throw e;
  }
  try {
    await app.listen({ host: listenOn, port: o.port });
  } catch (e) {
    await app.close();
    disarm();
    throw new AppError('LISTEN_FAILED', `cannot listen on ${o.host}:${o.port} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, EXIT.badInput);
  }
  const port = (app.server.address() as { port: number }).port;
  const scheme = o.tls ? 'https' : 'http';
  // The origins follow the port actually bound (0 picks one), so they are filled in after listen.
  const hosts = isLoopbackHost(o.host) ? ['127.0.0.1', 'localhost', '[::1]'] : [o.host.includes(':') ? `[${o.host}]` : o.host];
  origins.push(...hosts.map((h) => `${scheme}://${h}:${port}`));
  const url = `${scheme}://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`;
  await app.dashboard.securityLog.record('DashboardStarted', { pid: process.pid, journal: o.journalPath, listen: `${scheme}://${o.host}:${port}`, tls: o.tls !== undefined });
  return {
    app, url, port,
    close: async () => {
      try {
        await app.close();
      } finally {
        disarm();
      }
    },
  };
}

/** The address to bind: an IP or localhost as given (fastify binds every address of localhost), a name resolved now. */
async function listenAddress(host: string): Promise<string> {
  if (isIP(host) !== 0 || host === 'localhost') return host;
  try {
    return (await lookup(host)).address;
  } catch (e) {
    throw new AppError('LISTEN_FAILED', `cannot resolve --host ${host} (${(e as NodeJS.ErrnoException).code ?? 'look-up failed'})`, EXIT.badInput);
  }
}
