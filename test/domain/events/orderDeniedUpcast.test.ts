import { describe, expect, it } from 'vitest';
import { decodeEvent } from '../../../src/app/journalio/decodeEvent.js';
import { CURRENT_SCHEMA_VERSION } from '../../../src/domain/events/domainEvent.js';
import { storedEvent } from './storedEvent.js';

// An OrderDenied exactly as issue 2–5 builds wrote it (schemaVersion 1, no `rule`), as stored JSON.
const V1_JSON = '{"details":"300 shares is not a valid buy size for 688001.SH","orderId":"O-2024-03-01-0003","reason":"LOT_SIZE","ruleVersion":"pretrade-gate/1 (2026-11-24): order-shape, lot, duplicate, position/T+1, cash; market-rules 17438da68f4bd752"}';

const stored = (data: unknown, schemaVersion: number) => storedEvent('OrderDenied', data, schemaVersion, 7);

describe('OrderDenied v1 → v2', () => {
  it('is written as v2 today', () => expect(CURRENT_SCHEMA_VERSION.OrderDenied).toBe(2));

  it('reads the old v1 JSON back with the rule its reason came from', () => {
    const r = decodeEvent(stored(JSON.parse(V1_JSON), 1));
    expect(r.ok && r.event).toEqual({ type: 'OrderDenied', data: { ...JSON.parse(V1_JSON), rule: 'lotSize' } });
  });

  it.each([
    ['BAD_ORDER', 'orderShape'], ['DUPLICATE_ORDER', 'workingOrder'], ['INSUFFICIENT_CASH', 'availability'],
    ['INSUFFICIENT_POSITION', 'availability'], ['T1_NOT_SELLABLE', 'availability'],
  ])('maps v1 reason %s to rule %s', (reason, rule) => {
    const r = decodeEvent(stored({ ...JSON.parse(V1_JSON), reason }, 1));
    expect(r.ok && r.event.type === 'OrderDenied' && r.event.data.rule).toBe(rule);
  });

  it('refuses a v1 payload with a v2-only reason, naming the field', () => {
    const r = decodeEvent(stored({ ...JSON.parse(V1_JSON), reason: 'PRICE_COLLAR' }, 1));
    expect(r).toMatchObject({ ok: false });
    expect(!r.ok && r.message).toMatch(/OrderDenied: data\.rule/);
  });

  it('refuses a v2 payload without its rule', () => {
    const r = decodeEvent(stored(JSON.parse(V1_JSON), 2));
    expect(!r.ok && r.message).toMatch(/data\.rule/);
  });
});
