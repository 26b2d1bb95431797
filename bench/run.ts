/**
 * `npm run bench`: throughput of the hot paths, selected with BENCH=W1,W2,W3,STORE,GATE,SENT (default: all).
 *   - W1 = 100, W2 = 1,000, W3 = 5,000 symbols × 1,250 trading days (bench/fullMarket.ts): whole-process
 *     runs of the CLI on full-market-shaped workloads next to a hand-written baseline (bench/handLoop.ts).
 *     Per workload `ashare market generate` writes the bar CSV (with suspended days), then the hand loop,
 *     `ashare backtest --json` with a plain journal and with an encrypted one (--key-file) run as child
 *     processes: SMA 20/60 crossover, equal weight 1/N over all N symbols in 100-share lots, market orders
 *     at the next open, commission max(0.03%, 5 CNY), one cash pool, every risk rule on with loose limits.
 *     Wall time by hrtime, peak RSS by the preload bench/peakRss.ts, journal bytes per bar; a table with
 *     ratios to the hand loop and the issue's goals (met / not met). For W2 (or BENCH_REPLAY=1) also
 *     replay --all, audit and journal verify on the plain journal. BENCH_RUNS=3 for medians of 3.
 *   - append: 100,000 small events in batches of 100 into a plain and an encrypted journal, events/s (always).
 *   - STORE: the market store's import throughput at W3 size and the cache's saving.
 *   - GATE: the pre-trade risk gate's per-order latency, evaluateOrder alone and after decideOrder (bench/riskGate.ts).
 *   - SENT: the sentiment scorers' throughput on the 20k headlines (bench/sentiment.ts).
 *   - PG: the journal on PostgreSQL vs SQLite, appends/s and replay events/s (bench/postgres.ts).
 * Figures vary with the machine; nothing here is a test.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { NewEvent } from '../src/domain/index.js';
import { asEventId, deterministicUuid, exchangeTimeMs, asTradingDay } from '../src/domain/index.js';
import type { JournalKey } from '../src/adapters/journal/index.js';
import { openSqliteJournal } from '../src/adapters/journal/index.js';
import { benchStoreImport, measureCache } from '../src/adapters/store/index.js';
import { benchFullMarket } from './fullMarket.js';
import { benchPostgres } from './postgres.js';
import { benchRiskGate } from './riskGate.js';
import { benchSentiment } from './sentiment.js';

const DAYS = 1_250;
const selected = (process.env.BENCH ?? 'W1,W2,W3,STORE,GATE,SENT,PG').split(',');
const dir = mkdtempSync(join(tmpdir(), 'ashare-bench-'));
const keyFile = join(dir, 'bench.key');
writeFileSync(keyFile, 'ab'.repeat(32) + '\n', { mode: 0o600 });
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const secs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

async function appendOnly(key: JournalKey | undefined) {
  const path = join(dir, `append-${key ? 'enc' : 'plain'}.sqlite`);
  const j = openSqliteJournal({ path, durability: 'fast', key, create: true });
  if (isLeft(j)) throw new Error(j.left.message);
  const N = 100_000, B = 100;
  const t0 = process.hrtime.bigint();
  let expected = 0;
  for (let b = 0; b < N / B; b++) {
    const batch: NewEvent[] = [];
    for (let i = 0; i < B; i++) {
      const n = b * B + i;
      batch.push({
        eventId: asEventId(deterministicUuid('bench', String(n))), stream: `order-${n}`, type: 'OrderRequested', schemaVersion: 1,
        occurredAt: exchangeTimeMs(asTradingDay('2025-01-02'), 15), recordedAt: 0, causationId: null, correlationId: `O-${n}`,
        data: { orderId: `O-${n}`, day: '2025-01-02', symbol: '600000.SH', side: 'buy', qty: 100, orderType: 'market', limitPrice: null, timeInForce: 'day', refPrice: 10_000, signalId: null },
      });
    }
    const r = await j.right.append(batch, expected);
    if (isLeft(r)) throw new Error(r.left.message);
    expected = r.right.lastSeq;
  }
  const t = secs(t0);
  await j.right.close();
  return N / t;
}

console.log(`ashare bench — node ${process.version}, append journals in ${dir}`);
try {
  for (const key of [undefined, { kind: 'keyFile', path: keyFile } as JournalKey]) {
    console.log(`append   ${key ? 'encrypted' : 'plain    '}  ${fmt(await appendOnly(key))} events/s (100,000 OrderRequested in batches of 100)`);
  }
  await benchFullMarket(selected);
  if (selected.includes('STORE')) {
    // Data pipeline: the market store's import throughput at W3 size, and the cache on a research pattern.
    const st = benchStoreImport(5_000, DAYS);
    for (const [kind, f] of [['plain    ', st.plain], ['encrypted', st.encrypted]] as const) {
      console.log(`store W3 ${kind}  import ${fmt(f.importRowsPerSec)} rows/s, re-import (no-op) ${fmt(f.reimportRowsPerSec)} rows/s, read ${fmt(f.readRowsPerSec)} rows/s (${fmt(f.rows)} bars, ${(f.fileBytes / 1e6).toFixed(0)} MB)`);
    }
    const cache = await measureCache();
    console.log(`cache   research pattern: ${cache.callsWithout} provider calls without the cache, ${cache.callsWith} with it (${(cache.reduction * 100).toFixed(1)}% fewer), answers identical: ${cache.identical}`);
  }
  if (selected.includes('GATE')) await benchRiskGate();
  if (selected.includes('SENT')) await benchSentiment();
  if (selected.includes('PG')) await benchPostgres();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
