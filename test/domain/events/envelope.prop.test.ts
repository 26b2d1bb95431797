import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/domain/canonicalJson.js';
import {
  GENESIS_HASH, checkEntry, entryHash, entryHashInput, type StoredEvent,
} from '../../../src/domain/events/envelope.js';
import { sha256Hex } from '../../../src/domain/hash.js';
import type { EventId } from '../../../src/domain/ids.js';

type Entry = Omit<StoredEvent, 'hash' | 'day' | 'data'>;

const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const text = fc.string({ unit: 'binary', maxLength: 20 }); // quotes, backslashes, control chars, lone surrogates
const envelope: fc.Arbitrary<Entry> = fc.record({
  seq: fc.nat(),
  eventId: text.map((s) => s as EventId),
  stream: text,
  type: text,
  schemaVersion: fc.integer({ min: 1, max: 1000 }),
  occurredAt: fc.integer({ min: -(2 ** 50), max: 2 ** 50 }),
  recordedAt: fc.integer({ min: 0, max: 2 ** 50 }),
  causationId: fc.option(text, { nil: null }),
  correlationId: fc.option(text, { nil: null }),
  prevHash: fc.oneof(hex64, fc.constant(GENESIS_HASH)),
});

describe('journal entry hashing', () => {
  // Invariant: the string that is hashed is exactly the canonical sorted-key JSON of the entry with
  // its data, so the journal hash is "SHA-256 over canonical JSON of the entry plus prevHash" and
  // any other implementation (or a human with jq) can recompute it.
  it('entryHashInput(entry, canonicalJson(data)) === canonicalJson({...entry, data}) (property)', () => {
    fc.assert(fc.property(envelope, fc.jsonValue(), (entry, data) => {
      expect(entryHashInput(entry, canonicalJson(data))).toBe(canonicalJson({ ...entry, data }));
    }), { numRuns: 1000 });
  });

  it('…with ids and stream names drawn from the characters JSON must escape (quote, backslash, controls, lone and paired surrogates)', () => {
    const tricky = fc.string({ unit: fc.constantFrom('a', '"', '\\', '\u0000', '\u001f', '\u007f', '\u2028', '\ud800', '\udc00', '\ud83d\ude00', '/'), maxLength: 6 });
    const trickyEnvelope = envelope.chain((e) => fc.record({ eventId: tricky, stream: tricky, type: tricky, prevHash: tricky, causationId: fc.option(tricky), correlationId: fc.option(tricky) })
      .map((t) => ({ ...e, ...t, eventId: t.eventId as EventId })));
    fc.assert(fc.property(trickyEnvelope, (entry) => {
      expect(entryHashInput(entry, '{}')).toBe(canonicalJson({ ...entry, data: {} }));
    }), { numRuns: 1000 });
  });

  it('entryHash is the SHA-256 of that input', () => {
    fc.assert(fc.property(envelope, fc.jsonValue(), (entry, data) => {
      expect(entryHash(entry, canonicalJson(data))).toBe(sha256Hex(canonicalJson({ ...entry, data })));
    }), { numRuns: 100 });
  });

  it('a -0 timestamp hashes like 0 (canonical numbers)', () => {
    const e: Entry = {
      seq: 0, eventId: 'e' as EventId, stream: 's', type: 'T', schemaVersion: 1, occurredAt: -0, recordedAt: 0,
      causationId: null, correlationId: null, prevHash: GENESIS_HASH,
    };
    expect(entryHashInput(e, '{}')).toBe(entryHashInput({ ...e, occurredAt: 0 }, '{}'));
  });
});

