import { isRight, left } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { DataOf, DayBars, Journal, NewEvent } from '../../../src/domain/index.js';
import { canonicalHash, cnyToFen, rateFromFraction, smaCrossover } from '../../../src/domain/index.js';
import { createMemoryJournal } from '../../../src/adapters/journal/index.js';
import { backtestPorts } from '../../../src/app/backtest/index.js';
import { loadConfig } from '../../../src/app/config/index.js';
import { loadMarketRules } from '../../../src/adapters/market/marketRulesFile.js';
import type { EngineRules, RecordedEvent } from '../../../src/app/engine/index.js';
import { replayJournal, runEngine } from '../../../src/app/engine/index.js';
import { decodeEvent } from '../../../src/app/journalio/index.js';
import { positionsValueFen, projectionHash, unrealisedPnlFen } from '../../../src/projections/index.js';

// A hand-made market: three symbols whose closes follow slow sine waves of different phase, so
// the 3/8 SMA crossover fires in both directions; 600000.SH is suspended on days 30–32.
const SYMBOLS = ['000001.SZ', '300750.SZ', '600000.SH'];
function market(days: number): DayBars[] {
  const out: DayBars[] = [];
  const start = Date.UTC(2024, 0, 2);
  let n = 0;
  for (let d = 0; out.length < days; d++) {
    const date = new Date(start + d * 86_400_000);
    if (date.getUTCDay() === 0 || date.getUTCDay() === 6) continue;
    const day = date.toISOString().slice(0, 10);
    const syms = SYMBOLS.filter((s) => !(s === '600000.SH' && n >= 30 && n <= 32));
    const close = syms.map((_, i) => 50_000 + Math.round(1500 * Math.sin(n / (5 + i * 2) + i)) * 10);
    out.push({
      day, symbols: syms, open: close.map((c) => c - 20), high: close.map((c) => c + 50), low: close.map((c) => c - 50), close,
      volume: syms.map(() => 1_000_000), amountFen: close.map((c) => c * 100_000), preClose: syms.map(() => null), isSt: syms.map(() => 0 as const),
    });
    n++;
  }
  return out;
}

const marketRules = (() => {
  const r = loadMarketRules('config/market');
  if (!isRight(r)) throw new Error('cannot load config/market');
  return r.right;
})();
// The paper broker in memory, matching at the open with no slippage and no volume cap (config/backtest.yaml otherwise).
const baseConfig = (() => {
  const r = loadConfig('config/backtest.yaml');
  if (!isRight(r)) throw new Error('cannot load config/backtest.yaml');
  return { ...r.right.config, execution: { ...r.right.config.execution, fill: 'next-open' as const, participation: 1, slippage: 'none' } };
})();
const ports = (journal: Journal, feed: DayBars[], runId: string) =>
  backtestPorts({ config: baseConfig, marketRules, journal, runId, feed, firstDay: feed[0]!.day as never });

const rules = (positionWeight = 0.4, maxPositions = 2): EngineRules<ReturnType<ReturnType<typeof smaCrossover>['init']>> => ({
  strategy: smaCrossover({ fast: 3, slow: 8 }),
  sizing: { maxPositions, positionWeight, turnoverThreshold: 0 },
  optimize: { optimizer: 'equal', riskAversion: 5, maxWeight: 1, minObservations: 20, shrinkage: 0.1 },
  marketRules, account: { commissionRate: rateFromFraction(0.00025), minCommissionFen: cnyToFen(5), regulatoryFeesInsideCommission: true },
  positionSizing: { method: 'fixed-fraction' }, risk: null, // the risk layer has its own tests (riskWiring.int.test.ts)
});

const runStarted = (cash = 1_000_000): DataOf<'RunStarted'> => ({
  runId: 'run-test', mode: 'backtest', config: { test: true }, configHash: canonicalHash({ test: true }),
  dataSource: { kind: 'test', description: 'hand-made sine market', path: null, sha256: null }, codeVersion: 'ashare@test',
  initialCashFen: cnyToFen(cash),
});

async function backtest(days = 80, cash = 1_000_000, journal: Journal = createMemoryJournal(), r = rules()) {
  const res = await runEngine(runStarted(cash), r, await ports(journal, market(days), 'run-test'));
  const events: RecordedEvent[] = [];
  for await (const e of journal.read()) {
    const d = decodeEvent(e);
    if (!d.ok) throw new Error(d.message);
    events.push({ ...e, ...d.event } as RecordedEvent);
  }
  return { res, events, journal };
}

