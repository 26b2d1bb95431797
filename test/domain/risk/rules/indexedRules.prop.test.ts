import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { duplicate, orderRate, positionCount, sectorConcentration } from '../../../../src/domain/risk/rules/index.js';
import { countRecent } from '../../../../src/domain/risk/rules/rateWindow.js';
import { valueFen } from '../../../../src/domain/risk/rules/riskRule.js';
import type { RecentAction, RiskContext } from '../../../../src/domain/risk/rules/index.js';
import { indexWorking, type WorkingOrderView } from '../../../../src/domain/views/portfolioView.js';
import { config, ctx, DAY, DAY_START, NOW, order, pos } from './riskFixtures.js';

// The engine answers the gate's per-order questions from indexes (running sector totals, the
// working orders by symbol, the day's sent orders by key and time); each must give exactly what
// the scan over everything gave, on any state.
const SYMBOLS = ['600000.SH', '600036.SH', '000001.SZ', '000002.SZ', '300750.SZ', '601318.SH', '688981.SH', '002594.SZ'];
const sym = fc.constantFrom(...SYMBOLS);
const sectorOf = (s: string): string => (s.endsWith('SH') ? 'bank' : 'tech');

const state = fc.record({
  positions: fc.dictionary(sym, fc.record({ qty: fc.integer({ min: 1, max: 5000 }).map((q) => q * 100), lastPrice: fc.integer({ min: 1000, max: 90_000 }) })),
  working: fc.array(fc.record({ symbol: sym, side: fc.constantFrom('buy' as const, 'sell' as const), qty: fc.integer({ min: 1, max: 50 }).map((q) => q * 100), filled: fc.integer({ min: 0, max: 100 }), reservedFen: fc.integer({ min: 0, max: 1_000_000 }) }), { maxLength: 12 }),
  equityFen: fc.integer({ min: 1_000_000, max: 100_000_000 }),
  maxPositions: fc.integer({ min: 1, max: 12 }),
  maxSectorPct: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
});


describe('indexed risk rules', () => {
  it('sector concentration and position count decide the same with the indexes as with a scan', () => {
    fc.assert(fc.property(state, sym, fc.integer({ min: 1, max: 100 }), (s, symbol, lots) => {
      const working: WorkingOrderView[] = s.working.map((w, i) => ({ orderId: `W-${String(i).padStart(3, '0')}`, symbol: w.symbol, side: w.side, qty: w.qty, filledQty: Math.min(w.qty, Math.floor((w.qty * w.filled) / 10_000) * 100), reservedFen: w.reservedFen, day: DAY }));
      const positions = Object.fromEntries(Object.entries(s.positions).map(([k, p]) => [k, pos(p.qty, p.qty, p.lastPrice)]));
      const sector = Object.fromEntries(SYMBOLS.map((x) => [x, sectorOf(x)]));
      const scanned: RiskContext = ctx({ positions, working, equityFen: s.equityFen, sector });
      const totals = new Map<string, number>();
      for (const [k, p] of Object.entries(positions)) totals.set(sectorOf(k), (totals.get(sectorOf(k)) ?? 0) + valueFen(p.lastPrice, p.qty));
      const indexed: RiskContext = { ...scanned, workingIndex: indexWorking(working), heldValueBySector: (sec) => totals.get(sec) ?? 0 };
      const c = { ...config, maxPositions: s.maxPositions, maxSectorPct: s.maxSectorPct };
      const req = order({ symbol, qty: lots * 100 });
      expect(sectorConcentration(req, indexed, c)).toEqual(sectorConcentration(req, scanned, c));
      // The position count against the set of distinct symbols, counted by hand.
      const open = new Set([...Object.keys(positions), ...working.filter((w) => w.side === 'buy').map((w) => w.symbol)]);
      const want = open.has(symbol) || open.size + 1 <= s.maxPositions;
      expect(positionCount(req, indexed, c).ok).toBe(want);
    }));
  });

  it('the order rate and the duplicate check count a growing list of sent orders as a scan does', () => {
    fc.assert(fc.property(fc.array(fc.record({ symbol: sym, side: fc.constantFrom('buy' as const, 'sell' as const), qty: fc.constantFrom(100, 200), gapMs: fc.integer({ min: 0, max: 900 }) }), { maxLength: 60 }), (sends) => {
      const sent: RecentAction[] = []; // one list, appended to, as the engine does
      let t = NOW - 30_000;
      for (const x of sends) {
        t += x.gapMs;
        const c = ctx({ recentOrders: sent, nowMs: t });
        const copy = ctx({ recentOrders: [...sent].reverse(), nowMs: t }); // not ascending: answered by a scan
        const req = order({ symbol: x.symbol, side: x.side, qty: x.qty });
        const rc = { ...config, orderRate: { perSecond: 3, perDay: 40 } };
        expect(orderRate(req, c, rc)).toEqual(orderRate(req, copy, rc));
        expect(countRecent(c, sent)).toEqual(countRecent(copy, copy.recentOrders));
        const dupScan = [...sent].find((o) => o.symbol === req.symbol && o.side === req.side && o.qty === req.qty && o.atMs > t - 60_000 && o.atMs <= t);
        const d = duplicate(req, c, config);
        expect(d.ok).toBe(dupScan === undefined);
        if (!d.ok && dupScan) expect(d.details).toContain(`${t - dupScan.atMs} ms ago`);
        sent.push({ symbol: x.symbol, side: x.side, qty: x.qty, atMs: t });
      }
      expect(countRecent(ctx({ nowMs: NOW }), sent).day).toBe(sent.filter((a) => a.atMs >= DAY_START && a.atMs <= NOW).length);
    }));
  });
});