describe('checkEntry', () => {
  const sealed = (entry: Entry, dataJson: string): Omit<StoredEvent, 'day' | 'data'> => ({ ...entry, hash: entryHash(entry, dataJson) });
  const nonEmptyObject = fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.jsonValue(), { minKeys: 1, maxKeys: 4 });

  // Invariant: a sealed entry passes; changing any hashed byte, or the chain position, fails.
  it('accepts a sealed entry and rejects any change to seq, prevHash, hash or data (property)', () => {
    fc.assert(fc.property(envelope, nonEmptyObject, fc.nat(), (entry, data, pick) => {
      const dataJson = canonicalJson(data);
      const e = sealed(entry, dataJson);
      expect(checkEntry(e, dataJson, e.seq, e.prevHash)).toBeNull();

      // A different position in the chain.
      expect(checkEntry(e, dataJson, e.seq + 1, e.prevHash)).toMatch(/sequence gap/);
      expect(checkEntry({ ...e, seq: e.seq + 1 }, dataJson, e.seq, e.prevHash)).toMatch(/sequence gap/);
      // A different predecessor, whether the stored prevHash or the expected one changed.
      const other = e.prevHash === GENESIS_HASH ? 'f'.repeat(64) : GENESIS_HASH;
      expect(checkEntry(e, dataJson, e.seq, other)).toMatch(/prevHash/);
      expect(checkEntry({ ...e, prevHash: other }, dataJson, e.seq, e.prevHash)).toMatch(/prevHash/);
      // A stored prevHash rewritten consistently with the expectation still breaks the hash.
      expect(checkEntry({ ...e, prevHash: other }, dataJson, e.seq, other)).toMatch(/hash mismatch/);
      // A tampered hash.
      expect(checkEntry({ ...e, hash: sha256Hex('x') }, dataJson, e.seq, e.prevHash)).toMatch(/hash mismatch/);

      // One data byte changed into another canonical document: caught by the hash.
      const keys = Object.keys(data).sort();
      const k = keys[pick % keys.length]!;
      const altered = canonicalJson({ ...data, [k]: { tampered: pick } });
      expect(altered).not.toBe(dataJson);
      expect(checkEntry(e, altered, e.seq, e.prevHash)).toMatch(/hash mismatch/);
    }), { numRuns: 300 });
  });

  const base: Entry = {
    seq: 7, eventId: '00000000-0000-5000-8000-000000000007' as EventId, stream: 'run-1', type: 'OrderFilled',
    schemaVersion: 1, occurredAt: 1_700_000_000_000, recordedAt: 1_700_000_000_001, causationId: 'c', correlationId: null,
    prevHash: 'a'.repeat(64),
  };
  const dataJson = canonicalJson({ orderId: 'o1', price: 10_000, qty: 100 });
  const e = sealed(base, dataJson);

  it('accepts the untouched entry', () => {
    expect(checkEntry(e, dataJson, 7, 'a'.repeat(64))).toBeNull();
  });

  it('rejects a single changed data byte (price 10000 → 10001)', () => {
    const altered = dataJson.replace('10000', '10001');
    expect(altered).not.toBe(dataJson);
    expect(checkEntry(e, altered, 7, 'a'.repeat(64))).toMatch(/hash mismatch/);
  });

  it.each([
    ['keys out of order', '{"qty":100,"orderId":"o1","price":10000}'],
    ['whitespace', '{"orderId": "o1","price":10000,"qty":100}'],
    ['a number in a non-shortest form', '{"orderId":"o1","price":10000.0,"qty":100}'],
    ['an escaped character that need not be', '{"orderId":"\\u006f1","price":10000,"qty":100}'],
  ])('rejects data that denotes the same value but is not canonical: %s', (_name, json) => {
    expect(JSON.parse(json)).toEqual(JSON.parse(dataJson));
    expect(checkEntry(e, json, 7, 'a'.repeat(64))).toMatch(/not in canonical form/);
  });

  it('rejects data that is not JSON', () => {
    expect(checkEntry(e, '{"orderId":', 7, 'a'.repeat(64))).toMatch(/not valid JSON/);
  });

  it('rejects a changed envelope field (type, occurredAt, causationId)', () => {
    expect(checkEntry({ ...e, type: 'OrderCancelled' }, dataJson, 7, 'a'.repeat(64))).toMatch(/hash mismatch/);
    expect(checkEntry({ ...e, occurredAt: e.occurredAt + 1 }, dataJson, 7, 'a'.repeat(64))).toMatch(/hash mismatch/);
    expect(checkEntry({ ...e, causationId: null }, dataJson, 7, 'a'.repeat(64))).toMatch(/hash mismatch/);
  });
});
