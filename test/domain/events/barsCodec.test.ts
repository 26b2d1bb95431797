import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import fc from 'fast-check';
import { isLeft } from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyJournalFile } from '../../../src/adapters/journal/verifyJournal.js';
import { decodeEvent, isValidBarsClosedData } from '../../../src/app/journalio/decodeEvent.js';
import { readJournalFile } from '../../../src/app/journalio/readJournal.js';
import type { DayBars } from '../../../src/domain/bars.js';
import { canonicalJson } from '../../../src/domain/canonicalJson.js';
import { packBars, storedBarsData, unpackBars } from '../../../src/domain/events/barsCodec.js';
import { CURRENT_SCHEMA_VERSION } from '../../../src/domain/events/domainEvent.js';
import type { NewEvent } from '../../../src/domain/events/envelope.js';
import { upcast } from '../../../src/domain/events/upcast.js';
import { asEventId, deterministicUuid } from '../../../src/domain/ids.js';
import { asTradingDay, exchangeTimeMs } from '../../../src/domain/tradingDay.js';
import { makeTempDir, openOrThrow } from '../../adapters/journal/fixtures/journalFiles.js';
import { storedEvent } from './storedEvent.js';

// Issue 16: BarsClosed v2 is stored packed. Unpacking must give back exactly the columnar bars,
// damaged packed data must be refused with a reason, and v1 journals must still verify and read.

const EX = ['SH', 'SZ', 'BJ'] as const;
const barsArb: fc.Arbitrary<DayBars> = fc.uniqueArray(
  fc.record({ code: fc.integer({ min: 0, max: 999_999 }), ex: fc.constantFrom(...EX) }),
  { maxLength: 60, selector: (s) => `${s.code}.${s.ex}` },
).chain((syms) => {
  const n = syms.length;
  const price = fc.integer({ min: 1, max: 9_000_000 });
  const col = <T>(a: fc.Arbitrary<T>) => fc.array(a, { minLength: n, maxLength: n });
  return fc.record({
    open: col(price), high: col(price), low: col(price), close: col(price),
    volume: col(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
    amountFen: col(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
    preClose: col(fc.option(price, { nil: null })),
    isSt: col(fc.constantFrom(0 as const, 1 as const)),
  }).map((c) => ({
    day: '2024-03-01',
    symbols: syms.map((s) => `${String(s.code).padStart(6, '0')}.${s.ex}`),
    ...c,
  }) as unknown as DayBars);
});

const SAMPLE = {
  day: '2024-03-01', symbols: ['000001.SZ', '600000.SH', '600519.SH', '830799.BJ'],
  open: [10_230, 7_010, 1_701_000, 25_500], high: [10_400, 7_100, 1_720_000, 26_000],
  low: [10_100, 6_950, 1_690_500, 24_800], close: [10_350, 7_080, 1_712_340, 25_010],
  volume: [120_345_600, 35_000_000, 2_500_000, 10_000], amountFen: [124_567_890_123, 24_780_000_000, 428_085_000_000, 25_010_000],
  preClose: [10_200, null, 1_700_000, 25_300], isSt: [0, 0, 0, 1],
} as unknown as DayBars;

describe('BarsClosed v2 packing', () => {
  it('is the version written today', () => expect(CURRENT_SCHEMA_VERSION.BarsClosed).toBe(2));

  it('unpacks to exactly the bars it packed (any codes, prices, volumes up to 2^53, unknown preClose, ST)', () => {
    fc.assert(fc.property(barsArb, (bars) => {
      const u = unpackBars(JSON.parse(JSON.stringify(packBars(bars))));
      expect(u.ok).toBe(true);
      if (u.ok) expect(canonicalJson(u.bars)).toBe(canonicalJson(bars));
    }), { numRuns: 300 });
  });

  it('unpacks only bars the schema accepts: any bytes either fail or give data its full check passes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat({ max: 12 }), fc.boolean(), (bytes, count, withHeader) => {
      const body = withHeader ? Buffer.concat([Buffer.from([1, count]), bytes]) : Buffer.from(bytes);
      const u = unpackBars({ day: '2024-03-01', count, packed: body.toString('base64') });
      if (u.ok) expect(isValidBarsClosedData(u.bars)).toBe(true);
    }), { numRuns: 2000 });
    fc.assert(fc.property(barsArb, (bars) => {
      const u = unpackBars(packBars(bars));
      expect(u.ok && isValidBarsClosedData(u.bars)).toBe(true);
    }), { numRuns: 200 });
    expect(unpackBars({ ...packBars(SAMPLE), day: '2024-3-1' })).toEqual({ ok: false, message: 'BarsClosed data does not match its schema' });
  });

  it('is deterministic and much smaller than the columnar JSON', () => {
    const a = canonicalJson(packBars(SAMPLE));
    expect(canonicalJson(packBars(structuredClone(SAMPLE)))).toBe(a);
    expect(a.length).toBeLessThan(canonicalJson(SAMPLE).length / 2);
  });

  it('refuses columns of unequal length instead of dropping values', () => {
    expect(() => packBars({ ...SAMPLE, close: SAMPLE.close.slice(1) } as DayBars)).toThrow(/not all 4 long/);
  });

  it('refuses damaged packed data with a reason (decodeEvent names it)', () => {
    const p = packBars(SAMPLE);
    const bytes = Buffer.from(p.packed, 'base64');
    const cases: [unknown, RegExp][] = [
      [{ ...p, count: 5 }, /holds 4 bars but says count 5/],
      [{ ...p, packed: Buffer.concat([bytes, Buffer.from([0])]).toString('base64') }, /trailing bytes/],
      [{ ...p, packed: bytes.subarray(0, bytes.length - 3).toString('base64') }, /end mid-number/],
      [{ ...p, packed: '!!!!' }, /not base64/],
      [{ ...p, packed: Buffer.from([1, 4, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]).toString('base64') }, /longer than 8 bytes/],
      [{ day: p.day, packed: p.packed }, /must be \{day, count, packed\}/],
      [{ ...p, extra: 1 }, /must be \{day, count, packed\}/],
    ];
    for (const [data, why] of cases) {
      const r = decodeEvent(storedEvent('BarsClosed', data, 2));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(why);
    }
  });

  it('refuses packed bars that unpack to values the schema forbids (a non-positive price)', () => {
    const bad = { ...SAMPLE, open: [-5, ...SAMPLE.open.slice(1)] } as DayBars;
    expect(decodeEvent(storedEvent('BarsClosed', packBars(bad), 2))).toEqual({ ok: false, message: 'BarsClosed data does not match its schema' });
  });

  it('reads v1 (columnar JSON) as it is, refuses a version from the future, and upcasts v1 to the packed form', () => {
    expect(decodeEvent(storedEvent('BarsClosed', SAMPLE, 1))).toEqual({ ok: true, event: { type: 'BarsClosed', data: SAMPLE } });
    const r3 = decodeEvent(storedEvent('BarsClosed', packBars(SAMPLE), 3));
    expect(!r3.ok && r3.message).toMatch(/v3 is newer than this program \(v2\)/);
    const up = upcast('BarsClosed', 1, SAMPLE);
    expect(up).toEqual({ ok: true, version: 2, data: packBars(SAMPLE) });
  });

  it('stores v2 packed, passes already packed data and v1 data through unchanged (a copied journal keeps its hashes)', () => {
    const p = packBars(SAMPLE);
    expect(storedBarsData(2, SAMPLE)).toEqual(p);
    expect(storedBarsData(2, p)).toBe(p);
    expect(storedBarsData(1, SAMPLE)).toBe(SAMPLE);
  });
});

