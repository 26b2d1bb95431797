import { createHash } from 'node:crypto';
import type { Brand } from './brand.js';

export type EventId = Brand<string, 'EventId'>;
export type RunId = Brand<string, 'RunId'>;
export type OrderId = Brand<string, 'OrderId'>;
export type FillId = Brand<string, 'FillId'>;
export type SignalId = Brand<string, 'SignalId'>;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const isUuid = (s: string): boolean => UUID_RE.test(s);

/**
 * A name-based (RFC 4122 version 5 layout, SHA-256 instead of SHA-1) UUID: the same namespace and
 * name always give the same id. Backtests and replays use it so that event ids are reproducible;
 * EventStoreDB requires event ids to be UUIDs.
 */
export function deterministicUuid(namespace: string, name: string): string {
  const h = createHash('sha256').update(namespace).update('\u0000').update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.toString('hex', 0, 16);
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export const asEventId = (s: string): EventId => s as EventId;
export const asRunId = (s: string): RunId => s as RunId;
export const asOrderId = (s: string): OrderId => s as OrderId;
export const asFillId = (s: string): FillId => s as FillId;
export const asSignalId = (s: string): SignalId => s as SignalId;
