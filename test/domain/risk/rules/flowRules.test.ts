import { describe, expect, it } from 'vitest';
import { canCancel, cancelRate, duplicate, orderRate } from '../../../../src/domain/risk/rules/index.js';
import { A, B, config, ctx, DAY_START, NOW, order } from './riskFixtures.js';

const sent = (atMs: number, symbol = B, qty = 100) => ({ symbol, side: 'buy' as const, qty, atMs });

describe('duplicate', () => {
  it('given the same order sent 59.999 s ago, then DUPLICATE_ORDER', () => {
    expect(duplicate(order(), ctx({ recentOrders: [sent(NOW - 59_999, A)] }), config)).toMatchObject({ ok: false, reason: 'DUPLICATE_ORDER' });
  });
  it('given it was sent 60 s ago, or differs in side or qty, then it passes', () => {
    expect(duplicate(order(), ctx({ recentOrders: [sent(NOW - 60_000, A)] }), config)).toEqual({ ok: true });
    expect(duplicate(order({ side: 'sell' }), ctx({ recentOrders: [sent(NOW - 1, A)] }), config)).toEqual({ ok: true });
    expect(duplicate(order({ qty: 200 }), ctx({ recentOrders: [sent(NOW - 1, A)] }), config)).toEqual({ ok: true });
  });
});

describe('orderRate', () => {
  it('given 4 orders in the last second (cap 5), then one more passes; given 5, then ORDER_RATE', () => {
    const four = [1, 2, 3, 4].map((i) => sent(NOW - i * 100));
    expect(orderRate(order(), ctx({ recentOrders: four }), config)).toEqual({ ok: true });
    expect(orderRate(order(), ctx({ recentOrders: [...four, sent(NOW - 999)] }), config)).toMatchObject({ ok: false, reason: 'ORDER_RATE' });
  });
  it('given 5 orders exactly 1 s ago, then they are outside the second window', () => {
    expect(orderRate(order(), ctx({ recentOrders: [1, 2, 3, 4, 5].map(() => sent(NOW - 1000)) }), config)).toEqual({ ok: true });
  });
  it('given 1999 orders today (cap 2000), then one more passes; 2000 is ORDER_RATE; yesterday\'s do not count', () => {
    const today = (n: number) => Array.from({ length: n }, (_, i) => sent(DAY_START + i * 1000));
    expect(orderRate(order(), ctx({ recentOrders: today(1999) }), config)).toEqual({ ok: true });
    expect(orderRate(order(), ctx({ recentOrders: today(2000) }), config)).toMatchObject({ ok: false, reason: 'ORDER_RATE' });
    expect(orderRate(order(), ctx({ recentOrders: Array.from({ length: 2000 }, (_, i) => sent(DAY_START - 1 - i)) }), config)).toEqual({ ok: true });
  });
});

describe('cancelRate', () => {
  it('given 4 cancels in the last second (cap 5), then an order passes and one more cancel is allowed', () => {
    const c = ctx({ recentCancels: [1, 2, 3, 4].map((i) => ({ atMs: NOW - i })) });
    expect(cancelRate(order(), c, config)).toEqual({ ok: true });
    expect(canCancel(c, config)).toBe(true);
  });
  it('given 5 cancels in the last second, then CANCEL_RATE and no more cancels', () => {
    const c = ctx({ recentCancels: [1, 2, 3, 4, 5].map((i) => ({ atMs: NOW - i })) });
    expect(cancelRate(order(), c, config)).toMatchObject({ ok: false, reason: 'CANCEL_RATE' });
    expect(canCancel(c, config)).toBe(false);
  });
  it('given 1000 cancels today (cap 1000), then CANCEL_RATE; 999 passes', () => {
    const n = (k: number) => Array.from({ length: k }, (_, i) => ({ atMs: DAY_START + i * 1000 }));
    expect(cancelRate(order(), ctx({ recentCancels: n(1000) }), config)).toMatchObject({ ok: false, reason: 'CANCEL_RATE' });
    expect(cancelRate(order(), ctx({ recentCancels: n(999) }), config)).toEqual({ ok: true });
  });
});
