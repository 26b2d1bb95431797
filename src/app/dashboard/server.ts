import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { JournalKey } from '../../adapters/journal/index.js';
import type { UsersStore } from '../../adapters/auth/index.js';
import { AddressThrottle } from '../../adapters/auth/index.js';
import { derivedKey } from '../../adapters/commands/index.js';
import { isLeft } from 'fp-ts/lib/Either.js';
import { AppError, EXIT } from '../errors.js';
import { JournalFollower } from './journalFollower.js';
import { PAGE_PATHS, pageHtml, type PageName } from './pages.js';
import { registerApi } from './apiRoutes.js';
import { registerAuth } from './authRoutes.js';
import { registerLiveFeed } from './liveFeed.js';
import { SecurityLog } from './securityLog.js';
import { SESSION_COOKIE, SessionStore, type Session, type SessionLookup } from './sessions.js';

export interface DashboardOptions {
  readonly journalPath: string;
  readonly key: JournalKey | undefined;
  readonly users: UsersStore;
  /** The security log's file (a hash-chained journal of its own). */
  readonly securityLogPath: string;
  /**
   * The origins (scheme://host[:port]) the dashboard is served from: a state-changing request or a
   * websocket upgrade whose Origin is not one of them is refused.
   */
  readonly origins: readonly string[];
  /** Served over TLS (HSTS is sent); buildApp is given the key and certificate to serve it. */
  readonly tls?: { readonly key: Buffer; readonly cert: Buffer } | undefined;
  readonly idleSeconds?: number;
  readonly absoluteSeconds?: number;
  /** How often the whole chain is re-verified, ms (default 60 s). */
  readonly verifyEveryMs?: number;
  /** Seconds without a service heartbeat before the dashboard raises HEARTBEAT (default from the run's alerts config, else 30). */
  readonly heartbeatSeconds?: number;
  /** Requests per minute per client address (default 600; login: 20). */
  readonly rateLimitPerMinute?: number;
  /** Unsent bytes a websocket client may have before it counts as slow (default 1 MiB). */
  readonly wsHighWaterBytes?: number;
  /** Wall clock, epoch ms (tests move it). */
  readonly now?: () => number;
}

/** What the routes share. */
export interface DashboardContext {
  readonly o: DashboardOptions;
  readonly follower: JournalFollower;
  readonly sessions: SessionStore;
  readonly throttle: AddressThrottle;
  readonly securityLog: SecurityLog;
  /** The command channel's HMAC key (derived from the journal key). */
  readonly channelKey: Buffer | null;
  readonly now: () => number;
  readonly heartbeatSeconds: () => number;
}

declare module 'fastify' {
  interface FastifyInstance {
    dashboard: DashboardContext;
  }
  interface FastifyRequest {
    /** The authenticated session (set by the auth hook on every route but the public ones). */
    session: Session | null;
  }
}

