import { randomUUID } from 'node:crypto';
import type { EventId, IdGenerator } from '../../domain/index.js';
import { asEventId, deterministicUuid } from '../../domain/index.js';

/** Backtests and replays: the n-th id of a run is a name-based UUID of (namespace, n): reproducible. */
export function createDeterministicIds(namespace: string): IdGenerator {
  let n = 0;
  return { eventId: (): EventId => asEventId(deterministicUuid(namespace, String(++n))) };
}

/** Live and paper runs: random v4 UUIDs. */
export function createRandomIds(): IdGenerator {
  return { eventId: (): EventId => asEventId(randomUUID()) }; // allow-nondeterminism: this adapter IS the id port
}
