import type { StoredEvent } from '../../domain/events/envelope.js';
import { payloadAad, type PayloadCipher } from './payloadCipher.js';
import { rowToEvent, type EventRow } from './sqliteSchema.js';

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

export const pgRowToEvent = (r: PgEventRow, cipher: PayloadCipher | undefined, journal: string): StoredEvent =>
  rowToEvent({ ...r, data: rowDataJson(r, cipher, journal) });
