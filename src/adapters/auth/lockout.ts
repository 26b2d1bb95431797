/*
 * The lockout rule shared by accounts (users file) and client addresses (throttle): after 5
 * consecutive failures the subject is locked for 30 s × 2^(locks so far), at most one hour
 * (OWASP ASVS 4.0 V2.2.1: anti-automation with a growing delay rather than a permanent lock, so an
 * attacker cannot lock a person out for good and guessing stays hopelessly slow). A success clears
 * everything. Attempts while locked are refused without counting, so a lock ends when it says.
 */

export const FAILURES_BEFORE_LOCK = 5;
export const FIRST_LOCK_MS = 30_000;
export const MAX_LOCK_MS = 3_600_000;

export interface LockState {
  /** Consecutive failures since the last success or the last lock. */
  readonly failures: number;
  /** Locks so far since the last success; sets the next lock's length. */
  readonly lockouts: number;
  /** Epoch ms the current lock ends (0: never locked). Locked while `nowMs < lockedUntil`. */
  readonly lockedUntil: number;
}

/** A lock that one failure started: how many failures led to it and when it ends (epoch ms). */
export interface LockStarted {
  readonly failures: number;
  readonly until: number;
}

export const UNLOCKED: LockState = { failures: 0, lockouts: 0, lockedUntil: 0 };

/** The length of the next lock after `lockoutsSoFar` earlier ones, in ms. */
export const lockDurationMs = (lockoutsSoFar: number): number =>
  Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** Math.min(lockoutsSoFar, 16)); // 2^16 × 30 s is far past the cap already

export const isLocked = (s: LockState, nowMs: number): boolean => nowMs < s.lockedUntil;

/** The state after one more failure at `nowMs`, and the lock it started, if it did. */
export function recordFailure(s: LockState, nowMs: number): { readonly next: LockState; readonly locked?: LockStarted } {
  if (isLocked(s, nowMs)) return { next: s };
  const failures = s.failures + 1;
  if (failures < FAILURES_BEFORE_LOCK) return { next: { ...s, failures } };
  const until = nowMs + lockDurationMs(s.lockouts);
  return { next: { failures: 0, lockouts: s.lockouts + 1, lockedUntil: until }, locked: { failures, until } };
}