describe('a journal holding v1 and v2 bars', () => {
  let dir: string;
  beforeAll(async () => { dir = await makeTempDir(); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const ev = (n: number, schemaVersion: number, data: unknown): NewEvent => ({
    eventId: asEventId(deterministicUuid('bars-codec', String(n))), stream: 'market', type: 'BarsClosed', schemaVersion,
    occurredAt: exchangeTimeMs(asTradingDay('2024-03-01'), 15, 0) + n, recordedAt: 1_700_000_000_000 + n,
    causationId: null, correlationId: '2024-03-01', data,
  });

  it('verifies, reads both back as the same columnar bars, stores v2 packed, and a flipped packed byte fails verify', async () => {
    const path = join(dir, 'mixed.sqlite');
    const j = openOrThrow({ path });
    const r = await j.append([ev(1, 1, SAMPLE), ev(2, 2, SAMPLE)], 0);
    if (isLeft(r)) throw new Error(r.left.message);
    await j.close();

    expect(await verifyJournalFile(path)).toMatchObject({ ok: true, headSeq: 2 });
    const read = await readJournalFile(path, undefined);
    if (isLeft(read)) throw new Error(read.left.message);
    expect(read.right.map((e) => canonicalJson(e.data))).toEqual([canonicalJson(SAMPLE), canonicalJson(SAMPLE)]);

    const db = new Database(path);
    const rows = db.prepare('SELECT schema_version v, data FROM events ORDER BY seq').all() as { v: number; data: string }[];
    expect(rows[0]).toEqual({ v: 1, data: canonicalJson(SAMPLE) });
    expect(rows[1]).toEqual({ v: 2, data: canonicalJson(packBars(SAMPLE)) });
    const p = packBars(SAMPLE).packed;
    const flipped = p.slice(0, 10) + (p[10] === 'A' ? 'B' : 'A') + p.slice(11);
    db.prepare('UPDATE events SET data = ? WHERE seq = 2').run(canonicalJson({ ...packBars(SAMPLE), packed: flipped }));
    db.close();
    expect(await verifyJournalFile(path)).toMatchObject({ ok: false, code: 'JOURNAL_HASH_MISMATCH', seq: 2 });
  });
});
