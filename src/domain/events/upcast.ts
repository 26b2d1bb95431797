import type { EventType } from './domainEvent.js';
import { CURRENT_SCHEMA_VERSION } from './domainEvent.js';

/** A pure function that lifts an event's data from version `n` to `n + 1`. */
export type Upcaster = (data: unknown) => unknown;
/** `type → fromVersion → upcaster`. */
export type UpcasterRegistry = Readonly<Record<string, Readonly<Record<number, Upcaster>>>>;

/**
 * No published schema has changed yet, so the registry is empty; when one does, its old version
 * stays readable by adding `{ Type: { oldVersion: (data) => newData } }` here, with a test that
 * reads the old JSON back.
 */
export const UPCASTERS: UpcasterRegistry = Object.freeze({});

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
