import { z } from 'zod';

/*
 * The dashboard's security log (its own hash-chained journal file, never a trading journal):
 * logins, failures, lockouts, sessions ended and operator actions asked for. No password, TOTP
 * code, session id or CSRF token is ever recorded; a client is named by its address.
 */

const zUser = z.string().min(1).max(64);
const zAddress = z.string().min(1).max(64);

export const DashboardStarted = z.object({
  type: z.literal('DashboardStarted'),
  data: z.strictObject({ pid: z.number().int().positive(), journal: z.string().min(1), listen: z.string().min(1), tls: z.boolean() }),
});

export const LoginSucceeded = z.object({
  type: z.literal('LoginSucceeded'),
  data: z.strictObject({ user: zUser, address: zAddress }),
});

/** A login that failed. `user` is what was typed (it may name no account); the reason is for the log's reader only, never the client. */
export const LoginFailed = z.object({
  type: z.literal('LoginFailed'),
  data: z.strictObject({
    user: z.string().max(64),
    address: zAddress,
    reason: z.enum(['BAD_CREDENTIALS', 'UNKNOWN_USER', 'TOTP_REPLAYED', 'ACCOUNT_LOCKED', 'ADDRESS_LOCKED', 'MALFORMED']),
  }),
});

/** An account or a client address locked after repeated failures, until `until` (ISO 8601). */
export const LoginLocked = z.object({
  type: z.literal('LoginLocked'),
  data: z.strictObject({ scope: z.enum(['account', 'address']), subject: z.string().min(1).max(64), failures: z.number().int().positive(), until: z.string().min(1) }),
});

export const SessionEnded = z.object({
  type: z.literal('SessionEnded'),
  // v2 adds CREDENTIALS_CHANGED: the user's TOTP secret (or password) was replaced since sign-in.
  data: z.strictObject({ user: zUser, address: zAddress, reason: z.enum(['LOGOUT', 'IDLE', 'ABSOLUTE', 'USER_REMOVED', 'CREDENTIALS_CHANGED']) }),
});

/** An operator action asked for at the dashboard: accepted (written to the command channel) or refused (step-up failed, no service). */
export const OperatorActionRequested = z.object({
  type: z.literal('OperatorActionRequested'),
  data: z.strictObject({
    user: zUser,
    address: zAddress,
    action: z.string().min(1).max(64),
    target: z.number().int().positive().nullable(),
    outcome: z.enum(['QUEUED', 'STEP_UP_FAILED', 'NO_SERVICE', 'INVALID']),
    commandId: z.string().max(64).nullable(),
  }),
});

export const SecurityEvent = [DashboardStarted, LoginSucceeded, LoginFailed, LoginLocked, SessionEnded, OperatorActionRequested] as const;
export const SECURITY_EVENT_TYPES: ReadonlySet<string> = new Set(SecurityEvent.map((s) => s.shape.type.value));