/** The browser bundle lives in the sources (src/app/dashboard/public), found from the package root whether this runs from src or dist. */
function publicDir(): URL {
  let dir = new URL('./', import.meta.url);
  for (let i = 0; i < 6; i++) {
    if (existsSync(new URL('package.json', dir))) return new URL('src/app/dashboard/public/', dir);
    dir = new URL('../', dir);
  }
  throw new Error('the dashboard\'s public files were not found above ' + import.meta.url);
}
const PUBLIC_DIR = publicDir();
const ASSETS: Readonly<Record<string, { type: string; file: () => string }>> = {
  '/assets/app.js': { type: 'text/javascript; charset=utf-8', file: () => readFileSync(new URL('app.js', PUBLIC_DIR), 'utf8') },
  '/assets/app.css': { type: 'text/css; charset=utf-8', file: () => readFileSync(new URL('app.css', PUBLIC_DIR), 'utf8') },
  '/assets/echarts.min.js': { type: 'text/javascript; charset=utf-8', file: () => readFileSync(createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js'), 'utf8') },
};

/** Routes answered without a session: the login page, its assets and the login call itself. */
const PUBLIC_ROUTES = new Set(['/login', '/api/login', ...Object.keys(ASSETS)]);

const CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "font-src 'self'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

/**
 * The monitoring dashboard as a fastify instance, not yet listening (tests use `inject`; `ashare
 * dashboard` listens). It follows the journal read-only and never writes it: an operator's action
 * goes to the running service through the command channel. Every route but the login page, its
 * assets and POST /api/login needs a session; pages without one redirect to /login, the API
 * answers 401. Errors never carry a stack trace or a path.
 */
export async function buildApp(o: DashboardOptions): Promise<FastifyInstance> {
  const now = o.now ?? Date.now;
  const ck = derivedKey(o.key, 'command-channel v1');
  if (isLeft(ck)) throw new AppError(ck.left.code, ck.left.message, EXIT.journal);
  const follower = JournalFollower.open(o.journalPath, o.key, now);
  let securityLog: SecurityLog;
  try {
    securityLog = SecurityLog.open(o.securityLogPath, o.key, now);
  } catch (e) {
    await follower.close();
    throw e;
  }
  const ctx: DashboardContext = {
    o, follower, securityLog, now, channelKey: ck.right,
    sessions: new SessionStore((o.idleSeconds ?? 900) * 1000, (o.absoluteSeconds ?? 8 * 3600) * 1000),
    throttle: new AddressThrottle(),
    heartbeatSeconds: () => o.heartbeatSeconds ?? follower.model.config()?.heartbeatSeconds ?? 30,
  };
  const app = Fastify({
    logger: false, bodyLimit: 16 * 1024, trustProxy: false, return503OnClosing: true,
    ...(o.tls ? { https: { key: o.tls.key, cert: o.tls.cert, minVersion: 'TLSv1.2' as const } } : {}),
  }) as unknown as FastifyInstance;
  const assets = new Map(Object.entries(ASSETS).map(([path, a]) => [path, { type: a.type, body: a.file() }]));

  app.decorateRequest('session', null);
  await app.register(cookie);
  await app.register(rateLimit, {
    max: o.rateLimitPerMinute ?? 600, timeWindow: 60_000,
    // Thrown by the plugin and answered by the error handler below, which sends an Error's message.
    errorResponseBuilder: (_req, c) => Object.assign(new Error(`too many requests: try again in ${Math.ceil(c.ttl / 1000)} s`), { statusCode: 429 }),
  });
  await app.register(websocket, { options: { maxPayload: 4096 } });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    reply.header('cache-control', 'no-store');
    if (o.tls) reply.header('strict-transport-security', 'max-age=31536000');
    const path = req.url.split('?')[0]!;
    if (PUBLIC_ROUTES.has(path)) return;
    const look = liveSession(ctx, req.cookies?.[SESSION_COOKIE] ?? parseSessionCookie(req), true);
    if (look.ok) {
      req.session = look.session;
      return;
    }
    if (req.method === 'GET' && !path.startsWith('/api/') && path !== '/ws') {
      return reply.redirect('/login', 302);
    }
    return reply.code(401).send({ error: 'not signed in' });
  });

  app.setErrorHandler((err: { statusCode?: number; code?: string }, req, reply) => {
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) process.stderr.write(`ashare dashboard: internal error on ${req.method} ${req.url.split('?')[0]}: ${String((err as Error).message ?? err).split('\n')[0]}\n`);
    const message = status === 429 ? (err as Error).message
      : status === 413 ? 'request too large'
        : status === 415 ? 'send JSON (content-type: application/json)'
          : status >= 500 ? 'internal error' : 'malformed request';
    return reply.code(status).send({ error: message });
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: 'not found' }));

  for (const [path, a] of assets) {
    app.get(path, async (_req, reply) => reply.header('cache-control', 'no-cache').type(a.type).send(a.body));
  }
  for (const [page, path] of Object.entries(PAGE_PATHS) as [PageName, string][]) {
    const html = pageHtml(page);
    app.get(path, async (_req, reply) => reply.type('text/html; charset=utf-8').send(html));
  }

  registerAuth(app, ctx);
  registerApi(app, ctx);
  registerLiveFeed(app, ctx);

  app.addHook('onReady', async () => {
    follower.start(o.verifyEveryMs ?? (follower.model.config()?.verifyEverySeconds ?? 60) * 1000);
    await follower.caughtUp();
  });
  app.addHook('onClose', async () => {
    await follower.close();
    await securityLog.close();
  });
  app.decorate('dashboard', ctx);
  return app;
}

/**
 * The live session `id` names (touched when `touch`), or why there is none. Besides logout and the
 * idle and absolute limits, a session ends when its user has been removed or re-enrolled since
 * sign-in (`ashare user remove` / `reset-totp` in another process: the users file is read at each
 * check); then every session of that user from before ends with it. Each end goes to the security log.
 */
export function liveSession(ctx: DashboardContext, id: string | undefined, touch: boolean): SessionLookup {
  const look = ctx.sessions.lookup(id, ctx.now(), touch);
  const logEnd = (s: Session, reason: 'IDLE' | 'ABSOLUTE' | 'USER_REMOVED' | 'CREDENTIALS_CHANGED') =>
    void ctx.securityLog.record('SessionEnded', { user: s.user, address: s.address, reason });
  if (!look.ok) {
    if (look.ended === 'IDLE' || look.ended === 'ABSOLUTE') logEnd(look.session!, look.ended);
    return look;
  }
  const stamp = ctx.o.users.enrolmentStamp(look.session.user);
  if (stamp === look.session.stamp) return look;
  const reason = stamp === null ? 'USER_REMOVED' : 'CREDENTIALS_CHANGED';
  for (const s of ctx.sessions.destroyUser(look.session.user, stamp)) logEnd(s, reason);
  return { ok: false, ended: 'USER_REMOVED', session: look.session };
}

/** The session cookie read by hand (a websocket upgrade passes the same headers; @fastify/cookie parses both). */
function parseSessionCookie(req: FastifyRequest): string | undefined {
  const raw = req.headers.cookie;
  if (!raw) return undefined;
  for (const part of raw.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === SESSION_COOKIE) return v.join('=');
  }
  return undefined;
}

/** Whether a request's Origin (when it sends one) is the dashboard's own; `required` for websocket upgrades. */
export function originAllowed(ctx: DashboardContext, req: FastifyRequest, required: boolean): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return !required;
  return ctx.o.origins.includes(origin);
}

/** Refuses a state-changing request from another origin or without the session's CSRF token (403). */
export function checkCsrf(ctx: DashboardContext, req: FastifyRequest, reply: FastifyReply, csrfMatches: (s: Session, t: unknown) => boolean): boolean {
  if (!originAllowed(ctx, req, false)) {
    void reply.code(403).send({ error: 'request from another origin refused' });
    return false;
  }
  if (!req.session || !csrfMatches(req.session, req.headers['x-csrf-token'])) {
    void reply.code(403).send({ error: 'missing or wrong CSRF token' });
    return false;
  }
  return true;
}
