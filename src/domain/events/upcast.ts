import type { EventType } from './domainEvent.js';
import { CURRENT_SCHEMA_VERSION } from './domainEvent.js';
import { packBars } from './barsCodec.js';
import { DataRejectedV1Data } from './data.js';
import { ORDER_CHECK_OF_V1_REASON, OrderDeniedV1Data, OrderSubmittedV1Data } from './orders.js';

/** A pure function that lifts an event's data from version `n` to `n + 1`. */
export type Upcaster = (data: unknown) => unknown;
/** `type → fromVersion → upcaster`. */
export type UpcasterRegistry = Readonly<Record<string, Readonly<Record<number, Upcaster>>>>;

/**
 * OrderDenied v1 → v2: v1 had no `rule`; every v1 reason came from exactly one of issue 2's checks,
 * so the rule follows from the reason. Data that is not valid v1 is passed on unchanged, and the
 * v2 schema then names what is wrong.
 */
export function orderDeniedV1toV2(data: unknown): unknown {
  const v1 = OrderDeniedV1Data.safeParse(data);
  if (!v1.success) return data;
  return { ...v1.data, rule: ORDER_CHECK_OF_V1_REASON[v1.data.reason] };
}

/**
 * OrderSubmitted v1 → v2: before issue 11 only the simulated broker existed, and it knew each order
 * by our `orderId`, which therefore was the client order id.
 */
export function orderSubmittedV1toV2(data: unknown): unknown {
  const v1 = OrderSubmittedV1Data.safeParse(data);
  if (!v1.success) return data;
  return { ...v1.data, clientOrderId: v1.data.orderId };
}

/** DataRejected v1 → v2: a v1 event stood for exactly one row, on its `day`. */
export function dataRejectedV1toV2(data: unknown): unknown {
  const v1 = DataRejectedV1Data.safeParse(data);
  if (!v1.success) return data;
  return { ...v1.data, lastDay: v1.data.day, rows: 1 };
}

/**
 * BarsClosed v1 → v2: v1 stored the columnar bars as JSON arrays, v2 stores them packed
 * (barsCodec.ts). Readers unpack v2 and read v1 as it is (decodeEvent), so this step only serves a
 * caller that wants every stored row in today's form. Data that cannot be packed passes unchanged.
 */
export function barsClosedV1toV2(data: unknown): unknown {
  try {
    return packBars(data as Parameters<typeof packBars>[0]);
  } catch {
    return data;
  }
}

/** SessionEnded v1 → v2: v2 only adds a reason (CREDENTIALS_CHANGED); every v1 event is a v2 event as it is. */
export const sessionEndedV1toV2 = (data: unknown): unknown => data;

/**
 * Published schemas that changed keep their old versions readable: `{ Type: { oldVersion: (data)
 * => newData } }`, each with a test that reads the old JSON back (test/domain/events).
 */
export const UPCASTERS: UpcasterRegistry = Object.freeze({
  BarsClosed: Object.freeze({ 1: barsClosedV1toV2 }),
  OrderDenied: Object.freeze({ 1: orderDeniedV1toV2 }),
  OrderSubmitted: Object.freeze({ 1: orderSubmittedV1toV2 }),
  DataRejected: Object.freeze({ 1: dataRejectedV1toV2 }),
  SessionEnded: Object.freeze({ 1: sessionEndedV1toV2 }),
});

export type UpcastResult = { ok: true; data: unknown; version: number } | { ok: false; message: string };

/** Lifts stored data of `type` at `version` to the current schema version by chaining upcasters. */
export function upcast(
  type: EventType, version: number, data: unknown, registry: UpcasterRegistry = UPCASTERS,
  current: Readonly<Record<string, number>> = CURRENT_SCHEMA_VERSION,
): UpcastResult {
  const target = current[type];
  if (target === undefined) return { ok: false, message: `unknown event type ${type}` };
  if (version > target) return { ok: false, message: `${type} v${version} is newer than this program (v${target})` };
  let v = version;
  let d = data;
  while (v < target) {
    const step = registry[type]?.[v];
    if (!step) return { ok: false, message: `no upcaster for ${type} v${v} → v${v + 1}` };
    d = step(d);
    v += 1;
  }
  return { ok: true, data: d, version: v };
}
