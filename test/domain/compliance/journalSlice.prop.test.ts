import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRight } from 'fp-ts/lib/Either.js';
import { canonicalJson } from '../../../src/domain/canonicalJson.js';
import { makeSlice, sliceDigest, verifySlice, type JournalSlice } from '../../../src/domain/compliance/index.js';
import { entryHash, GENESIS_HASH, type NewEvent, type StoredEvent } from '../../../src/domain/events/envelope.js';
import { asEventId } from '../../../src/domain/ids.js';
import { addCalendarDays, asTradingDay, dayOfMs, exchangeTimeMs, type TradingDay } from '../../../src/domain/tradingDay.js';
import { createMemoryJournal } from '../../../src/adapters/journal/index.js';

// Invariant defended: an exported slice verifies on its own exactly when it is the journal's events
// as stored; any single edit, drop, insertion or reordering is caught, naming the first bad seq.

interface Spec { readonly type: string; readonly n: number; readonly s: string }
const TYPES = ['BarsClosed', 'SignalEmitted', 'OrderApproved', 'OrderDenied', 'OrderFilled', 'DayClosed'];
const D0 = asTradingDay('2024-01-02');
const dayAt = (i: number): TradingDay => addCalendarDays(D0, i);

function chain(days: readonly (readonly Spec[])[]): StoredEvent[] {
  const out: StoredEvent[] = [];
  let prevHash = GENESIS_HASH;
  days.forEach((specs, di) => specs.forEach((sp, k) => {
    const occurredAt = exchangeTimeMs(dayAt(di), 10) + k;
    const data = sp.type.startsWith('Order') && sp.type !== 'OrderFilled'
      ? { n: sp.n, s: sp.s, ruleVersion: `risk-v${sp.n % 3}` } : { n: sp.n, s: sp.s };
    const e = {
      seq: out.length + 1, eventId: asEventId(`e${out.length + 1}`), stream: 'run', type: sp.type, schemaVersion: 1,
      occurredAt, recordedAt: occurredAt, causationId: null, correlationId: null, prevHash,
    };
    const hash = entryHash(e, canonicalJson(data));
    out.push({ ...e, day: dayOfMs(occurredAt), data, hash });
    prevHash = hash;
  }));
  return out;
}

const spec: fc.Arbitrary<Spec> = fc.record({ type: fc.constantFrom(...TYPES), n: fc.integer({ min: 0, max: 1000 }), s: fc.string({ maxLength: 6 }) });
const journal = fc.array(fc.array(spec, { minLength: 1, maxLength: 5 }), { minLength: 3, maxLength: 7 });

type Edit =
  | { kind: 'data' | 'type' | 'drop' | 'insertCopy'; at: number }
  | { kind: 'swap'; at: number };
const edit: fc.Arbitrary<Edit> = fc.record({ kind: fc.constantFrom('data', 'type', 'drop', 'insertCopy', 'swap'), at: fc.nat() }) as fc.Arbitrary<Edit>;

/** Applies one edit to a copy of the slice; returns the tampered slice and the seq that must be named. */
function tamper(slice: JournalSlice, ed: Edit): { slice: JournalSlice; seq: number } | null {
  const t = JSON.parse(JSON.stringify(slice)) as JournalSlice;
  const ev = t.events as JournalSlice['events'];
  if (ev.length === 0) return null;
  const i = ed.at % ev.length;
  const seq = ev[i]!.seq;
  switch (ed.kind) {
    case 'data': (ev[i]!.data as { n: number }).n += 1; return { slice: t, seq };
    case 'type': ev[i]!.type = ev[i]!.type + 'X'; return { slice: t, seq };
    case 'drop': ev.splice(i, 1); return { slice: t, seq };
    case 'insertCopy': ev.splice(i + 1, 0, JSON.parse(JSON.stringify(ev[i]))); return { slice: t, seq: seq + 1 };
    case 'swap': {
      if (ev.length < 2) return null;
      const j = Math.min(i, ev.length - 2);
      [ev[j], ev[j + 1]] = [ev[j + 1]!, ev[j]!];
      return { slice: t, seq: ev[j + 1]!.seq };
    }
  }
}

