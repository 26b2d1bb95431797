/**
 * BENCH=PG: the journal on PostgreSQL next to SQLite — appends/s (100,000 OrderRequested events in
 * batches of 100, `fast` and `durable`, plain and with the payload encrypted) and replay events/s
 * (reading the whole journal back through `Journal.read`, as replay and audit do). The server is
 * ASHARE_PG_URL, else a throwaway cluster (scripts/pg-throwaway.sh) started and removed here. Both
 * backends on the same machine: PostgreSQL pays a loopback round trip per statement that SQLite
 * does not, and gives several writers on several machines in return.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { Journal, NewEvent } from '../src/domain/index.js';
import { asEventId, asTradingDay, deterministicUuid, exchangeTimeMs } from '../src/domain/index.js';
import type { Durability, JournalKey } from '../src/adapters/journal/index.js';
import { openSqliteJournal } from '../src/adapters/journal/index.js';
import { openPgJournal } from '../src/adapters/journal/pgJournal.js';

const N = 100_000, B = 100;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const secs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

/** The repository root, from bench/ (sources) or dist/bench/ (compiled). */
function repoRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.endsWith(join('dist', 'bench')) ? resolve(here, '..', '..') : resolve(here, '..');
}

const batch = (b: number): NewEvent[] => Array.from({ length: B }, (_, i) => {
  const n = b * B + i;
  return {
    eventId: asEventId(deterministicUuid('bench-pg', String(n))), stream: `order-${n}`, type: 'OrderRequested', schemaVersion: 1,
    occurredAt: exchangeTimeMs(asTradingDay('2025-01-02'), 15), recordedAt: 0, causationId: null, correlationId: `O-${n}`,
    data: { orderId: `O-${n}`, day: '2025-01-02', symbol: '600000.SH', side: 'buy', qty: 100, orderType: 'market', limitPrice: null, timeInForce: 'day', refPrice: 10_000, signalId: null },
  };
});

async function measure(j: Journal): Promise<{ append: number; replay: number }> {
  let expected = 0;
  const t0 = process.hrtime.bigint();
  for (let b = 0; b < N / B; b++) {
    const r = await j.append(batch(b), expected);
    if (isLeft(r)) throw new Error(r.left.message);
    expected = r.right.lastSeq;
  }
  const append = N / secs(t0);
  const t1 = process.hrtime.bigint();
  let n = 0;
  for await (const _ of j.read()) n++;
  if (n !== N) throw new Error(`read back ${n} of ${N} events`);
  const replay = N / secs(t1);
  await j.close();
  return { append, replay };
}

export async function benchPostgres(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ashare-bench-pg-'));
  const keyFile = join(dir, 'bench.key');
  writeFileSync(keyFile, 'ab'.repeat(32) + '\n', { mode: 0o600 });
  const script = join(repoRoot(), 'scripts', 'pg-throwaway.sh');
  let url = process.env['ASHARE_PG_URL'] ?? '';
  const cluster = mkdtempSync(join(tmpdir(), 'ashare-bench-pgdata-')); // its own folder: the script hands it to the server's user
  try {
    if (url === '') {
      const s = spawnSync('bash', [script, 'start', cluster], { encoding: 'utf8' });
      if (s.status !== 0) { console.log(`pg       skipped: no PostgreSQL (${s.stderr.trim().split('\n').pop()})`); return; }
      url = s.stdout.trim();
    }
    const run = Date.now().toString(36);
    for (const durability of ['fast', 'durable'] as Durability[]) {
      for (const key of [undefined, { kind: 'keyFile', path: keyFile } as JournalKey]) {
        const kind = `${durability.padEnd(7)} ${key ? 'encrypted' : 'plain    '}`;
        const sq = openSqliteJournal({ path: join(dir, `${durability}-${key ? 'enc' : 'plain'}.sqlite`), durability, key, create: true });
        if (isLeft(sq)) throw new Error(sq.left.message);
        const s = await measure(sq.right);
        const u = new URL(url);
        u.searchParams.set('journal', `bench-${run}-${durability}-${key ? 'enc' : 'plain'}`);
        const pg = await openPgJournal({ url: u.toString(), durability, key, create: true, exclusive: true });
        if (isLeft(pg)) throw new Error(pg.left.message);
        const p = await measure(pg.right);
        console.log(`pg       ${kind}  append ${fmt(p.append)} events/s (SQLite ${fmt(s.append)}), replay ${fmt(p.replay)} events/s (SQLite ${fmt(s.replay)})`);
      }
    }
  } finally {
    spawnSync('bash', [script, 'stop', cluster]); // removes the folder (unused when ASHARE_PG_URL was given)
    rmSync(dir, { recursive: true, force: true });
  }
}
