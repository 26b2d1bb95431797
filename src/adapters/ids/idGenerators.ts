import { randomUUID } from 'node:crypto';
import type { EventId, IdGenerator } from '../../domain/index.js';
import { asEventId, deterministicUuid } from '../../domain/index.js';

/**
 * Backtests and replays: the n-th id of a run is reproducible and ascends with n — a UUIDv8 whose
 * first 48 bits are n and whose other bits come from the namespace (one SHA-256 per run, not per
 * event). Ascending ids append to the end of the journal's unique event-id index instead of landing
 * on a random page of it (name-based random UUIDs cost 11% of a plain and 19% of an encrypted
 * full-market backtest). Two runs' ids differ in the namespace's 74 bits.
 */
export function createDeterministicIds(namespace: string): IdGenerator {
  const base = deterministicUuid(namespace, 'ordered-ids');
  const tail = `-8${base.slice(15, 18)}-${base.slice(19)}`;
  let n = 0;
  return {
    eventId: (): EventId => {
      const c = (++n).toString(16).padStart(12, '0');
      return asEventId(`${c.slice(0, 8)}-${c.slice(8)}${tail}`);
    },
  };
}

/** Live and paper runs: random v4 UUIDs. */
export function createRandomIds(): IdGenerator {
  return { eventId: (): EventId => asEventId(randomUUID()) }; // allow-nondeterminism: this adapter IS the id port
}
