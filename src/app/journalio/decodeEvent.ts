import type { DomainEvent, StoredEvent } from '../../domain/index.js';
import { CURRENT_SCHEMA_VERSION, DomainEvent as DomainEventSchema, isEventType, SCHEMA_MISMATCH, unpackBars, upcast } from '../../domain/index.js';

export type DecodeResult = { ok: true; event: DomainEvent } | { ok: false; message: string };

const isIntArray = (a: unknown, n: number, positive: boolean, nullable = false): boolean => {
  if (!Array.isArray(a) || a.length !== n) return false;
  for (const x of a) {
    if (nullable && x === null) continue;
    if (typeof x !== 'number' || !Number.isSafeInteger(x) || (positive ? x <= 0 : x < 0)) return false;
  }
  return true;
};

/**
 * A hand-written check for `BarsClosed` equivalent to its zod schema (a test holds them to the
 * same verdicts): a full-market day carries ~45,000 numbers, and parsing them with zod on every
 * replay would dominate the run.
 */
export function isValidBarsClosedData(d: unknown): boolean {
  if (typeof d !== 'object' || d === null) return false;
  const b = d as Record<string, unknown>;
  const keys = Object.keys(b);
  if (keys.length !== 10 || typeof b.day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(b.day)) return false;
  const syms = b.symbols;
  if (!Array.isArray(syms)) return false;
  for (const s of syms) if (typeof s !== 'string' || !/^\d{6}\.(SH|SZ|BJ)$/.test(s)) return false;
  const n = syms.length;
  if (!Array.isArray(b.isSt) || b.isSt.length !== n || b.isSt.some((x) => x !== 0 && x !== 1)) return false;
  return isIntArray(b.open, n, true) && isIntArray(b.high, n, true) && isIntArray(b.low, n, true)
    && isIntArray(b.close, n, true) && isIntArray(b.volume, n, false) && isIntArray(b.amountFen, n, false)
    && isIntArray(b.preClose, n, true, true);
}

/**
 * `BarsClosed` without zod and without the upcaster chain: v1 is stored as the columnar arrays
 * themselves, v2 packed (barsCodec.ts); both are checked by isValidBarsClosedData once columnar.
 */
function decodeBars(version: number, data: unknown): DecodeResult {
  const ok = (bars: unknown): DecodeResult => ({ ok: true, event: { type: 'BarsClosed', data: bars as Extract<DomainEvent, { type: 'BarsClosed' }>['data'] } });
  if (version === 2) {
    const u = unpackBars(data); // checked as it unpacks: no second pass over the columns
    return u.ok ? ok(u.bars) : { ok: false, message: u.message };
  }
  if (version !== 1) {
    const current = CURRENT_SCHEMA_VERSION.BarsClosed;
    return { ok: false, message: version > current ? `BarsClosed v${version} is newer than this program (v${current})` : `no BarsClosed v${version}` };
  }
  return isValidBarsClosedData(data) ? ok(data) : { ok: false, message: SCHEMA_MISMATCH };
}

/** Validates a stored event at the edge (journal read): upcasts old versions, then checks the schema. */
export function decodeEvent(e: StoredEvent): DecodeResult {
  if (!isEventType(e.type)) return { ok: false, message: `unknown event type ${JSON.stringify(e.type)}` };
  if (e.type === 'BarsClosed') return decodeBars(e.schemaVersion, e.data);
  const up = upcast(e.type, e.schemaVersion, e.data);
  if (!up.ok) return { ok: false, message: up.message };
  const r = DomainEventSchema.safeParse({ type: e.type, data: up.data });
  if (!r.success) {
    const i = r.error.issues[0]!;
    return { ok: false, message: `${e.type}: ${['data', ...i.path.slice(1)].join('.')}: ${i.message}` };
  }
  return { ok: true, event: r.data };
}
