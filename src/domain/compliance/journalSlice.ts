import { z } from 'zod';
import { canonicalJson } from '../canonicalJson.js';
import { checkEntry, GENESIS_HASH, type StoredEvent } from '../events/envelope.js';
import { sha256Hex } from '../hash.js';
import { dayOfMs, type TradingDay } from '../tradingDay.js';

export const SLICE_FORMAT = 'ashare-journal-slice/1';

const zHash = z.string().regex(/^[0-9a-f]{64}$/);
const zSeq = z.number().int().nonnegative();
const zDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const SliceEventSchema = z.strictObject({
  seq: z.number().int().positive(), eventId: z.string(), stream: z.string(), type: z.string(),
  schemaVersion: z.number().int(), occurredAt: z.number(), recordedAt: z.number(),
  causationId: z.string().nullable(), correlationId: z.string().nullable(),
  day: zDay, prevHash: zHash, hash: zHash, data: z.unknown(),
});

/** The run configuration in force, copied from a `RunStarted` event (with that event's position). */
const SliceConfigSchema = z.strictObject({
  seq: z.number().int().positive(), hash: zHash, runId: z.string(), mode: z.string(),
  configHash: z.string(), codeVersion: z.string(), config: z.unknown(),
});

/** Schema of an exported slice, checked before anything else when a file is verified offline. */
export const JournalSliceSchema = z.strictObject({
  format: z.literal(SLICE_FORMAT),
  journalPath: z.string(),
  from: zDay,
  to: zDay,
  /** The event just before the first exported one ({seq: 0, hash: GENESIS} at the journal's start). */
  anchorBefore: z.strictObject({ seq: zSeq, hash: zHash }),
  /** The event just after the last exported one (its prevHash closes the chain), or null at the head. */
  anchorAfter: z.strictObject({ seq: z.number().int().positive(), prevHash: zHash, hash: zHash }).nullable(),
  /** The journal's last event when the slice was exported. */
  head: z.strictObject({ seq: zSeq, hash: zHash }),
  /**
   * The head anchored beside the journal when it was exported (format, seq, hash, at and the MAC a
   * key holder can check), or null when it had none; absent in exports from before anchors.
   */
  headAnchor: z.strictObject({ format: z.string(), seq: zSeq, hash: zHash, at: z.string(), mac: zHash.nullable() }).nullable().optional(),
  events: z.array(SliceEventSchema),
  config: z.array(SliceConfigSchema),
  /** Distinct risk rule versions named by OrderApproved/OrderDenied in the slice, sorted. */
  ruleVersions: z.array(z.string()),
});

export type SliceEvent = z.infer<typeof SliceEventSchema>;
export type JournalSlice = z.infer<typeof JournalSliceSchema>;
export type SliceVerdict =
  | { readonly ok: true; readonly events: number }
  | { readonly ok: false; readonly seq: number | null; readonly reason: string };

const toSliceEvent = (e: StoredEvent): SliceEvent => ({
  seq: e.seq, eventId: e.eventId, stream: e.stream, type: e.type, schemaVersion: e.schemaVersion,
  occurredAt: e.occurredAt, recordedAt: e.recordedAt, causationId: e.causationId, correlationId: e.correlationId,
  day: e.day, prevHash: e.prevHash, hash: e.hash, data: e.data,
});

const ruleVersionsOf = (events: readonly { type: string; data: unknown }[]): string[] => {
  const s = new Set<string>();
  for (const e of events) {
    if (e.type !== 'OrderApproved' && e.type !== 'OrderDenied') continue;
    const v = (e.data as { ruleVersion?: unknown } | null)?.ruleVersion;
    if (typeof v === 'string') s.add(v);
  }
  return [...s].sort();
};

/**
 * Cuts the events of trading days [from, to] out of a whole journal (seq order) with the anchors
 * that tie them to the rest of the chain. The exported range is contiguous in seq (first to last
 * event dated in the range), so every link inside it can be rechecked; `config` carries every
 * `RunStarted` up to the slice's end (the configuration in force).
 */
export function makeSlice(
  events: readonly StoredEvent[], from: TradingDay, to: TradingDay,
  meta: { readonly journalPath: string; readonly headAnchor?: JournalSlice['headAnchor'] },
): JournalSlice {
  const first = events.findIndex((e) => e.day >= from && e.day <= to);
  let last = -1;
  for (let i = events.length - 1; i >= 0; i--) if (events[i]!.day >= from && events[i]!.day <= to) { last = i; break; }
  // An empty range still anchors where it would sit: after the last event dated before `from`.
  let start: number, end: number;
  if (first < 0) {
    start = events.findIndex((e) => e.day > to);
    if (start < 0) start = events.length;
    end = start - 1;
  } else {
    start = first;
    end = last;
  }
  const before = events[start - 1];
  const after = events[end + 1];
  const tail = events[events.length - 1];
  const picked = events.slice(start, end + 1).map(toSliceEvent);
  const config = events.slice(0, end + 1).filter((e) => e.type === 'RunStarted').map((e) => {
    const d = e.data as { runId: string; mode: string; configHash: string; codeVersion: string; config: unknown };
    return { seq: e.seq, hash: e.hash, runId: d.runId, mode: d.mode, configHash: d.configHash, codeVersion: d.codeVersion, config: d.config };
  });
  return {
    format: SLICE_FORMAT, journalPath: meta.journalPath, from, to,
    anchorBefore: before ? { seq: before.seq, hash: before.hash } : { seq: 0, hash: GENESIS_HASH },
    anchorAfter: after ? { seq: after.seq, prevHash: after.prevHash, hash: after.hash } : null,
    head: tail ? { seq: tail.seq, hash: tail.hash } : { seq: 0, hash: GENESIS_HASH },
    ...(meta.headAnchor !== undefined ? { headAnchor: meta.headAnchor } : {}),
    events: picked, config, ruleVersions: ruleVersionsOf(picked),
  };
}

