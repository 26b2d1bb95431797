import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../../../src/adapters/journal/sqliteJournal.js';
import { verifyJournalFile } from '../../../src/adapters/journal/verifyJournal.js';
import { compileJournalAdapter, makeTempDir, markedEvent } from './fixtures/journalFiles.js';

// Creating a journal is atomic: a file at the journal's name is always a whole, initialised journal
// (never the 0-byte or half-made file a kill during start-up used to leave), and a failed creation
// leaves nothing behind — no file at the name, no temporary files, no -wal/-shm of a temporary name.
const ROOT = resolve(import.meta.dirname, '../../..');
const KEY = { kind: 'passphrase', passphrase: 'atomic create test' } as const;

/** Runs the creating child until it has announced `creations` journals, then kill -9s it; returns the last announced n. */
async function killDuringCreation(modulePath: string, dir: string, first: number, creations: number): Promise<number> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures/createLoop.mjs'), modulePath, dir, String(first)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
  let seen = 0;
  let last = first;
  for await (const line of createInterface({ input: child.stdout })) {
    last = Number(line);
    if (++seen === creations) {
      child.kill('SIGKILL');
      break;
    }
  }
  const signal = await exited;
  if (signal !== 'SIGKILL') throw new Error(`the creating child stopped on its own (${signal}): ${stderr}`);
  return last;
}

const journalNames = (dir: string): string[] => readdirSync(dir).filter((n) => /^j-\d+\.sqlite$/.test(n));

describe('creating a journal', () => {
  let dir: string;
  let modulePath: string;

  beforeAll(async () => {
    dir = await makeTempDir();
    modulePath = compileJournalAdapter(ROOT, 'atomicCreate');
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(join(ROOT, '.vitest-tmp', `atomicCreate-${process.pid}`), { recursive: true, force: true });
  });

  it('killed with SIGKILL during creation, every file at a journal name verifies (no 0-byte or half-made journal)', async () => {
    const killDir = join(dir, 'kills');
    mkdirSync(killDir);
    let first = 0;
    for (let round = 0; round < 12; round++) {
      const last = await killDuringCreation(modulePath, killDir, first, 1 + (round % 4));
      first = last + 1;
      for (const name of journalNames(killDir)) {
        const v = await verifyJournalFile(join(killDir, name));
        if (!v.ok) throw new Error(`round ${round + 1}: ${name} does not verify (${v.code}): ${v.reason}`);
        expect(v.events).toBe(0);
      }
    }
    // The next creation in the folder sweeps the temporary files of the killed creators.
    const opened = openSqliteJournal({ path: join(killDir, 'after.sqlite'), durability: 'durable', create: true });
    if (isLeft(opened)) throw new Error(opened.left.message);
    await opened.right.close();
    expect(readdirSync(killDir).filter((n) => n.includes('.creating'))).toEqual([]);
  }, 120_000);

  it('leaves no temporary file, and no -wal/-shm of one, beside a new journal (plain and encrypted)', async () => {
    for (const key of [undefined, KEY]) {
      const sub = join(dir, key ? 'enc' : 'plain');
      mkdirSync(sub);
      const path = join(sub, 'run.sqlite');
      const opened = openSqliteJournal({ path, durability: 'durable', create: true, ...(key ? { key } : {}) });
      if (isLeft(opened)) throw new Error(opened.left.message);
      expect(readdirSync(sub).sort()).toEqual(['run.sqlite', 'run.sqlite-shm', 'run.sqlite-wal', 'run.sqlite.anchor']);
      const r = await opened.right.append([markedEvent(1)], 0);
      expect(isRight(r)).toBe(true);
      await opened.right.close();
      expect(readdirSync(sub).sort()).toEqual(['run.sqlite', 'run.sqlite.anchor']); // the journal and its head anchor
      const v = await verifyJournalFile(path, key);
      expect(v).toMatchObject({ ok: true, events: 1 });
    }
  });

  it('exclusive creation refuses a path that exists (JOURNAL_EXISTS) and leaves that file as it was', () => {
    const path = join(dir, 'taken.sqlite');
    writeFileSync(path, 'someone else\'s file\n');
    const r = openSqliteJournal({ path, durability: 'fast', create: true, exclusive: true });
    expect(isLeft(r) && r.left.code).toBe('JOURNAL_EXISTS');
    expect(isLeft(r) && r.left.message).toContain(path);
    expect(readFileSync(path, 'utf8')).toBe('someone else\'s file\n');
    expect(readdirSync(dir).filter((n) => n.startsWith('.taken'))).toEqual([]);
  });
});

// A full disk during creation: tmpfs small enough that the schema cannot be written. Whether a
// tmpfs can be mounted is probed (and undone) at load; the real one lives only inside its describe.
const TINY = mkdtempSync(join(tmpdir(), 'ashare-tiny-'));
const mountTiny = () => spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', TINY], { encoding: 'utf8' });
const probe = mountTiny();
if (probe.status === 0) spawnSync('umount', [TINY]);
else console.log(`skipping the full-disk creation test: cannot mount a tmpfs (${(probe.stderr || probe.error?.message || '').trim()})`);

describe.skipIf(probe.status !== 0)('creating a journal on a full disk', () => {
  beforeAll(() => {
    const m = mountTiny();
    if (m.status !== 0) throw new Error(`cannot mount a tmpfs: ${m.stderr}`);
  });
  afterAll(async () => {
    spawnSync('umount', [TINY]);
    await rm(TINY, { recursive: true, force: true });
  });

  it('fails with JOURNAL_DISK_FULL, "the disk is full", and leaves nothing behind', () => {
    const path = join(TINY, 'full.sqlite');
    const r = openSqliteJournal({ path, durability: 'durable', create: true });
    if (isRight(r)) throw new Error('the journal was created on a 16 KiB tmpfs');
    expect(r.left.code).toBe('JOURNAL_DISK_FULL');
    expect(r.left.message).toContain('the disk is full');
    expect(r.left.message).toContain(path);
    expect(readdirSync(TINY)).toEqual([]);
  });
});
