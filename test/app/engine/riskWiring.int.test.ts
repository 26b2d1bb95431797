import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { loadMarketRules } from '../../../src/adapters/market/index.js';
import { runBacktest } from '../../../src/app/backtest/index.js';
import { loadConfig, validateConfig } from '../../../src/app/config/index.js';
import { readJournalFile } from '../../../src/app/journalio/index.js';
import type { RecordedEvent } from '../../../src/app/engine/index.js';
import { RiskRuleName } from '../../../src/domain/risk/riskConfig.js';
import { emptyProjections, equityOf, evolveProjections, ordersView } from '../../../src/projections/index.js';

// The risk layer inside the engine: every order decided, limits held in the journal's own record,
// rates throttled, stops and drawdown recorded. Checked from the journal with separate arithmetic.
const mrE = loadMarketRules('config/market');
if (!isRight(mrE)) throw new Error('config/market does not load');
const mr = mrE;
const work = mkdtempSync(join(tmpdir(), 'ashare-riskwiring-'));
const baseE = loadConfig('config/backtest.yaml');
if (!isRight(baseE)) throw new Error(baseE.left.problems.join('; '));
const base = baseE;
const baseRisk = base.right.config.risk;

async function run(name: string, risk: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<RecordedEvent[]> {
  const raw = {
    ...JSON.parse(JSON.stringify(base.right.config)), ...extra,
    market: { source: 'synthetic', synthetic: { symbols: 40, days: 250, seed: 3, startDay: '2022-01-04' } },
    risk: { ...baseRisk, ...risk },
  };
  const cfg = validateConfig(raw, name, base.right.baseDir);
  if (!isRight(cfg)) throw new Error(cfg.left.problems.join('; '));
  const r = await runBacktest({ loaded: cfg.right, marketRules: mr.right, codeVersion: 'test', stamp: name, journalPath: join(work, `${name}.sqlite`), reportDir: join(work, `${name}.report`) });
  const ev = await readJournalFile(r.journalPath, undefined);
  if (!isRight(ev)) throw new Error(ev.left.message);
  return ev.right;
}

const ORDER_CHECKS = ['orderShape', 'lotSize', 'workingOrder', 'availability'];

describe('the risk gate in the engine', () => {
  it('decides every order once, and no approved buy breaches position size or count (re-checked from the journal)', async () => {
    const ev = await run('default');
    const requested = ev.filter((e) => e.type === 'OrderRequested');
    const decided = ev.filter((e) => e.type === 'OrderApproved' || e.type === 'OrderDenied');
    expect(requested.length).toBeGreaterThan(50);
    expect(decided.map((e) => (e.data as { orderId: string }).orderId).sort()).toEqual(requested.map((e) => (e.data as { orderId: string }).orderId).sort());
    for (const e of decided) expect((e.data as { ruleVersion: string }).ruleVersion).toMatch(/risk-gate\/1 .*risk-config [0-9a-f]{16}/);
    for (const e of ev) if (e.type === 'OrderDenied') expect([...RiskRuleName.options, ...ORDER_CHECKS]).toContain(e.data.rule);
    let p = emptyProjections;
    const req = new Map(requested.map((e) => [(e.data as { orderId: string }).orderId, e.data as { symbol: string; side: string; refPrice: number }]));
    let buysChecked = 0;
    for (const e of ev) {
      p = evolveProjections(p, e);
      if (e.type !== 'OrderApproved') continue;
      const o = req.get(e.data.orderId)!;
      if (o.side !== 'buy') continue;
      buysChecked++;
      const working = ordersView(p.orders).working().filter((w) => w.side === 'buy');
      const qty = (p.portfolio.positions.get(o.symbol)?.qty ?? 0) + working.filter((w) => w.symbol === o.symbol).reduce((a, w) => a + w.qty - w.filledQty, 0);
      expect(qty * o.refPrice / 10).toBeLessThanOrEqual(baseRisk.maxPositionPct * equityOf(p.portfolio) + 1);
      const open = new Set([...[...p.portfolio.positions.values()].filter((x) => x.qty > 0).map((x) => x.symbol), ...working.map((w) => w.symbol)]);
      expect(open.size).toBeLessThanOrEqual(baseRisk.maxPositions);
    }
    expect(buysChecked).toBeGreaterThan(20);
  }, 120_000);

  it('sends at most orderRate.perSecond orders per second (a throttle, not denials), stops sell through the gate, REDUCING stops buys', async () => {
    const ev = await run('throttle', { orderRate: { perSecond: 2, perDay: 2000 }, maxDrawdownPct: 0.05 });
    const perSecond = new Map<number, number>();
    for (const e of ev) if (e.type === 'OrderApproved') perSecond.set(Math.floor(e.occurredAt / 1000), (perSecond.get(Math.floor(e.occurredAt / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBe(2);
    expect(ev.some((e) => e.type === 'OrderDenied' && e.data.reason === 'ORDER_RATE')).toBe(false);
    const stops = ev.filter((e) => e.type === 'StopTriggered');
    expect(stops.length).toBeGreaterThan(0);
    for (const s of stops) {
      if (s.type !== 'StopTriggered') continue;
      const sells = ev.filter((e) => e.type === 'OrderRequested' && e.causationId === s.eventId);
      if (s.data.blockedBy === 'T1') { expect(s.data.qty).toBe(0); expect(sells).toHaveLength(0); continue; }
      expect(sells).toHaveLength(1);
      expect(sells[0]!.data).toMatchObject({ symbol: s.data.symbol, side: 'sell', qty: s.data.qty });
    }
    const at = ev.findIndex((e) => e.type === 'TradingStateChanged' && e.data.to === 'REDUCING');
    expect(at).toBeGreaterThan(0);
    expect(ev[at]!.data).toMatchObject({ from: 'ACTIVE', by: 'risk:maxDrawdown' });
    const buyIds = new Set(ev.slice(at).flatMap((e) => (e.type === 'OrderRequested' && e.data.side === 'buy' ? [e.data.orderId] : [])));
    expect(buyIds.size).toBeGreaterThan(0);
    expect(ev.slice(at).filter((e) => e.type === 'OrderApproved' && buyIds.has(e.data.orderId))).toHaveLength(0);
  }, 120_000);

  it('a restricted symbol is never traded; the denial names the rule', async () => {
    const free = await run('unrestricted');
    const counts = new Map<string, number>();
    for (const e of free) if (e.type === 'OrderFilled' && e.data.side === 'buy') counts.set(e.data.symbol, (counts.get(e.data.symbol) ?? 0) + 1);
    const target = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
    const ev = await run('restricted', { restrictedSymbols: [target] });
    expect(ev.some((e) => e.type === 'OrderFilled' && e.data.symbol === target)).toBe(false);
    const reqs = new Set(ev.flatMap((e) => (e.type === 'OrderRequested' && e.data.symbol === target ? [e.data.orderId] : [])));
    expect(reqs.size).toBeGreaterThan(0);
    const denials = ev.flatMap((e) => (e.type === 'OrderDenied' && reqs.has(e.data.orderId) ? [e.data] : []));
    expect(denials).toHaveLength(reqs.size);
    expect(denials.some((d) => d.reason === 'RESTRICTED_SYMBOL' && d.rule === 'restrictedList')).toBe(true);
    // Only checks that run before it (the order checks, then killSwitch) may deny first.
    for (const d of denials) expect(['restrictedList', 'killSwitch', ...ORDER_CHECKS]).toContain(d.rule);
  }, 120_000);

  it('sizing methods change the buys: volatility target (ATR) and fractional Kelly (prior until enough round trips)', async () => {
    const buys = (ev: RecordedEvent[]) => ev.flatMap((e) => (e.type === 'OrderRequested' && e.data.side === 'buy' && e.data.signalId ? [`${e.data.symbol}@${e.day}:${e.data.qty}`] : []));
    const fixed = buys(await run('size-fixed'));
    const portfolio = base.right.config.portfolio;
    const vol = buys(await run('size-vol', {}, { portfolio: { ...portfolio, sizing: { method: 'volatility-target', riskPerTradeFraction: 0.005, atrMultiple: 2 } } }));
    const kellyEvents = await run('size-kelly', {}, { portfolio: { ...portfolio, sizing: { method: 'kelly', fraction: 0.5, cap: 0.04, minTrades: 20, prior: { winRate: 0.55, payoff: 1.2 } } } });
    const kelly = buys(kellyEvents);
    for (const b of [vol, kelly]) {
      expect(b.length).toBeGreaterThan(5);
      expect(b).not.toEqual(fixed);
    }
    // Kelly with p = 0.55, b = 1.2: f* = 0.55 − 0.45/1.2 = 0.175, half of it 8.75%, capped at 4% of equity.
    // The first buy is sized on the initial equity, 1,000,000 CNY: the largest lot within 40,000 CNY.
    const first = kellyEvents.find((e) => e.type === 'OrderRequested' && e.data.side === 'buy' && e.data.signalId)!.data as { qty: number; refPrice: number };
    expect(first.qty * first.refPrice / 10).toBeLessThanOrEqual(0.04 * 100_000_000);
    expect((first.qty + 100) * first.refPrice / 10).toBeGreaterThan(0.04 * 100_000_000);
  }, 120_000);

  it('refuses to start without a complete risk config, naming the key', () => {
    const { stops: _s, ...noStops } = baseRisk;
    const c = validateConfig({ ...JSON.parse(JSON.stringify(base.right.config)), risk: noStops }, 'cfg', '.');
    expect(!isRight(c) && c.left.problems.join('\n')).toMatch(/cfg: risk\.stops: /);
    const { risk: _r, ...none } = JSON.parse(JSON.stringify(base.right.config)) as Record<string, unknown>;
    const d = validateConfig(none, 'cfg', '.');
    expect(!isRight(d) && d.left.problems.join('\n')).toMatch(/cfg: risk: missing/);
    const e = validateConfig({ ...JSON.parse(JSON.stringify(base.right.config)), risk: { ...baseRisk, disabledRules: [{ rule: 'disclosure', why: 'x' }] } }, 'cfg', '.');
    expect(!isRight(e) && e.left.problems.join('\n')).toMatch(/risk\.disabledRules\.0\.rule: rule disclosure is already in ruleOrder/);
  });
});
