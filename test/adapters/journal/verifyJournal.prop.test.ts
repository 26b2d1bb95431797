import { readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyJournalFile } from '../../../src/adapters/journal/verifyJournal.js';
import { canonicalJson } from '../../../src/domain/canonicalJson.js';
import {
  liveEventRanges, makeTempDir, markedEvent, uniqueOffset, withFlippedByte, writeJournal, type Range,
} from './fixtures/journalFiles.js';

/*
 * Invariant: a single changed byte anywhere in the stored text of an event (its data, prev_hash or
 * hash) is always reported, at that event's seq. The hash chain is what makes the journal
 * tamper-evident; this is the property that says it actually is.
 */
describe('verifyJournalFile (property)', () => {
  const N = 24;
  let dir: string;
  let original: Buffer;
  /** Per seq (index seq − 1): the file range holding data + prev_hash + hash of that row. */
  let regions: Range[];
  let copies = 0;

  beforeAll(async () => {
    dir = await makeTempDir();
    const path = join(dir, 'run.sqlite');
    const stored = await writeJournal(path, Array.from({ length: N }, (_, i) => markedEvent(i + 1, { side: i % 2 ? 'buy' : 'sell' })));
    original = readFileSync(path);
    const live = liveEventRanges(path);
    regions = stored.map((e) => {
      const text = canonicalJson(e.data) + e.prevHash + e.hash;
      const at = uniqueOffset(original, text, live);
      return [at, at + Buffer.byteLength(text)] as const;
    });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('detects any single changed byte inside any stored event, at its seq', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: N }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.integer({ min: 1, max: 255 }),
        async (seq, where, mask) => {
          const [start, end] = regions[seq - 1]!;
          const offset = start + Math.floor(where * (end - start));
          copies += 1;
          const p = join(dir, `flip-${copies}.sqlite`);
          writeFileSync(p, withFlippedByte(original, offset, mask));
          const r = await verifyJournalFile(p);
          expect(r).toMatchObject({ ok: false, seq });
        },
      ),
      { numRuns: 50 },
    );
  });
});
