import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import { openPgJournal } from '../../../src/adapters/journal/pgJournal.js';
import { verifyPgJournal } from '../../../src/adapters/journal/pgVerify.js';
import type { StoredEvent } from '../../../src/domain/events/envelope.js';
import { pgUnavailableReason, startPg, type PgServer } from '../../fixtures/pgServer.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const MODULE = join(ROOT, 'dist/src/adapters/journal/pgJournal.js');
const ROUNDS = 40;

const skip = pgUnavailableReason();
if (skip !== null) console.log(`PostgreSQL two-writer test skipped: ${skip}`);

interface Attempt { writer: string; expected: number; won: boolean; firstSeq?: number; lastSeq?: number; ids?: string[]; code?: string }

function runWriter(url: string, writer: string, startAt: number): Promise<Attempt[]> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures/pgWriter.mjs'), MODULE, writer, String(ROUNDS), String(startAt)], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ASHARE_TEST_PG_URL: url },
    });
    let out = '', err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('exit', (code) => (code === 0 ? res(out.trim().split('\n').map((l) => JSON.parse(l) as Attempt)) : rej(new Error(`writer ${writer} exited ${code}: ${err}`))));
  });
}

describe.skipIf(skip !== null)('two writer processes on one PostgreSQL journal', () => {
  let server: PgServer | undefined;
  afterAll(() => server?.stop());

  it('exactly one append wins per version, the loser gets JOURNAL_CONCURRENCY, and batches never interleave', async () => {
    if (!existsSync(MODULE)) throw new Error(`${MODULE} is missing: run npx tsc -p tsconfig.build.json first`);
    server = startPg();
    const url = server.journalUrl();
    const startAt = Date.now() + 1500; // both children are connected by then
    const [a, b] = await Promise.all([runWriter(url, 'A', startAt), runWriter(url, 'B', startAt)]);
    const attempts = [...a, ...b];
    for (let round = 0; round < ROUNDS; round++) {
      const at = attempts.filter((x) => x.expected === round * 3);
      expect(at).toHaveLength(2);
      expect(at.filter((x) => x.won)).toHaveLength(1);
      expect(at.find((x) => !x.won)!.code).toBe('JOURNAL_CONCURRENCY');
    }
    // Both writers won some rounds: they really raced (start together, same schedule).
    expect(a.some((x) => x.won) && b.some((x) => x.won)).toBe(true);
    const opened = await openPgJournal({ url, durability: 'fast' });
    if (isLeft(opened)) throw new Error(opened.left.message);
    const all: StoredEvent[] = [];
    for await (const e of opened.right.read()) all.push(e);
    await opened.right.close();
    expect(all).toHaveLength(ROUNDS * 3);
    for (const win of attempts.filter((x) => x.won)) {
      const stored = all.slice(win.firstSeq! - 1, win.lastSeq);
      expect(stored.map((e) => e.eventId)).toEqual(win.ids); // the whole batch, contiguous, where it was acknowledged
      expect(new Set(stored.map((e) => e.stream))).toEqual(new Set([`writer-${win.writer}`]));
    }
    expect(await verifyPgJournal(url)).toMatchObject({ ok: true, events: ROUNDS * 3 });
  });
});