describe('engine loop (backtest mode, in-memory journal)', () => {
  it('records a run: RunStarted first, every day closed, trades made, one append per day', async () => {
    const journal = createMemoryJournal();
    let appends = 0;
    const counting: Journal = { ...journal, append: (evs: readonly NewEvent[], exp) => { appends++; return journal.append(evs, exp); } };
    const { res, events } = await backtest(80, 1_000_000, counting);
    expect(events[0]!.type).toBe('RunStarted');
    expect(res.days).toBe(80);
    expect(appends).toBe(80);
    expect(events.filter((e) => e.type === 'DayClosed')).toHaveLength(80);
    const fills = events.filter((e) => e.type === 'OrderFilled');
    expect(fills.filter((f) => f.type === 'OrderFilled' && f.data.side === 'buy').length).toBeGreaterThan(1);
    expect(fills.filter((f) => f.type === 'OrderFilled' && f.data.side === 'sell').length).toBeGreaterThan(0);
    // Every fill happens on a later day than its order (next-open execution).
    const orderDay = new Map(events.flatMap((e) => (e.type === 'OrderRequested' ? [[e.data.orderId, e.data.day] as const] : [])));
    for (const f of fills) if (f.type === 'OrderFilled') expect(f.data.day > orderDay.get(f.data.orderId)!).toBe(true);
  });

  it('is deterministic: same inputs give the same projection hash and the same journal head', async () => {
    const a = await backtest();
    const b = await backtest();
    expect(projectionHash(a.res.kernel.projections)).toBe(projectionHash(b.res.kernel.projections));
    expect(a.res.headHash).toBe(b.res.headHash);
    const c = await backtest(81);
    expect(c.res.headHash).not.toBe(a.res.headHash);
  });

  it('conserves value: equity − initial cash = realised + unrealised + dividends', async () => {
    const { res } = await backtest();
    const p = res.kernel.projections.portfolio;
    expect(p.cashFen + positionsValueFen(p) - p.initialCashFen).toBe(p.realisedPnlFen + unrealisedPnlFen(p) + p.dividendsFen);
  });

  it('a suspended symbol gets no fill: the order expires with SUSPENDED', async () => {
    const { events } = await backtest();
    const expired = events.filter((e) => e.type === 'OrderExpired');
    for (const e of expired) if (e.type === 'OrderExpired') expect(e.data.reason).toBe('SUSPENDED');
    const suspendedDays = new Set(market(80).filter((d) => !d.symbols.includes('600000.SH')).map((d) => d.day));
    for (const e of events) if (e.type === 'OrderFilled' && e.data.symbol === '600000.SH') expect(suspendedDays.has(e.data.day)).toBe(false);
  });

  it('the gate denies what cash cannot cover and records why, with its rule version', async () => {
    // Each buy targets 70% of equity and up to three positions may be held: once one position is
    // held (or reserved), the next buy's target exceeds the free cash and must be denied.
    const { events } = await backtest(80, 1_000_000, createMemoryJournal(), rules(0.7, 3));
    const denied = events.filter((e) => e.type === 'OrderDenied');
    const requested = events.filter((e) => e.type === 'OrderRequested');
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.every((d) => d.type === 'OrderDenied' && d.data.reason === 'INSUFFICIENT_CASH')).toBe(true);
    for (const r of requested) {
      const id = r.type === 'OrderRequested' ? r.data.orderId : '';
      const decisions = events.filter((e) => (e.type === 'OrderApproved' || e.type === 'OrderDenied') && e.data.orderId === id);
      expect(decisions).toHaveLength(1);
    }
    for (const d of denied) if (d.type === 'OrderDenied') expect(d.data.ruleVersion).toMatch(/^pretrade-gate\//);
  });

  it('audit replay reproduces every recorded day with 0 diffs', async () => {
    const { events } = await backtest();
    const results = await replayJournal(events, () => rules(), null);
    expect(results).toHaveLength(80);
    expect(results.reduce((s, r) => s + r.diffs, 0)).toBe(0);
  });

  it('audit replay finds a tampered decision: the first day with diffs is the tampered day, naming its seq', async () => {
    const { events } = await backtest();
    const i = events.findIndex((e) => e.type === 'OrderRequested');
    const target = events[i]!;
    const tampered = events.map((e, k) => (k === i && e.type === 'OrderRequested' ? ({ ...e, data: { ...e.data, qty: e.data.qty + 100 } } as RecordedEvent) : e));
    const results = await replayJournal(tampered, () => rules(), null);
    const bad = results.filter((r) => r.diffs > 0);
    expect(bad[0]!.day).toBe(target.day);
    expect(results.filter((r) => r.day < target.day).every((r) => r.diffs === 0)).toBe(true);
    expect(bad[0]!.details.some((d) => d.seq === target.seq)).toBe(true);
  });

  it('with its appends committing behind it, journals the same run and stops at a refusal or a failing onAppended', async () => {
    // A journal whose appends settle only later (as one on another thread does): the engine goes on
    // computing days while up to three are committing.
    const deferred = (inner: Journal, refuseAt = Infinity): Journal => {
      let n = 0;
      return {
        ...inner,
        append: (events, expected) => {
          const k = ++n;
          return new Promise((resolve) => setTimeout(() => {
            if (k >= refuseAt) resolve(left({ code: 'JOURNAL_IO', message: 'the disk is full' }));
            else void inner.append(events, expected).then(resolve);
          }, 2));
        },
      };
    };
    const direct = await backtest(30);
    const behind = createMemoryJournal();
    const res = await runEngine(runStarted(), rules(), await ports(deferred(behind), market(30), 'run-test'));
    expect(res.headHash).toBe(direct.res.headHash);
    expect(res.lastSeq).toBe(direct.res.lastSeq);
    expect((await behind.head()).hash).toBe(direct.res.headHash);

    const refusing = createMemoryJournal();
    await expect(runEngine(runStarted(), rules(), await ports(deferred(refusing, 5), market(30), 'run-test'))).rejects.toMatchObject({ code: 'JOURNAL_IO', message: 'the disk is full' });
    expect((await refusing.head()).seq).toBeGreaterThan(0); // the first four days, whole

    const failing = await ports(deferred(createMemoryJournal()), market(30), 'run-test');
    let seen = 0;
    const boom = new Error('report fold failed');
    await expect(runEngine(runStarted(), rules(), { ...failing, onAppended: () => { if (++seen === 3) throw boom; } })).rejects.toBe(boom);
  });

  it('refuses to start in a journal that already holds events', async () => {
    const { journal } = await backtest(10);
    await expect(runEngine(runStarted(), rules(), await ports(journal, market(5), 'x'))).rejects.toThrow(/already holds/);
    expect(isRight(await journal.append([], 'any'))).toBe(true);
  });
});