describe('journal slice', () => {
  it('an untouched middle slice verifies; any single edit of its events is caught at the first bad seq', () => {
    fc.assert(fc.property(journal, edit, (days, ed) => {
      const all = chain(days);
      const slice = makeSlice(all, dayAt(1), dayAt(days.length - 2), { journalPath: 'j.sqlite' });
      expect(verifySlice(slice)).toEqual({ ok: true, events: slice.events.length });
      expect(slice.anchorAfter).not.toBeNull();
      const t = tamper(slice, ed);
      if (!t) return;
      const v = verifySlice(t.slice);
      expect(v.ok).toBe(false);
      if (!v.ok) expect(v.seq).toBe(t.seq);
    }), { numRuns: 300 });
  });

  it('the same holds for a slice reaching the journal head (no anchor after)', () => {
    fc.assert(fc.property(journal, edit, (days, ed) => {
      const all = chain(days);
      const slice = makeSlice(all, dayAt(1), dayAt(days.length - 1), { journalPath: 'j.sqlite' });
      expect(slice.anchorAfter).toBeNull();
      expect(verifySlice(slice).ok).toBe(true);
      const t = tamper(slice, ed);
      if (!t) return;
      const v = verifySlice(t.slice);
      expect(v.ok).toBe(false);
      if (!v.ok) expect(v.seq).toBe(t.seq);
    }), { numRuns: 200 });
  });

  const days = [
    [{ type: 'BarsClosed', n: 1, s: 'a' }, { type: 'OrderApproved', n: 2, s: 'b' }],
    [{ type: 'BarsClosed', n: 3, s: 'c' }, { type: 'OrderDenied', n: 4, s: 'd' }, { type: 'OrderFilled', n: 5, s: 'e' }],
    [{ type: 'BarsClosed', n: 6, s: 'f' }],
  ];
  const all = chain(days);

  it('a slice from the journal start anchors on the genesis hash', () => {
    const s = makeSlice(all, dayAt(0), dayAt(0), { journalPath: 'j' });
    expect(s.anchorBefore).toEqual({ seq: 0, hash: GENESIS_HASH });
    expect(s.events.map((e) => e.seq)).toEqual([1, 2]);
    expect(s.anchorAfter).toEqual({ seq: 3, prevHash: all[1]!.hash, hash: all[2]!.hash });
    expect(s.head).toEqual({ seq: 6, hash: all[5]!.hash });
    expect(s.ruleVersions).toEqual(['risk-v2']);
    expect(verifySlice(s)).toEqual({ ok: true, events: 2 });
  });

  it('a slice at the head has no anchor after, and its last event must be the head', () => {
    const s = makeSlice(all, dayAt(1), dayAt(2), { journalPath: 'j' });
    expect(s.anchorBefore).toEqual({ seq: 2, hash: all[1]!.hash });
    expect(s.anchorAfter).toBeNull();
    expect(s.ruleVersions).toEqual(['risk-v1']);
    expect(verifySlice(s).ok).toBe(true);
    expect(verifySlice({ ...s, head: { seq: 7, hash: all[5]!.hash } })).toMatchObject({ ok: false, seq: 7 });
  });

  it('a range with no events still anchors where it would sit, and verifies the link', () => {
    const s = makeSlice(all, asTradingDay('2023-06-01'), asTradingDay('2023-06-30'), { journalPath: 'j' });
    expect(s.events).toEqual([]);
    expect(s.anchorBefore).toEqual({ seq: 0, hash: GENESIS_HASH });
    expect(s.anchorAfter?.seq).toBe(1);
    expect(verifySlice(s).ok).toBe(true);
  });

  it('tampered anchors, a day outside the range and a wrong ruleVersions list are caught', () => {
    const s = makeSlice(all, dayAt(1), dayAt(1), { journalPath: 'j' });
    expect(verifySlice({ ...s, anchorBefore: { seq: 2, hash: all[0]!.hash } })).toMatchObject({ ok: false, seq: 3 });
    expect(verifySlice({ ...s, anchorAfter: { ...s.anchorAfter!, prevHash: GENESIS_HASH } })).toMatchObject({ ok: false, seq: 5 });
    expect(verifySlice({ ...s, to: dayAt(0), from: dayAt(0) })).toMatchObject({ ok: false, seq: 3 });
    expect(verifySlice({ ...s, ruleVersions: [] })).toMatchObject({ ok: false, seq: null });
    expect(verifySlice({ ...s, format: 'other' })).toMatchObject({ ok: false, seq: null });
    expect(verifySlice(null)).toMatchObject({ ok: false, seq: null });
  });

  it('the digest is the SHA-256 of the canonical JSON and changes with any edit', () => {
    const s = makeSlice(all, dayAt(1), dayAt(1), { journalPath: 'j' });
    expect(sliceDigest(s)).toMatch(/^[0-9a-f]{64}$/);
    expect(sliceDigest(JSON.parse(canonicalJson(s)))).toBe(sliceDigest(s));
    expect(sliceDigest({ ...s, journalPath: 'k' })).not.toBe(sliceDigest(s));
  });

  it('slices events written by the in-memory journal adapter (its real chain) and carries the RunStarted config', async () => {
    const j = createMemoryJournal();
    const ev = (i: number, type: string, data: unknown): NewEvent => {
      const t = exchangeTimeMs(dayAt(Math.floor(i / 3)), 10) + i;
      return { eventId: asEventId(`m${i}`), stream: 'run', type, schemaVersion: 1, occurredAt: t, recordedAt: t, causationId: null, correlationId: null, data };
    };
    const batch = [ev(0, 'RunStarted', { runId: 'r1', mode: 'backtest', config: { name: 'x' }, configHash: 'h'.repeat(64), codeVersion: 'ashare@0', dataSource: {}, initialCashFen: 1 })];
    for (let i = 1; i < 12; i++) batch.push(ev(i, i % 4 === 0 ? 'OrderApproved' : 'BarsClosed', { i, ruleVersion: 'cn-2024.1' }));
    expect(isRight(await j.append(batch))).toBe(true);
    const stored: StoredEvent[] = [];
    for await (const e of j.read()) stored.push(e);
    const s = makeSlice(stored, dayAt(1), dayAt(2), { journalPath: 'mem' });
    expect(s.events.map((e) => e.seq)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(s.config).toEqual([{ seq: 1, hash: stored[0]!.hash, runId: 'r1', mode: 'backtest', configHash: 'h'.repeat(64), codeVersion: 'ashare@0', config: { name: 'x' } }]);
    expect(s.ruleVersions).toEqual(['cn-2024.1']);
    expect(verifySlice(JSON.parse(canonicalJson(s)))).toEqual({ ok: true, events: 6 });
  });
});
