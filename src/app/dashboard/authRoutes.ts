import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { writeCommand } from '../../adapters/commands/index.js';
import { isHolderAlive, readLock } from '../../adapters/lock/lockFile.js';
import type { OperatorAction } from '../../domain/index.js';
import type { DashboardContext } from './server.js';
import { checkCsrf, originAllowed } from './server.js';
import { csrfMatches, SESSION_COOKIE, type Session } from './sessions.js';

const LoginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
  totp: z.string().regex(/^\d{6}$/),
});
const KillSwitchBody = z.strictObject({ engage: z.boolean(), totp: z.string().regex(/^\d{6}$/), why: z.string().max(500).optional() });
const AckBody = z.strictObject({ totp: z.string().regex(/^\d{6}$/), why: z.string().max(500).optional() });

/** The one answer to every failed login: it never says which factor failed or whether the user exists. */
export const LOGIN_FAILED = 'sign-in failed: wrong user name, password or code, or too many attempts (wait and try again)';
const STEP_UP_FAILED = 'the authenticator code was not accepted (wrong, already used, or the account is locked)';

const cookieOptions = { path: '/', httpOnly: true, secure: true, sameSite: 'strict' as const };

/** Login, logout, who am I, and the operator actions (each with a fresh TOTP code: step-up). */
export function registerAuth(app: FastifyInstance, ctx: DashboardContext): void {
  const { sessions, throttle, securityLog, now } = ctx;

  app.post('/api/login', { config: { rateLimit: { max: 20, timeWindow: 60_000 } } }, async (req, reply) => {
    const address = req.ip;
    if (!originAllowed(ctx, req, false)) return reply.code(403).send({ error: 'request from another origin refused' });
    const body = LoginBody.safeParse(req.body);
    const t = now();
    const gate = throttle.check(address, t);
    if (!gate.ok) {
      void securityLog.record('LoginFailed', { user: body.success ? body.data.username : '', address, reason: 'ADDRESS_LOCKED' });
      return reply.code(429).header('retry-after', String(Math.ceil(gate.retryAfterMs / 1000))).send({ error: LOGIN_FAILED });
    }
    if (!body.success) {
      void securityLog.record('LoginFailed', { user: '', address, reason: 'MALFORMED' });
      return reply.code(400).send({ error: 'malformed request: send {username, password, totp} with a 6-digit code' });
    }
    const r = await ctx.o.users.verifyLogin(body.data.username, body.data.password, body.data.totp, t);
    if (!r.ok) {
      void securityLog.record('LoginFailed', { user: body.data.username.slice(0, 64), address, reason: r.reason });
      if (r.locked) void securityLog.record('LoginLocked', { scope: 'account', subject: body.data.username.slice(0, 64), failures: r.locked.failures, until: new Date(r.locked.until).toISOString() });
      const lock = throttle.fail(address, t);
      if (lock) void securityLog.record('LoginLocked', { scope: 'address', subject: address, failures: lock.failures, until: new Date(lock.until).toISOString() });
      return reply.code(401).send({ error: LOGIN_FAILED });
    }
    throttle.succeed(address);
    // A new session id at every login (an id the request carried is ended, never reused).
    const old = req.cookies?.[SESSION_COOKIE];
    if (old) sessions.destroy(old);
    const s = sessions.create(r.user, address, t, r.stamp);
    void securityLog.record('LoginSucceeded', { user: r.user, address });
    return reply.setCookie(SESSION_COOKIE, s.id, { ...cookieOptions, maxAge: Math.floor(sessions.absoluteMs / 1000) }).send({ csrfToken: s.csrfToken, user: s.user });
  });

  app.post('/api/logout', async (req, reply) => {
    if (!checkCsrf(ctx, req, reply, csrfMatches)) return reply;
    const s = req.session!;
    sessions.destroy(s.id);
    void securityLog.record('SessionEnded', { user: s.user, address: req.ip, reason: 'LOGOUT' });
    return reply.clearCookie(SESSION_COOKIE, cookieOptions).code(204).send();
  });

  app.get('/api/me', async (req) => {
    const s = req.session!;
    return { user: s.user, csrfToken: s.csrfToken, idleTimeoutSeconds: Math.floor(sessions.idleMs / 1000) };
  });

  app.post('/api/actions/kill-switch', async (req, reply) => {
    if (!checkCsrf(ctx, req, reply, csrfMatches)) return reply;
    const body = KillSwitchBody.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: 'malformed request: send {engage: true|false, totp: "123456"}' });
    const action: OperatorAction = body.data.engage ? 'kill-switch-engage' : 'kill-switch-release';
    return operatorAction(ctx, req, reply, action, null, body.data.totp, body.data.why ?? '');
  });

  app.post('/api/alerts/:id/ack', async (req, reply) => {
    if (!checkCsrf(ctx, req, reply, csrfMatches)) return reply;
    const id = Number((req.params as { id: string }).id);
    const body = AckBody.safeParse(req.body);
    if (!Number.isSafeInteger(id) || id <= 0 || !body.success) return reply.code(400).send({ error: 'malformed request: POST /api/alerts/<id>/ack with {totp: "123456"}' });
    const alert = ctx.follower.model.alertViews().find((a) => a.id === id);
    if (!alert) return reply.code(404).send({ error: `no alert ${id} in this journal` });
    if (alert.acknowledgedBy !== null) return reply.code(409).send({ error: `alert ${id} was already acknowledged by ${alert.acknowledgedBy}` });
    const action: OperatorAction = alert.code === 'RECONCILIATION_BREAK' ? 'reconciliation-ack' : 'alert-ack';
    return operatorAction(ctx, req, reply, action, id, body.data.totp, body.data.why ?? '');
  });
}