const fail = (seq: number | null, reason: string): SliceVerdict => ({ ok: false, seq, reason });

/**
 * Rechecks a slice on its own: every event's hash from the canonical JSON of its data and envelope,
 * consecutive seqs from anchorBefore.seq + 1, each prevHash = the previous hash (the first =
 * anchorBefore.hash), and the last hash = anchorAfter.prevHash (or = head at the journal's head).
 * An edited, dropped, inserted or reordered event fails, naming the first bad seq.
 * What it cannot prove alone is that the anchors belong to the real journal: compare them (or
 * `sliceDigest`) with the live journal or a recorded head.
 */
export function verifySlice(input: unknown): SliceVerdict {
  const parsed = JournalSliceSchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const seq = i.path[0] === 'events' && typeof i.path[1] === 'number'
      ? ((input as { events: { seq?: unknown }[] }).events[i.path[1]]?.seq ?? null) : null;
    return fail(typeof seq === 'number' ? seq : null, `not a journal slice: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  const s = parsed.data;
  if (s.from > s.to) return fail(null, `from ${s.from} is after to ${s.to}`);
  let seq = s.anchorBefore.seq;
  let prev = s.anchorBefore.hash;
  if (seq === 0 && prev !== GENESIS_HASH) return fail(null, 'anchorBefore at seq 0 must be the genesis hash');
  for (const e of s.events) {
    let dataJson: string;
    try {
      dataJson = canonicalJson(e.data);
    } catch (err) {
      return fail(e.seq, `event data cannot be hashed: ${(err as Error).message}`);
    }
    // The file's eventId is a plain string; the brand only matters inside the engine.
    const bad = checkEntry(e as unknown as Omit<StoredEvent, 'day' | 'data'>, dataJson, seq + 1, prev);
    if (bad) return fail(seq + 1, bad);
    if (e.day !== dayOfMs(e.occurredAt)) return fail(e.seq, `day ${e.day} does not match occurredAt`);
    if (e.day < s.from || e.day > s.to) return fail(e.seq, `day ${e.day} is outside ${s.from}…${s.to}`);
    seq = e.seq;
    prev = e.hash;
  }
  if (s.anchorAfter) {
    if (s.anchorAfter.seq !== seq + 1) return fail(seq + 1, `the slice ends at seq ${seq} but anchorAfter is seq ${s.anchorAfter.seq} (events missing or added at the end)`);
    if (s.anchorAfter.prevHash !== prev) return fail(seq, `the last event's hash does not match anchorAfter's prevHash (last event dropped or altered)`);
    if (s.head.seq < s.anchorAfter.seq) return fail(null, `head seq ${s.head.seq} is before anchorAfter seq ${s.anchorAfter.seq}`);
  } else if (s.head.seq !== seq || s.head.hash !== prev) {
    return fail(seq + 1 <= s.head.seq ? seq + 1 : seq, `the slice claims to reach the journal head (seq ${s.head.seq}) but ends at seq ${seq} with a different hash`);
  }
  // The anchored head may lag the head (a crash between commit and anchor), never lead it; when the
  // anchored event is in the slice (or is the head), it must be that event.
  const a = s.headAnchor;
  if (a) {
    if (a.seq > s.head.seq) return fail(s.head.seq + 1, `the journal's head at export (seq ${s.head.seq}) is before its anchored head (seq ${a.seq}): events were missing from its end`);
    const at = a.seq === s.head.seq ? s.head.hash : s.events.find((e) => e.seq === a.seq)?.hash;
    if (at !== undefined && at !== a.hash) return fail(a.seq, `the event at seq ${a.seq} is not the one the journal's anchor names`);
  }
  for (const c of s.config) {
    const inSlice = s.events.find((e) => e.seq === c.seq);
    if (inSlice && (inSlice.type !== 'RunStarted' || inSlice.hash !== c.hash
      || canonicalJson((inSlice.data as { config?: unknown }).config ?? null) !== canonicalJson(c.config ?? null))) {
      return fail(c.seq, 'config does not match the RunStarted event in the slice');
    }
  }
  const rv = ruleVersionsOf(s.events);
  if (canonicalJson(rv) !== canonicalJson(s.ruleVersions)) return fail(null, `ruleVersions ${JSON.stringify(s.ruleVersions)} do not match the events (${JSON.stringify(rv)})`);
  return { ok: true, events: s.events.length };
}

/** SHA-256 (hex) of the slice's canonical JSON: the value a compliance officer records. */
export const sliceDigest = (slice: JournalSlice): string => sha256Hex(canonicalJson(slice));
