import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRight } from 'fp-ts/lib/Either.js';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { canonicalJson } from '../../../src/domain/canonicalJson.js';
import { asTradingDay } from '../../../src/domain/tradingDay.js';
import type { JournalSlice } from '../../../src/domain/compliance/index.js';
import { exportJournalSlice, verifyExportFile } from '../../../src/app/compliance/index.js';
import { readJournalFile } from '../../../src/app/journalio/index.js';
import { journalExportCommand, journalVerifyExportCommand } from '../../../src/app/cli/commands/compliance.js';

// A journal written by the real engine (the compiled CLI's demo; `npm test` builds dist/ first).
const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'ashare-export-'));
let journal = '';
let days: string[] = [];

beforeAll(async () => {
  expect(existsSync(join(repo, 'dist', 'src', 'app', 'cli', 'main.js'))).toBe(true);
  const r = spawnSync(process.execPath, [join(repo, 'bin', 'ashare.js'), 'demo', '--json', '--symbols', '10', '--days', '60'], {
    cwd: work, encoding: 'utf8', env: { ...process.env, ASHARE_JOURNAL_KEY_FILE: '', ASHARE_JOURNAL_PASSPHRASE: '' },
  });
  expect(r.status, r.stderr).toBe(0);
  journal = JSON.parse(r.stdout).journal;
  const read = await readJournalFile(journal, undefined);
  if (!isRight(read)) throw new Error('demo journal unreadable');
  days = [...new Set(read.right.map((e) => e.day))].sort();
}, 60_000);

afterEach(() => { vi.restoreAllMocks(); });

describe('compliance export of a journal slice', () => {
  it('exports a date range, verifies offline, and names the seq of a fill whose qty was edited', async () => {
    const out = join(work, 'slice.json');
    const from = asTradingDay(days[10]!), to = asTradingDay(days[45]!);
    const sum = await exportJournalSlice(journal, undefined, from, to, out);
    expect(sum.events).toBeGreaterThan(30);
    expect(sum.anchorBefore.seq).toBe(sum.firstSeq! - 1);
    expect(sum.anchorAfter?.seq).toBe(sum.lastSeq! + 1);
    expect(sum.ruleVersions.length).toBeGreaterThan(0);
    const text = readFileSync(out, 'utf8');
    const slice = JSON.parse(text) as JournalSlice;
    expect(canonicalJson(slice)).toBe(text);
    expect(slice.config).toHaveLength(1);
    expect(slice.events.every((e) => e.day >= from && e.day <= to)).toBe(true);

    const ok = verifyExportFile(out);
    expect(ok).toMatchObject({ ok: true, events: sum.events, digest: sum.digest });

    const fill = slice.events.find((e) => e.type === 'OrderFilled');
    expect(fill, 'the demo should fill orders in the range').toBeDefined();
    (fill!.data as { qty: number }).qty += 100;
    const bad = join(work, 'slice-tampered.json');
    writeFileSync(bad, JSON.stringify(slice));
    const v = verifyExportFile(bad);
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.seq).toBe(fill!.seq);
      expect(v.reason).toMatch(/hash mismatch/);
    }
  });

  it('a range reaching the last day has no anchor after; a file that is not JSON fails without a seq', async () => {
    const out = join(work, 'tail.json');
    const sum = await exportJournalSlice(journal, undefined, asTradingDay(days[55]!), asTradingDay(days[days.length - 1]!), out);
    expect(sum.anchorAfter).toBeNull();
    expect(sum.head.seq).toBe(sum.lastSeq);
    expect(verifyExportFile(out).ok).toBe(true);
    const junk = join(work, 'junk.json');
    writeFileSync(junk, '{"format":');
    expect(verifyExportFile(junk)).toMatchObject({ ok: false, seq: null });
  });

  it('the CLI commands export and verify (exit 0), and report a tampered file with exit 1 and its seq', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => { lines.push(String(s)); return true; });
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => { lines.push(String(s)); return true; });
    const out = join(work, 'cli.json');
    expect(await journalExportCommand(['--journal', journal, '--from', days[5]!, '--to', days[20]!, '--out', out, '--json'])).toBe(0);
    const exported = JSON.parse(lines.join(''));
    expect(exported.digest).toMatch(/^[0-9a-f]{64}$/);
    lines.length = 0;
    expect(await journalVerifyExportCommand([out, '--json'])).toBe(0);
    expect(JSON.parse(lines.join(''))).toMatchObject({ ok: true, digest: exported.digest });
    const slice = JSON.parse(readFileSync(out, 'utf8')) as JournalSlice;
    const victim = slice.events[3]!;
    slice.events.splice(3, 1);
    writeFileSync(out, JSON.stringify(slice));
    lines.length = 0;
    expect(await journalVerifyExportCommand([out])).toBe(1);
    expect(lines.join('')).toContain(`FAILED at seq ${victim.seq}`);
    await expect(journalExportCommand(['--journal', journal, '--from', 'x', '--to', days[2]!, '--out', out])).rejects.toMatchObject({ code: 'USAGE' });
  });
});

