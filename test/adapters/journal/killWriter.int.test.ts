import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { isLeft } from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../../../src/adapters/journal/sqliteJournal.js';
import { verifyJournalFile } from '../../../src/adapters/journal/verifyJournal.js';
import { compileJournalAdapter, makeTempDir, markedEvent } from './fixtures/journalFiles.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const BATCH = 50;

/**
 * Runs the writer child until it has reported `batches` more commits, then kill -9s it. Waiting is
 * driven by the child's own output, not by time.
 */
async function killAfter(modulePath: string, journalPath: string, batches: number): Promise<number> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures/killWriter.mjs'), modulePath, journalPath, String(BATCH)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
  let seen = 0;
  let lastSeq = 0;
  for await (const line of createInterface({ input: child.stdout })) {
    lastSeq = Number(line);
    seen += 1;
    if (seen === batches) {
      child.kill('SIGKILL');
      break;
    }
  }
  const signal = await exited;
  if (signal !== 'SIGKILL') throw new Error(`the writer stopped on its own (${signal}): ${stderr}`);
  return lastSeq;
}

describe('a writer killed with SIGKILL mid-run', () => {
  let dir: string;
  let modulePath: string;

  beforeAll(async () => {
    dir = await makeTempDir();
    modulePath = compileJournalAdapter(ROOT, 'killWriter');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(join(ROOT, '.vitest-tmp', `killWriter-${process.pid}`), { recursive: true, force: true });
  });

  it('leaves only whole batches, a valid chain, and a journal that can be continued', async () => {
    const path = join(dir, 'run.sqlite');
    let acknowledged = 0;
    for (let round = 0; round < 3; round++) {
      acknowledged = await killAfter(modulePath, path, 8);
      const v = await verifyJournalFile(path);
      if (!v.ok) throw new Error(`verify failed after kill ${round + 1}: ${v.reason}`);
      // The anchor was written after each commit: it may lag the journal after the kill, never lead it.
      expect(v.anchor!.seq).toBeLessThanOrEqual(v.events);
      expect(v.anchor!.seq).toBeGreaterThanOrEqual(acknowledged - BATCH);
      expect(v.events % BATCH).toBe(0);
      expect(v.events).toBeGreaterThanOrEqual(acknowledged);
    }

    const opened = openSqliteJournal({ path, durability: 'durable' });
    if (isLeft(opened)) throw new Error(opened.left.message);
    const journal = opened.right;
    const head = await journal.head();
    expect(head.seq % BATCH).toBe(0);
    expect(head.seq).toBeGreaterThanOrEqual(acknowledged);
    const r = await journal.append([markedEvent(1), markedEvent(2)], head.seq);
    if (isLeft(r)) throw new Error(r.left.message);
    expect(r.right.firstSeq).toBe(head.seq + 1);
    const next: string[] = [];
    for await (const e of journal.read({ fromSeq: head.seq + 1 })) next.push(e.prevHash);
    expect(next[0]).toBe(head.hash);
    await journal.close();
    expect(await verifyJournalFile(path)).toMatchObject({ ok: true, events: head.seq + 2, headSeq: head.seq + 2 });
  });
});
