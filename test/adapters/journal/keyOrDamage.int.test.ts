import { closeSync, copyFileSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorPathOf } from '../../../src/adapters/journal/anchor.js';
import { generateKeyFile, type JournalKey } from '../../../src/adapters/journal/journalKey.js';
import { verifyJournalFile } from '../../../src/adapters/journal/verifyJournal.js';
import { makeTempDir, markedEvent, writeJournal } from './fixtures/journalFiles.js';

// Issue 15 item 10: an encrypted journal that will not open with the key is either damaged or opened
// with the wrong key — SQLCipher cannot say which (page 1's MAC fails both ways), but the head
// anchor, MACed with a key derived from the journal key, can. Real files: page 1's bytes damaged
// under the right key, an intact journal under another key, and both again without their anchor.
let dir: string;
let good: string;
let key: JournalKey;
let other: JournalKey;
let copies = 0;

const keyIn = (name: string): JournalKey => {
  const k = generateKeyFile(join(dir, name));
  if (k._tag === 'Left') throw new Error(k.left.message);
  return k.right;
};

/** A copy of the good journal (and its anchor, unless `anchor` is false), page 1 damaged when asked. */
function copyOf(o: { damagePage1: boolean; anchor: boolean }): string {
  const p = join(dir, `copy-${++copies}.sqlite`);
  copyFileSync(good, p);
  if (o.anchor) copyFileSync(anchorPathOf(good), anchorPathOf(p));
  if (o.damagePage1) {
    const fd = openSync(p, 'r+');
    writeSync(fd, Buffer.alloc(64, 0x5a), 0, 64, 200); // inside page 1, past the 16-byte salt
    closeSync(fd);
  }
  return p;
}

beforeAll(async () => {
  dir = await makeTempDir();
  key = keyIn('journal.key');
  other = keyIn('other.key');
  good = join(dir, 'run.sqlite');
  await writeJournal(good, Array.from({ length: 12 }, (_, i) => markedEvent(i + 1)), key);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('journal verify tells a damaged encrypted journal from a wrong key', () => {
  it('the intact journal verifies with its key (the anchor it carries has a MAC)', async () => {
    expect(await verifyJournalFile(good, key)).toMatchObject({ ok: true, events: 12 });
  });

  it('page 1 damaged, the right key: the file is damaged (JOURNAL_CORRUPT), the key is right', async () => {
    const p = copyOf({ damagePage1: true, anchor: true });
    const r = await verifyJournalFile(p, key);
    expect(r).toMatchObject({ ok: false, code: 'JOURNAL_CORRUPT', seq: null });
    if (r.ok) return;
    expect(r.reason).toBe(`cannot open journal ${p}: the file is damaged: the key is right (it verifies the head anchor ${anchorPathOf(p)}) but the journal does not open with it`);
    expect(r.reason).not.toContain('the key is wrong');
  });

  it('an intact journal, another key: the key is wrong (JOURNAL_KEY_INVALID)', async () => {
    const p = copyOf({ damagePage1: false, anchor: true });
    const r = await verifyJournalFile(p, other);
    expect(r).toMatchObject({ ok: false, code: 'JOURNAL_KEY_INVALID', seq: null });
    if (r.ok) return;
    expect(r.reason).toMatch(/: the key is wrong: it does not verify the head anchor .* either \(unless the anchor too was altered\)$/);
    expect(r.reason).not.toContain('damaged');
  });

  it('without an anchor neither can be told apart: the one merged sentence, JOURNAL_KEY_INVALID', async () => {
    for (const [p, k] of [[copyOf({ damagePage1: true, anchor: false }), key], [copyOf({ damagePage1: false, anchor: false }), other]] as const) {
      expect(await verifyJournalFile(p, k)).toMatchObject({
        ok: false, code: 'JOURNAL_KEY_INVALID', seq: null,
        reason: `cannot open journal ${p}: the key is wrong, or the file is damaged or not an ashare journal`,
      });
    }
  });
});
