import { describe, expect, it } from 'vitest';
import { AddressThrottle, DEFAULT_MAX_ADDRESSES, FIRST_LOCK_MS, lockDurationMs, MAX_LOCK_MS } from '../../../src/adapters/auth/index.js';

const T0 = 1_700_000_000_000;

/** Four failures that start nothing, then the fifth, whose lock is returned. */
function failFive(t: AddressThrottle, address: string, nowMs: number) {
  for (let i = 0; i < 4; i++) expect(t.fail(address, nowMs)).toBeUndefined();
  return t.fail(address, nowMs);
}

describe('lockout back-off', () => {
  it('doubles from 30 s per lock and stops at one hour', () => {
    expect([0, 1, 2, 3, 6].map(lockDurationMs)).toEqual([30_000, 60_000, 120_000, 240_000, 1_920_000]);
    expect(lockDurationMs(7)).toBe(MAX_LOCK_MS); // 3 840 s would pass the cap
    expect(lockDurationMs(10_000)).toBe(MAX_LOCK_MS);
    expect(FIRST_LOCK_MS).toBe(30_000);
  });
});

describe('AddressThrottle', () => {
  it('locks an address on its fifth consecutive failure, until the back-off ends', () => {
    const t = new AddressThrottle();
    expect(t.check('10.0.0.1', T0)).toEqual({ ok: true });
    expect(failFive(t, '10.0.0.1', T0)).toEqual({ failures: 5, until: T0 + 30_000 });
    expect(t.check('10.0.0.1', T0)).toEqual({ ok: false, retryAfterMs: 30_000 });
    expect(t.check('10.0.0.1', T0 + 29_999)).toEqual({ ok: false, retryAfterMs: 1 });
    expect(t.check('10.0.0.1', T0 + 30_000)).toEqual({ ok: true });
    expect(t.check('10.0.0.2', T0)).toEqual({ ok: true }); // addresses are counted apart
  });

  it('failures while locked neither count nor lengthen the lock', () => {
    const t = new AddressThrottle();
    failFive(t, 'a', T0);
    for (let i = 0; i < 20; i++) expect(t.fail('a', T0 + 1_000)).toBeUndefined();
    expect(t.check('a', T0 + 30_000)).toEqual({ ok: true });
    // after the lock the count starts again from zero
    for (let i = 0; i < 4; i++) expect(t.fail('a', T0 + 30_000)).toBeUndefined();
    expect(t.check('a', T0 + 30_000)).toEqual({ ok: true });
  });

  it('each further lock lasts twice as long, and a success starts over', () => {
    const t = new AddressThrottle();
    let now = T0;
    for (const len of [30_000, 60_000, 120_000, 240_000]) {
      expect(failFive(t, 'a', now)).toEqual({ failures: 5, until: now + len });
      now += len;
    }
    t.succeed('a');
    expect(failFive(t, 'a', now)).toEqual({ failures: 5, until: now + 30_000 });
  });

  it('a success clears the count of failures so far', () => {
    const t = new AddressThrottle();
    for (let i = 0; i < 4; i++) t.fail('a', T0);
    t.succeed('a');
    for (let i = 0; i < 4; i++) expect(t.fail('a', T0)).toBeUndefined();
    expect(t.check('a', T0)).toEqual({ ok: true });
  });

  it('remembers a bounded number of addresses, forgetting the least recently used', () => {
    const small = new AddressThrottle(3);
    failFive(small, 'old', T0);
    for (const a of ['b', 'c', 'd']) small.fail(a, T0);
    expect(small.size).toBe(3);
    expect(small.check('old', T0)).toEqual({ ok: true }); // forgotten

    const t = new AddressThrottle();
    for (let i = 0; i < DEFAULT_MAX_ADDRESSES + 50; i++) t.fail(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, T0);
    expect(t.size).toBe(DEFAULT_MAX_ADDRESSES);
  });
});