/** Whether a service holds the journal's lock now (on this host). */
export function serviceRunning(journalPath: string): { running: boolean; pid: number | null } {
  const lock = readLock(`${journalPath}.lock`);
  const running = lock !== null && isHolderAlive(lock);
  return { running, pid: running ? lock!.pid : null };
}

/**
 * An operator action: refused without a running service (the dashboard never writes the journal
 * itself), then a fresh TOTP code (step-up; each code once), then written to the command channel.
 * The service journals it within a poll; the page sees it arrive on the websocket.
 */
async function operatorAction(
  ctx: DashboardContext, req: FastifyRequest, reply: FastifyReply, action: OperatorAction, target: number | null, totp: string, why: string,
): Promise<FastifyReply> {
  const s: Session = req.session!;
  const log = (outcome: 'QUEUED' | 'STEP_UP_FAILED' | 'NO_SERVICE' | 'INVALID', commandId: string | null) =>
    void ctx.securityLog.record('OperatorActionRequested', { user: s.user, address: req.ip, action, target, outcome, commandId });
  if (!serviceRunning(ctx.o.journalPath).running) {
    log('NO_SERVICE', null);
    return reply.code(409).send({ error: 'no service is running on this journal: the dashboard is read-only (start ashare run to act)' });
  }
  const t = ctx.now();
  const step = await ctx.o.users.verifyStepUp(s.user, totp, t);
  if (!step.ok) {
    log('STEP_UP_FAILED', null);
    return reply.code(403).send({ error: STEP_UP_FAILED });
  }
  let commandId: string;
  try {
    commandId = writeCommand(ctx.o.journalPath, ctx.channelKey, { user: s.user, action, target, why: why || defaultWhy(action, s.user), issuedAt: new Date(t).toISOString() }, t);
  } catch (e) {
    process.stderr.write(`ashare dashboard: cannot write the command channel: ${(e as NodeJS.ErrnoException).code ?? 'I/O error'}\n`);
    log('INVALID', null);
    return reply.code(503).send({ error: 'the command could not be handed to the service (see the dashboard\'s log)' });
  }
  log('QUEUED', commandId);
  return reply.code(202).send({ commandId, status: 'queued' });
}

const defaultWhy = (action: OperatorAction, user: string): string =>
  action === 'kill-switch-engage' ? `kill switch engaged by ${user} at the dashboard`
    : action === 'kill-switch-release' ? `kill switch released by ${user} at the dashboard` : `acknowledged by ${user} at the dashboard`;
