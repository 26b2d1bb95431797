import fc from 'fast-check';
import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { DataOf, DomainEvent } from '../../../src/domain/index.js';
import { asTradingDay, canonicalHash, cnyToFen } from '../../../src/domain/index.js';
import { generateMarket, generateReference } from '../../../src/domain/synthetic/index.js';
import { createMemoryJournal } from '../../../src/adapters/journal/index.js';
import { backtestPorts } from '../../../src/app/backtest/index.js';
import { loadMarketRules } from '../../../src/adapters/market/marketRulesFile.js';
import { loadConfig, rulesFromConfig, validateConfig } from '../../../src/app/config/index.js';
import { runEngine } from '../../../src/app/engine/index.js';
import { decodeEvent } from '../../../src/app/journalio/index.js';
import { emptyProjections, equityOf, evolveProjections, ordersView } from '../../../src/projections/index.js';

// Property over whole engine runs: random markets and limits; every approved order, re-checked from
// the journal alone with separate arithmetic, is within the limits configured for the run.
const mr = (() => { const r = loadMarketRules('config/market'); if (!isRight(r)) throw new Error('config/market'); return r.right; })();
const base = (() => { const r = loadConfig('config/backtest.yaml'); if (!isRight(r)) throw new Error('backtest.yaml'); return r.right; })();

const limits = fc.record({
  seed: fc.integer({ min: 1, max: 10_000 }),
  maxPositionPct: fc.double({ min: 0.02, max: 0.3, noNaN: true }),
  maxPositions: fc.integer({ min: 1, max: 12 }),
  maxSectorPct: fc.double({ min: 0.05, max: 0.6, noNaN: true }),
  maxOrderNotionalCny: fc.integer({ min: 20_000, max: 400_000 }),
  dailyLossLimitPct: fc.double({ min: 0.005, max: 0.05, noNaN: true }),
  maxDrawdownPct: fc.double({ min: 0.02, max: 0.15, noNaN: true }),
  positionWeight: fc.double({ min: 0.02, max: 0.4, noNaN: true }),
});

type Limits = typeof limits extends fc.Arbitrary<infer T> ? T : never;

async function runOnce(l: Limits): Promise<DomainEvent[]> {
  const cfg = validateConfig({
    ...JSON.parse(JSON.stringify(base.config)),
    portfolio: { ...base.config.portfolio, positionWeight: l.positionWeight, maxPositions: 12 },
    risk: { ...base.config.risk, maxPositionPct: l.maxPositionPct, maxPositions: l.maxPositions, maxSectorPct: l.maxSectorPct, maxOrderNotionalCny: l.maxOrderNotionalCny, dailyLossLimitPct: l.dailyLossLimitPct, maxDrawdownPct: l.maxDrawdownPct },
  }, 'prop', base.baseDir);
  if (!isRight(cfg)) throw new Error(cfg.left.problems.join('; '));
  const rules = rulesFromConfig(cfg.right.config, mr);
  const m = generateMarket({ symbols: 24, days: 90, seed: l.seed, startDay: asTradingDay('2023-01-03'), calendar: mr.calendar });
  const first = m.tradingDays[0]!;
  const ref: DomainEvent = { type: 'InstrumentsReferenced', data: generateReference(m.instruments.map((i) => i.symbol), first, l.seed) };
  const run: DataOf<'RunStarted'> = {
    runId: `prop-${l.seed}`, mode: 'backtest', config: cfg.right.config as never, configHash: canonicalHash(cfg.right.config),
    dataSource: { kind: 'synthetic', description: 'prop', path: null, sha256: null }, codeVersion: 'test', initialCashFen: cnyToFen(1_000_000),
  };
  const journal = createMemoryJournal();
  const config = { ...cfg.right.config, execution: { ...cfg.right.config.execution, fill: 'next-open' as const, participation: 1, slippage: 'none' } };
  await runEngine(run, rules, await backtestPorts({
    config, marketRules: mr, journal, runId: run.runId, feed: m.days, firstDay: first, marketEvents: (d) => (d === first ? [ref] : []),
  }));
  const out: DomainEvent[] = [];
  for await (const e of journal.read()) {
    const d = decodeEvent(e);
    if (!d.ok) throw new Error(d.message);
    out.push(d.event);
  }
  return out;
}

describe('engine-level property: no approved order breaches a configured limit', () => {
  it('position size, position count, sector, order notional, daily loss, drawdown, trading state', async () => {
    let approvedBuys = 0;
    await fc.assert(fc.asyncProperty(limits, async (l) => {
      const ev = await runOnce(l);
      const cap = (x: number) => x + 1; // one fen of rounding
      let p = emptyProjections;
      let requests = new Map<string, DataOf<'OrderRequested'>>();
      for (const e of ev) {
        if (e.type === 'OrderRequested') requests.set(e.data.orderId, e.data);
        if (e.type === 'BarsClosed') requests = new Map();
        p = evolveProjections(p, e);
        if (e.type !== 'OrderApproved') continue;
        const o = requests.get(e.data.orderId)!;
        expect(o.qty * o.refPrice / 10).toBeLessThanOrEqual(cap(l.maxOrderNotionalCny * 100));
        if (o.side !== 'buy') continue;
        approvedBuys++;
        const equity = equityOf(p.portfolio);
        const r = p.risk;
        expect(r.state).toBe('ACTIVE');
        expect(r.peakEquityFen - equity).toBeLessThan(l.maxDrawdownPct * r.peakEquityFen);
        expect(r.startOfDayEquityFen - equity).toBeLessThan(l.dailyLossLimitPct * r.startOfDayEquityFen);
        const buys = ordersView(p.orders).working().filter((w) => w.side === 'buy');
        const exposure = (sym: string, px: number) => ((p.portfolio.positions.get(sym)?.qty ?? 0) + buys.filter((w) => w.symbol === sym).reduce((a, w) => a + w.qty - w.filledQty, 0)) * px / 10;
        expect(exposure(o.symbol, o.refPrice)).toBeLessThanOrEqual(cap(l.maxPositionPct * equity));
        const open = new Set([...[...p.portfolio.positions.values()].filter((x) => x.qty > 0).map((x) => x.symbol), ...buys.map((w) => w.symbol)]);
        expect(open.size).toBeLessThanOrEqual(l.maxPositions);
        const sector = r.sectors.get(o.symbol)!;
        let inSector = 0;
        // Others marked at their last close (held: the position's mark; bought today: their request's reference price).
        const todayRef = new Map([...requests.values()].map((q) => [q.symbol, q.refPrice]));
        for (const s of open) if (r.sectors.get(s) === sector) inSector += exposure(s, s === o.symbol ? o.refPrice : (p.portfolio.positions.get(s)?.lastPrice ?? todayRef.get(s)!));
        expect(inSector).toBeLessThanOrEqual(cap(l.maxSectorPct * equity));
      }
    }), { numRuns: 40 });
    expect(approvedBuys).toBeGreaterThan(30); // the property saw real approvals, not only denials
  }, 180_000);
});
