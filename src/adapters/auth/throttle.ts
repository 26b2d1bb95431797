import { LRUCache } from 'lru-cache';
import { isLocked, recordFailure, UNLOCKED, type LockStarted, type LockState } from './lockout.js';

export type ThrottleCheck = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

/** How many client addresses are remembered (least recently used forgotten first). */
export const DEFAULT_MAX_ADDRESSES = 10_000;

/**
 * Login failures per client address, in memory, under the same rule as accounts (lockout.ts): 5
 * consecutive failures lock the address for a back-off that doubles up to an hour. This slows one
 * client trying many user names, which the per-account lock cannot see. Memory is bounded: beyond
 * `maxAddresses` (10 000 by default) the least recently seen address is forgotten, so a flood of
 * addresses can only make the throttle forget, never exhaust memory (each account's lock holds).
 */
export class AddressThrottle {
  readonly #states: LRUCache<string, LockState>;

  constructor(maxAddresses: number = DEFAULT_MAX_ADDRESSES) {
    this.#states = new LRUCache<string, LockState>({ max: maxAddresses });
  }

  /** Whether a login from `address` may be tried now; when not, how long until it may. */
  check(address: string, nowMs: number): ThrottleCheck {
    const s = this.#states.get(address);
    return s !== undefined && isLocked(s, nowMs) ? { ok: false, retryAfterMs: s.lockedUntil - nowMs } : { ok: true };
  }

  /** Counts a failed login from `address`; returns the lock it started, if it did (log it once). */
  fail(address: string, nowMs: number): LockStarted | undefined {
    const f = recordFailure(this.#states.get(address) ?? UNLOCKED, nowMs);
    this.#states.set(address, f.next);
    return f.locked;
  }

  /** A successful login from `address` clears its count and back-off. */
  succeed(address: string): void {
    this.#states.delete(address);
  }

  /** How many addresses are remembered now (at most the bound). */
  get size(): number {
    return this.#states.size;
  }
}
