import { describe, expect, it } from 'vitest';
import { decodeEvent } from '../../../src/app/journalio/decodeEvent.js';
import { CURRENT_SCHEMA_VERSION } from '../../../src/domain/events/domainEvent.js';
import { storedEvent } from './storedEvent.js';

// An OrderSubmitted exactly as issue 1–10 builds wrote it (schemaVersion 1, no clientOrderId), as stored JSON.
const V1_JSON = '{"broker":"simulated","orderId":"O-2024-03-01-0003"}';

const stored = (data: unknown, schemaVersion: number) => storedEvent('OrderSubmitted', data, schemaVersion, 9);

describe('OrderSubmitted v1 → v2', () => {
  it('is written as v2 today', () => expect(CURRENT_SCHEMA_VERSION.OrderSubmitted).toBe(2));

  it('reads the old v1 JSON back with the order id as its client order id (the simulated broker keyed orders by it)', () => {
    const r = decodeEvent(stored(JSON.parse(V1_JSON), 1));
    expect(r.ok && r.event).toEqual({ type: 'OrderSubmitted', data: { broker: 'simulated', orderId: 'O-2024-03-01-0003', clientOrderId: 'O-2024-03-01-0003' } });
  });

  it('refuses a v2 payload without its client order id, naming the field', () => {
    const r = decodeEvent(stored(JSON.parse(V1_JSON), 2));
    expect(!r.ok && r.message).toMatch(/data\.clientOrderId/);
  });
});
