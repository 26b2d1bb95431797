import { describe, expect, it } from 'vitest';
import { CURRENT_SCHEMA_VERSION, EVENT_TYPES } from '../../../src/domain/events/domainEvent.js';
import { cnyToFen, cnyToPriceMilli } from '../../../src/domain/money.js';
import { UPCASTERS, upcast, type UpcasterRegistry } from '../../../src/domain/events/upcast.js';

/**
 * A test-local history of OrderFilled: v1 stored the price in CNY as a decimal string and fees as one
 * total; v2 moved the price to integer 0.001 CNY; v3 split the fee into commission and other fees.
 */
const OLD_V1_JSON = '{"fee":"5.10","orderId":"o-1","price":"10.05","qty":200}';

const v1ToV2 = (d: unknown): unknown => {
  const { price, ...rest } = d as { price: string } & Record<string, unknown>;
  return { ...rest, priceMilli: cnyToPriceMilli(price) };
};
const v2ToV3 = (d: unknown): unknown => {
  const { fee, ...rest } = d as { fee: string } & Record<string, unknown>;
  return { ...rest, commissionFen: cnyToFen(fee), otherFeesFen: 0 };
};

const registry: UpcasterRegistry = { OrderFilled: { 1: v1ToV2, 2: v2ToV3 } };
const current = { OrderFilled: 3 };

describe('upcast', () => {
  it('lifts an old v1 JSON payload to v3 through two upcasters', () => {
    const stored = JSON.parse(OLD_V1_JSON) as unknown;
    const r = upcast('OrderFilled', 1, stored, registry, current);
    expect(r).toEqual({
      ok: true, version: 3,
      data: { orderId: 'o-1', qty: 200, priceMilli: 10_050, commissionFen: 510, otherFeesFen: 0 },
    });
    // Upcasters are pure: the stored payload is untouched.
    expect(stored).toEqual(JSON.parse(OLD_V1_JSON));
  });

  it('starts from the stored version: a v2 payload goes through the second upcaster only', () => {
    const r = upcast('OrderFilled', 2, { orderId: 'o-2', priceMilli: 9_990, fee: '5.00', qty: 100 }, registry, current);
    expect(r).toEqual({ ok: true, version: 3, data: { orderId: 'o-2', priceMilli: 9_990, qty: 100, commissionFen: 500, otherFeesFen: 0 } });
  });

  it('returns current-version data as is (same reference, no upcaster called)', () => {
    const data = { anything: 1 };
    const throwing: UpcasterRegistry = { OrderFilled: { 1: () => { throw new Error('must not run'); }, 2: () => { throw new Error('must not run'); } } };
    const r = upcast('OrderFilled', 3, data, throwing, current);
    expect(r.ok).toBe(true);
    if (r.ok) { expect(r.data).toBe(data); expect(r.version).toBe(3); }
  });

  it('fails, naming the step, when an upcaster in the chain is missing', () => {
    const gap: UpcasterRegistry = { OrderFilled: { 1: v1ToV2 } };
    const r = upcast('OrderFilled', 1, JSON.parse(OLD_V1_JSON), gap, current);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/v2 → v3/);
  });

  it('fails when the type has no upcasters at all', () => {
    const r = upcast('OrderFilled', 1, {}, {}, current);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/v1 → v2/);
  });

  it('fails for data written by a newer program', () => {
    const r = upcast('OrderFilled', 4, {}, registry, current);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/newer/);
  });

  it('fails for a type the current map does not know', () => {
    const r = upcast('OrderCancelled', 1, {}, registry, current);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/unknown event type/);
  });

  describe('the real registry', () => {
    it.each(EVENT_TYPES)('reads current %s data unchanged', (type) => {
      const data = { marker: type };
      const r = upcast(type, CURRENT_SCHEMA_VERSION[type], data);
      expect(r).toEqual({ ok: true, data, version: CURRENT_SCHEMA_VERSION[type] });
      if (r.ok) expect(r.data).toBe(data);
    });

    it('has no upcaster for a version below 1, and refuses versions above current', () => {
      expect(Object.isFrozen(UPCASTERS)).toBe(true);
      expect(upcast('OrderFilled', 0, {}).ok).toBe(false);
      expect(upcast('OrderFilled', CURRENT_SCHEMA_VERSION.OrderFilled + 1, {}).ok).toBe(false);
    });
  });
});
