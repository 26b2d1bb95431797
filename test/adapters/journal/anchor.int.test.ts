import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { isLeft } from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorPathOf } from '../../../src/adapters/journal/anchor.js';
import type { JournalKey } from '../../../src/adapters/journal/journalKey.js';
import { openSqliteJournal } from '../../../src/adapters/journal/sqliteJournal.js';
import { verifyJournalFile } from '../../../src/adapters/journal/verifyJournal.js';
import { makeTempDir, markedEvent, openOrThrow } from './fixtures/journalFiles.js';

// Issue 18: a hash chain proves order and content, not completeness. The head is anchored beside
// the journal after every commit; verify fails on a cut tail, a missing or forged anchor, and
// accepts an anchor that lags (a kill between the commit and the anchor's update).
let dir: string;
beforeAll(async () => { dir = await makeTempDir(); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function journalOf(name: string, batches: number, key?: JournalKey): Promise<string> {
  const path = join(dir, name);
  const j = openOrThrow({ path, ...(key ? { key } : {}) });
  let n = 0;
  for (let b = 0; b < batches; b++) {
    const r = await j.append(Array.from({ length: 10 }, () => markedEvent(++n)), 'any');
    if (isLeft(r)) throw new Error(r.left.message);
  }
  await j.close();
  return path;
}

const rawOpen = (path: string, key?: string): Database.Database => {
  const db = new Database(path);
  if (key) for (const p of ["cipher='sqlcipher'", 'legacy=4', `key="x'${key}'"`]) db.pragma(p);
  return db;
};
const cutTail = (path: string, rows: number, key?: string): void => {
  const db = rawOpen(path, key);
  db.prepare('DELETE FROM events WHERE seq > (SELECT max(seq) - ? FROM events)').run(rows);
  db.close();
};

describe('head anchors', () => {
  it('are written after every append (0600) and verify names the anchored head', async () => {
    const path = await journalOf('ok.sqlite', 3);
    expect(statSync(anchorPathOf(path)).mode & 0o777).toBe(0o600);
    const a = JSON.parse(readFileSync(anchorPathOf(path), 'utf8'));
    expect(a).toMatchObject({ format: 'ashare-anchor/1', seq: 30, mac: null });
    expect(await verifyJournalFile(path)).toMatchObject({ ok: true, headSeq: 30, anchor: { seq: 30, hash: a.hash } });
  });

  it('a journal whose last events were deleted fails with exit-1 truncation naming the missing seqs', async () => {
    const path = await journalOf('cut.sqlite', 3);
    cutTail(path, 4);
    const v = await verifyJournalFile(path);
    expect(v).toMatchObject({ ok: false, code: 'JOURNAL_TRUNCATED', seq: 27 });
    if (!v.ok) expect(v.reason).toMatch(/ends at seq 26 but its anchor records seq 30 .*: events 27…30 are missing/);
    // Writing on would bury the cut: a writer refuses to open it.
    const reopened = openSqliteJournal({ path, durability: 'fast' });
    expect(isLeft(reopened) && reopened.left.code).toBe('JOURNAL_TRUNCATED');
  });

  it('a deleted anchor fails with what to do; --no-anchor verifies the chain with a warning', async () => {
    const path = await journalOf('lost.sqlite', 2);
    unlinkSync(anchorPathOf(path));
    const v = await verifyJournalFile(path);
    expect(v).toMatchObject({ ok: false, code: 'JOURNAL_ANCHOR' });
    if (!v.ok) expect(v.reason).toMatch(/no head anchor .*--no-anchor/);
    expect(await verifyJournalFile(path, undefined, { anchor: false })).toMatchObject({ ok: true, headSeq: 20, anchor: null, warning: expect.stringMatching(/not checked/) });
  });

  it('an encrypted journal\'s anchor is MACed: an edited, copied or unsigned anchor is refused', async () => {
    const hex = randomBytes(32).toString('hex');
    const keyFile = join(dir, 'k.key');
    writeFileSync(keyFile, hex + '\n', { mode: 0o600 });
    const key: JournalKey = { kind: 'keyFile', path: keyFile };
    const path = await journalOf('enc.sqlite', 3, key);
    expect(await verifyJournalFile(path, key)).toMatchObject({ ok: true, anchor: { seq: 30 } });
    const good = readFileSync(anchorPathOf(path), 'utf8');
    // Someone cuts the tail and lowers the anchor to match: the MAC gives it away.
    cutTail(path, 10, hex);
    const a = JSON.parse(good);
    const db = rawOpen(path, hex);
    const h = db.prepare('SELECT hash FROM events WHERE seq = 20').get() as { hash: string };
    db.close();
    writeFileSync(anchorPathOf(path), JSON.stringify({ ...a, seq: 20, hash: h.hash }));
    const forged = await verifyJournalFile(path, key);
    expect(forged).toMatchObject({ ok: false, code: 'JOURNAL_ANCHOR' });
    if (!forged.ok) expect(forged.reason).toMatch(/MAC does not match/);
    writeFileSync(anchorPathOf(path), JSON.stringify({ ...a, mac: null }));
    expect(await verifyJournalFile(path, key)).toMatchObject({ ok: false, code: 'JOURNAL_ANCHOR' });
    writeFileSync(anchorPathOf(path), 'not json');
    expect(await verifyJournalFile(path, key)).toMatchObject({ ok: false, code: 'JOURNAL_ANCHOR' });
    // The honest anchor tells the truth about the cut.
    writeFileSync(anchorPathOf(path), good);
    expect(await verifyJournalFile(path, key)).toMatchObject({ ok: false, code: 'JOURNAL_TRUNCATED', seq: 21 });
  });

  it('an anchor older than the journal (a kill before its update) verifies; one pointing at a rewritten event does not', async () => {
    const path = join(dir, 'lag.sqlite');
    const j = openOrThrow({ path });
    await j.append(Array.from({ length: 5 }, (_, i) => markedEvent(100 + i)), 0);
    copyFileSync(anchorPathOf(path), join(dir, 'old.anchor'));
    await j.append(Array.from({ length: 5 }, (_, i) => markedEvent(200 + i)), 5);
    await j.close();
    copyFileSync(join(dir, 'old.anchor'), anchorPathOf(path));
    expect(await verifyJournalFile(path)).toMatchObject({ ok: true, headSeq: 10, anchor: { seq: 5 } });
    const a = JSON.parse(readFileSync(anchorPathOf(path), 'utf8'));
    writeFileSync(anchorPathOf(path), JSON.stringify({ ...a, hash: 'f'.repeat(64) }));
    expect(await verifyJournalFile(path)).toMatchObject({ ok: false, code: 'JOURNAL_ANCHOR', seq: 5 });
  });

  it('an empty journal whose creation was killed before its first anchor verifies, with a warning; a writer anchors it', async () => {
    const path = join(dir, 'empty.sqlite');
    const j = openOrThrow({ path });
    await j.close();
    unlinkSync(anchorPathOf(path));
    expect(await verifyJournalFile(path)).toMatchObject({ ok: true, headSeq: 0, anchor: null, warning: expect.stringMatching(/empty and has no head anchor/) });
    (await openOrThrow({ path, create: false }).close());
    expect(await verifyJournalFile(path)).toMatchObject({ ok: true, headSeq: 0, anchor: { seq: 0 } });
  });

  it('a new journal where an old one was deleted starts its own anchor', async () => {
    const path = await journalOf('again.sqlite', 2);
    unlinkSync(path);
    const j = openOrThrow({ path, exclusive: true });
    await j.close();
    expect(await verifyJournalFile(path)).toMatchObject({ ok: true, headSeq: 0, anchor: { seq: 0 } });
  });
});

describe('ashare journal verify and the anchor', () => {
  const bin = join(import.meta.dirname, '../../../bin/ashare.js');
  const verify = (...args: string[]) => spawnSync(process.execPath, [bin, 'journal', 'verify', ...args], { encoding: 'utf8', env: { ...process.env, ASHARE_JOURNAL_KEY_FILE: '', ASHARE_JOURNAL_PASSPHRASE: '' } });

  it('exits 1 naming the missing seqs of a cut tail, and 1 for a lost anchor unless --no-anchor (a warning, exit 0)', async () => {
    const path = await journalOf('cli.sqlite', 2);
    const ok = verify(path);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/OK, 20 events, .*anchored head seq 20/);
    cutTail(path, 3);
    const cut = verify(path);
    expect(cut.status).toBe(1);
    expect(cut.stderr).toMatch(/FAILED at seq 18: the journal ends at seq 17 but its anchor records seq 20 .*events 18…20 are missing/);
    unlinkSync(anchorPathOf(path));
    expect(verify(path).status).toBe(1);
    const skipped = verify(path, '--no-anchor');
    expect(skipped.status).toBe(0);
    expect(skipped.stderr).toMatch(/^warning: the head anchor .* was not checked/);
  });
});
