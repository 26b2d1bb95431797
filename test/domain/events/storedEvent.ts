import type { StoredEvent } from '../../../src/domain/index.js';

/** A stored envelope around `data` as a journal holds it, for upcaster tests (the chain fields are not checked there). */
export const storedEvent = (type: string, data: unknown, schemaVersion: number, seq = 7): StoredEvent => ({
  seq, eventId: `00000000-0000-5000-8000-${String(seq).padStart(12, '0')}` as StoredEvent['eventId'], stream: 'order-O-2024-03-01-0003', type,
  schemaVersion, occurredAt: 0, recordedAt: 0, causationId: null, correlationId: null, day: '2024-03-01' as StoredEvent['day'],
  prevHash: '0'.repeat(64), hash: '0'.repeat(64), data,
});