describe('an export carries the journal\'s head anchor', () => {
  it('with its MAC-less plaintext anchor; an anchor ahead of the head or naming another event fails offline', async () => {
    const out = join(work, 'anchored.json');
    await exportJournalSlice(journal, undefined, asTradingDay(days[days.length - 5]!), asTradingDay(days[days.length - 1]!), out);
    const slice = JSON.parse(readFileSync(out, 'utf8')) as JournalSlice;
    expect(slice.headAnchor).toMatchObject({ format: 'ashare-anchor/1', seq: slice.head.seq, hash: slice.head.hash, mac: null });
    expect(verifyExportFile(out)).toMatchObject({ ok: true });
    const write = (s: JournalSlice) => { writeFileSync(out, canonicalJson(s)); return verifyExportFile(out); };
    expect(write({ ...slice, headAnchor: { ...slice.headAnchor!, seq: slice.head.seq + 3 } })).toMatchObject({ ok: false, seq: slice.head.seq + 1 });
    const inside = slice.events[slice.events.length - 2]!;
    expect(write({ ...slice, headAnchor: { ...slice.headAnchor!, seq: inside.seq, hash: 'e'.repeat(64) } })).toMatchObject({ ok: false, seq: inside.seq });
    // Lagging (a crash between commit and anchor): accepted.
    expect(write({ ...slice, headAnchor: { ...slice.headAnchor!, seq: inside.seq, hash: inside.hash } })).toMatchObject({ ok: true });
  });
});

describe('failures in the export path name a real seq, never "seq ?"', () => {
  it('exporting a journal whose event was edited fails naming that event\'s seq (library and CLI)', async () => {
    const read = await readJournalFile(journal, undefined);
    if (!isRight(read)) throw new Error('demo journal unreadable');
    const victim = read.right.find((e) => e.day === days[15] && e.type === 'OrderFilled') ?? read.right.find((e) => e.day === days[15])!;
    const edited = join(work, 'edited.sqlite');
    copyFileSync(journal, edited);
    copyFileSync(`${journal}.anchor`, `${edited}.anchor`);
    const db = new Database(edited);
    const row = db.prepare<[number], { data: string }>('SELECT data FROM events WHERE seq = ?').get(victim.seq)!;
    db.prepare('UPDATE events SET data = ? WHERE seq = ?').run(canonicalJson({ ...JSON.parse(row.data), edited: true }), victim.seq);
    db.close();
    const out = join(work, 'edited-slice.json');
    const failure = exportJournalSlice(edited, undefined, asTradingDay(days[10]!), asTradingDay(days[20]!), out);
    await expect(failure).rejects.toMatchObject({ code: 'JOURNAL_HASH_MISMATCH', exitCode: 4 });
    const message = await failure.catch((e: Error) => e.message);
    expect(message).toMatch(new RegExp(`^the journal ${edited} fails its own check at seq ${victim.seq}: `));
    expect(message).not.toContain('seq ?');
    expect(existsSync(out)).toBe(false);
    await expect(journalExportCommand(['--journal', edited, '--from', days[10]!, '--to', days[20]!, '--out', out]))
      .rejects.toThrow(`fails its own check at seq ${victim.seq}: `);
  });

  it('verify-export of a file that is not JSON says FAILED without a seq (no "seq ?")', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => { lines.push(String(s)); return true; });
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => { lines.push(String(s)); return true; });
    const junk = join(work, 'junk-cli.json');
    writeFileSync(junk, '{"format":');
    expect(await journalVerifyExportCommand([junk])).toBe(1);
    expect(lines.join('')).toBe(`${junk}: FAILED: the file is not valid JSON\n`);
  });
});
