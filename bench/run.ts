/**
 * `npm run bench`: throughput of the hot paths on synthetic workloads
 *   W1 = 100, W2 = 1,000, W3 = 5,000 symbols × 1,250 trading days,
 * each with a plain and an AES-256-encrypted SQLite journal (backtest durability):
 *   - backtest: generate → engine (strategy, gate, simulated broker) → journal, bars/s and events/s,
 *     with the SMA crossover (plain and encrypted) and the multi-factor strategy (plain);
 *   - replay: read the journal back, decode every event at the edge and fold projections, bars/s;
 *   - append: 100,000 small events in batches of 100, events/s.
 * plus the market store's import throughput at W3 size and the cache's saving (STORE),
 * and the pre-trade risk gate's per-order latency, evaluateOrder alone and after decideOrder (GATE, bench/riskGate.ts).
 * and the sentiment scorers' throughput on the 20k headlines (SENT, bench/sentiment.ts).
 * Select workloads with BENCH=W1,W2,STORE,GATE,SENT (default: all). Figures vary with the machine; nothing here is a test.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { DataOf, DomainEvent, NewEvent } from '../src/domain/index.js';
import { asEventId, canonicalHash, cnyToFen, deterministicUuid, exchangeTimeMs, asTradingDay } from '../src/domain/index.js';
import { generateFundamentals, generateMarket, generateReference } from '../src/domain/synthetic/index.js';
import type { JournalKey } from '../src/adapters/journal/index.js';
import { openSqliteJournal } from '../src/adapters/journal/index.js';
import { loadMarketRules } from '../src/adapters/market/marketRulesFile.js';
import { benchStoreImport, measureCache } from '../src/adapters/store/index.js';
import { runEngine } from '../src/app/engine/index.js';
import { rulesFromConfig, validateConfig } from '../src/app/config/index.js';
import { backtestPorts } from '../src/app/backtest/backtestPorts.js';
import { readJournalFile } from '../src/app/journalio/index.js';
import { summariseJournal } from '../src/app/backtest/index.js';
import { benchRiskGate } from './riskGate.js';
import { benchSentiment } from './sentiment.js';

const WORKLOADS = [['W1', 100], ['W2', 1_000], ['W3', 5_000]] as const;
const DAYS = 1_250;
const selected = (process.env.BENCH ?? 'W1,W2,W3,STORE,GATE,SENT').split(',');
const dir = mkdtempSync(join(tmpdir(), 'ashare-bench-'));
const keyFile = join(dir, 'bench.key');
writeFileSync(keyFile, 'ab'.repeat(32) + '\n', { mode: 0o600 });
const mr = loadMarketRules('config/market');
if (isLeft(mr)) throw new Error(mr.left.message);
const marketRules = mr.right;
const calendar = marketRules.calendar;

const cfg = validateConfig({
  name: 'bench', market: { source: 'synthetic', synthetic: { symbols: 100, days: DAYS, seed: 1 } }, account: { initialCash: 10_000_000 },
  strategy: { name: 'sma-crossover', params: { fast: 5, slow: 20 } }, portfolio: { maxPositions: 20, positionWeight: 0.05 },
  risk: 'config/risk.yaml',
}, 'bench', '.');
if (isLeft(cfg)) throw new Error(cfg.left.problems.join('; '));
const loaded = cfg.right;
const rules = rulesFromConfig(loaded.config, marketRules);
const mf = validateConfig({
  ...JSON.parse(JSON.stringify(loaded.config)),
  strategy: { name: 'multi-factor', params: { weights: { value: 1, quality: 1, momentum: 1, lowVol: 1 }, topN: 20, lookback: 120, skip: 20, volWindow: 60, schedule: 'monthly' } },
}, 'bench multi-factor', '.');
if (isLeft(mf)) throw new Error(mf.left.problems.join('; '));
const multiFactorRules = rulesFromConfig(mf.right.config, marketRules);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const secs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

async function backtest(name: string, symbols: number, key: JournalKey | undefined, engineRules = rules) {
  const m = generateMarket({ symbols, days: DAYS, seed: 1, startDay: asTradingDay('2021-01-04'), calendar });
  const path = join(dir, `${name}-${key ? 'enc' : 'plain'}-${engineRules === rules ? 'sma' : 'mf'}.sqlite`);
  const j = openSqliteJournal({ path, durability: 'fast', key, create: true });
  if (isLeft(j)) throw new Error(j.left.message);
  const run: DataOf<'RunStarted'> = {
    runId: `bench-${name}`, mode: 'backtest', config: loaded.config as never, configHash: loaded.hash,
    dataSource: { kind: 'synthetic', description: name, path: null, sha256: null }, codeVersion: 'bench', initialCashFen: cnyToFen(10_000_000),
  };
  let bars = 0;
  const feed = (function* () { for (const d of m.days) { bars += d.symbols.length; yield d; } })();
  // The multi-factor run gets the synthetic quarterly reports (value and quality factors), journaled
  // on the first trading day on or after each announcement.
  const reports = engineRules === rules ? [] : generateFundamentals(m.instruments.map((i) => i.symbol), m.tradingDays[0]!, m.tradingDays[m.tradingDays.length - 1]!, 1);
  const byDay = new Map<string, DomainEvent[]>();
  // Sectors and issued shares for the risk rules, journaled with the first day's bars.
  byDay.set(m.tradingDays[0]!, [{ type: 'InstrumentsReferenced', data: generateReference(m.instruments.map((i) => i.symbol), m.tradingDays[0]!, 1) }]);
  let k = 0;
  for (const f of reports) {
    while (k < m.tradingDays.length && m.tradingDays[k]! < f.announcedDay) k++;
    if (k >= m.tradingDays.length) break;
    byDay.set(m.tradingDays[k]!, [...(byDay.get(m.tradingDays[k]!) ?? []), { type: 'FundamentalsReported', data: f }]);
  }
  const t0 = process.hrtime.bigint();
  const r = await runEngine(run, engineRules, await backtestPorts({
    config: loaded.config, marketRules, journal: j.right, runId: run.runId, feed, firstDay: m.tradingDays[0]!, dividends: m.dividends,
    marketEvents: (day) => byDay.get(day) ?? [],
  }));
  const t = secs(t0);
  await j.right.close();
  const mb = statSync(path).size / 1e6;
  const t1 = process.hrtime.bigint();
  const events = await readJournalFile(path, key);
  if (isLeft(events)) throw new Error(events.left.message);
  const s = summariseJournal(events.right);
  const tr = secs(t1);
  const denied = new Map<string, number>();
  for (const e of events.right) if (e.type === 'OrderDenied') denied.set(`${e.data.rule}/${e.data.reason}`, (denied.get(`${e.data.rule}/${e.data.reason}`) ?? 0) + 1);
  if (process.env.BENCH_DENIALS) console.log(name, Object.fromEntries(denied));
  return { bars, events: r.lastSeq, t, tr, mb, fills: s.metrics.trades };
}

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

console.log(`ashare bench — node ${process.version}, ${DAYS} trading days per workload, journals in ${dir}`);
console.log(`hash check of the config: ${canonicalHash(loaded.config).slice(0, 12)}`);
for (const key of [undefined, { kind: 'keyFile', path: keyFile } as JournalKey]) {
  console.log(`append   ${key ? 'encrypted' : 'plain    '}  ${fmt(await appendOnly(key))} events/s (100,000 OrderRequested in batches of 100)`);
}
for (const [name, symbols] of WORKLOADS) {
  if (!selected.includes(name)) continue;
  for (const key of [undefined, { kind: 'keyFile', path: keyFile } as JournalKey]) {
    const r = await backtest(name, symbols, key);
    console.log(`${name} ${String(symbols).padStart(5)} × ${DAYS} ${key ? 'encrypted' : 'plain    '}  sma-crossover backtest ${r.t.toFixed(1)} s: ${fmt(r.bars / r.t)} bars/s, ${fmt(r.events / r.t)} journal events/s (${fmt(r.events)} events, ${r.fills} fills, ${r.mb.toFixed(0)} MB)  |  replay ${r.tr.toFixed(1)} s: ${fmt(r.bars / r.tr)} bars/s`);
    global.gc?.();
  }
  const m = await backtest(name, symbols, undefined, multiFactorRules);
  console.log(`${name} ${String(symbols).padStart(5)} × ${DAYS} plain      multi-factor  backtest ${m.t.toFixed(1)} s: ${fmt(m.bars / m.t)} bars/s, ${fmt(m.events / m.t)} journal events/s (${fmt(m.events)} events, ${m.fills} fills, ${m.mb.toFixed(0)} MB)  |  replay ${m.tr.toFixed(1)} s: ${fmt(m.bars / m.tr)} bars/s`);
  global.gc?.();
}
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
rmSync(dir, { recursive: true, force: true });
