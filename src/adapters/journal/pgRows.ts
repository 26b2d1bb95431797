import type { StoredEvent } from '../../domain/events/envelope.js';
import type { EventId } from '../../domain/ids.js';
import type { TradingDay } from '../../domain/tradingDay.js';
import { payloadAad, type PayloadCipher } from './payloadCipher.js';
import type { EventRow } from './sqliteSchema.js';

/** A row of `ashare_events` as the driver returns it (bigints as numbers, see pgConnection.ts): the SQLite row's columns, the payload as bytes (sealed or plain). */
export type PgEventRow = Omit<EventRow, 'data'> & { readonly data: Buffer };

/** Thrown (never returned) when a stored payload does not open: the storage or the key is broken. */
export class PayloadUnreadable extends Error {
  constructor(readonly seq: number) {
    super(`the payload of seq ${seq} does not decrypt: it was altered, or sealed under another key`);
  }
}

/** The canonical JSON text a row stores: as is, or unsealed with the journal's key. */
export function rowDataJson(r: PgEventRow, cipher: PayloadCipher | undefined, journal: string): string {
  if (cipher === undefined) return r.data.toString('utf8');
  const plain = cipher.open(r.data, payloadAad(journal, r.seq));
  if (plain === null) throw new PayloadUnreadable(r.seq);
  return plain;
}

export function pgRowToEvent(r: PgEventRow, cipher: PayloadCipher | undefined, journal: string): StoredEvent {
  return {
    seq: r.seq,
    eventId: r.event_id as EventId,
    stream: r.stream,
    type: r.type,
    schemaVersion: r.schema_version,
    occurredAt: r.occurred_at,
    recordedAt: r.recorded_at,
    day: r.day as TradingDay,
    causationId: r.causation_id,
    correlationId: r.correlation_id,
    data: JSON.parse(rowDataJson(r, cipher, journal)) as unknown,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
