import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RiskRuleName, type RiskConfig } from '../../../src/domain/risk/riskConfig.js';
import { evaluateOrder } from '../../../src/domain/risk/riskGate.js';
import type { RecentAction, RiskContext, RiskOrderRequest } from '../../../src/domain/risk/rules/index.js';
import type { TradingState } from '../../../src/domain/risk/tradingState.js';
import type { WorkingOrderView } from '../../../src/domain/views/portfolioView.js';
import { DAY, DAY_START, NOW } from './rules/riskFixtures.js';

/*
 * Invariant: over random portfolios, prices, configs and order streams, no order the gate approves
 * breaches any configured limit — each limit re-checked here with its own arithmetic, not the rules'
 * code — and the gate is deterministic (the same inputs give the same decision).
 */
const SYMBOLS = ['600000.SH', '600519.SH', '000001.SZ', '000002.SZ', '300750.SZ', '688001.SH'];
const FEE_FEN = 500;
const fen = (p: number, q: number): number => Math.round((p * q) / 10);

const world = fc.record({
  last: fc.array(fc.integer({ min: 100, max: 10_000 }).map((x) => x * 10), { minLength: 6, maxLength: 6 }),
  held: fc.array(fc.record({ lots: fc.integer({ min: 0, max: 30 }), sellPct: fc.integer({ min: 0, max: 100 }) }), { minLength: 6, maxLength: 6 }),
  sector: fc.array(fc.constantFrom('bank', 'liquor', 'battery'), { minLength: 6, maxLength: 6 }),
  st: fc.array(fc.nat(4).map((n) => n === 0), { minLength: 6, maxLength: 6 }),
  issued: fc.array(fc.integer({ min: 100_000, max: 50_000_000 }), { minLength: 6, maxLength: 6 }),
  cashFen: fc.integer({ min: 0, max: 200_000_000 }),
  sodFactor: fc.double({ min: 0.97, max: 1.03, noNaN: true }),
  peakFactor: fc.double({ min: 1, max: 1.12, noNaN: true }),
  state: fc.constantFrom<TradingState>('ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'REDUCING', 'HALTED'),
});

const config: fc.Arbitrary<RiskConfig> = fc.record({
  maxPositionPct: fc.double({ min: 0.01, max: 0.6, noNaN: true }),
  maxPositions: fc.integer({ min: 1, max: 6 }),
  maxSectorPct: fc.double({ min: 0.05, max: 1, noNaN: true }),
  priceCollarPct: fc.double({ min: 0.005, max: 0.08, noNaN: true }),
  withinDailyBand: fc.boolean(),
  maxOrderNotionalCny: fc.integer({ min: 5_000, max: 1_000_000 }),
  maxOrderQty: fc.integer({ min: 500, max: 20_000 }),
  dailyLossLimitPct: fc.double({ min: 0.005, max: 0.05, noNaN: true }),
  maxDrawdownPct: fc.double({ min: 0.02, max: 0.2, noNaN: true }),
  restrictedSymbols: fc.subarray(SYMBOLS, { maxLength: 1 }),
  allowSt: fc.boolean(),
  allowShort: fc.constant(false as const),
  duplicateWindowSeconds: fc.integer({ min: 1, max: 120 }),
  orderRate: fc.record({ perSecond: fc.integer({ min: 1, max: 6 }), perDay: fc.integer({ min: 3, max: 40 }) }),
  cancelRate: fc.record({ perSecond: fc.integer({ min: 1, max: 4 }), perDay: fc.integer({ min: 1, max: 20 }) }),
  disclosureThresholdPct: fc.double({ min: 0.001, max: 0.05, noNaN: true }),
  ruleOrder: fc.shuffledSubarray([...RiskRuleName.options], { minLength: RiskRuleName.options.length }),
  stops: fc.constant({ fixedPct: 0.03, trailingPct: null, atrMultiple: null, atrPeriod: 14, takeProfitPct: null, maxHoldingDays: null }),
  disabledRules: fc.constant([]),
});

const step = fc.record({
  sym: fc.integer({ min: 0, max: 5 }),
  side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
  lots: fc.integer({ min: 1, max: 30 }),
  offsetBp: fc.oneof(fc.integer({ min: -100, max: 100 }), fc.integer({ min: -1200, max: 1200 })),
  market: fc.boolean(),
  dtMs: fc.integer({ min: 0, max: 2_500 }),
  cancelFirst: fc.boolean(),
});

interface Sim {
  working: WorkingOrderView[];
  orders: RecentAction[];
  cancels: { atMs: number }[];
  nowMs: number;
}

type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

function contextOf(w: World, sim: Sim): RiskContext {
  const positions = new Map(SYMBOLS.map((s, i) => {
    const qty = w.held[i]!.lots * 100;
    return [s, { qty, sellable: Math.floor((qty * w.held[i]!.sellPct) / 10_000) * 100, lastPrice: w.last[i]! }] as const;
  }));
  const equity = w.cashFen + SYMBOLS.reduce((a, s, i) => a + fen(w.last[i]!, positions.get(s)!.qty), 0);
  const sod = Math.round(equity * w.sodFactor);
  const idx = (s: string): number => SYMBOLS.indexOf(s);
  return {
    day: DAY, nowMs: sim.nowMs, dayStartMs: DAY_START, state: w.state, cashFen: w.cashFen, equityFen: equity,
    startOfDayEquityFen: sod, peakEquityFen: Math.round(Math.max(equity, sod) * w.peakFactor), positions,
    working: [...sim.working],
    lastPrice: (s) => w.last[idx(s)],
    dailyBand: (s) => ({ up: Math.round((w.last[idx(s)]! * 1.1) / 10) * 10, down: Math.round((w.last[idx(s)]! * 0.9) / 10) * 10 }),
    sectorOf: (s) => w.sector[idx(s)], isSt: (s) => w.st[idx(s)]!, issuedShares: (s) => w.issued[idx(s)],
    buyCostFen: (_s, n) => n + FEE_FEN,
    recentOrders: [...sim.orders], recentCancels: [...sim.cancels],
  };
}

/** Every limit, checked directly from the config; returns the breaches of an approved order. */
function breaches(req: RiskOrderRequest, ctx: RiskContext, c: RiskConfig): string[] {
  const out: string[] = [];
  const s = req.symbol;
  const p = req.limitPrice ?? req.refPrice;
  const held = ctx.positions.get(s)?.qty ?? 0;
  const sum = (side: 'buy' | 'sell', sym?: string) => ctx.working.filter((o) => o.side === side && (sym === undefined || o.symbol === sym)).reduce((a, o) => a + o.qty - o.filledQty, 0);
  const buy = req.side === 'buy';
  if (ctx.state === 'HALTED') out.push('halted');
  if (ctx.state === 'REDUCING' && (buy || req.qty > held)) out.push('reducing');
  if (c.restrictedSymbols.includes(s)) out.push('restricted');
  if (buy && !c.allowSt && ctx.isSt(s)) out.push('st');
  if (!buy && req.qty > held) out.push('short');
  if (!buy && req.qty > held - sum('sell', s)) out.push('position');
  if (!buy && req.qty > (ctx.positions.get(s)?.sellable ?? 0) - sum('sell', s)) out.push('t+1');
  if (buy && fen(p, req.qty) + FEE_FEN > ctx.cashFen - ctx.working.reduce((a, o) => a + o.reservedFen, 0)) out.push('cash');
  if (req.qty > c.maxOrderQty) out.push('qty');
  if (fen(p, req.qty) > c.maxOrderNotionalCny * 100) out.push('notional');
  const last = ctx.lastPrice(s)!;
  if (Math.abs(p - last) > c.priceCollarPct * last) out.push('collar');
  const band = ctx.dailyBand(s)!;
  if (c.withinDailyBand && (p > band.up || p < band.down)) out.push('band');
  const projected = held + sum('buy', s) + req.qty;
  if (buy && fen(p, projected) > c.maxPositionPct * ctx.equityFen) out.push('position size');
  const names = new Set([...[...ctx.positions].filter(([, x]) => x.qty > 0).map(([k]) => k), ...ctx.working.filter((o) => o.side === 'buy').map((o) => o.symbol)]);
  // A buy that opens a new name may not take the count past the cap (adding to an open one does not count).
  if (buy && !names.has(s) && names.size + 1 > c.maxPositions) out.push('positions');
  if (buy) {
    const sector = ctx.sectorOf(s);
    const exposure = SYMBOLS.filter((x) => ctx.sectorOf(x) === sector).reduce((a, x) => a + (x === s
      ? fen(p, projected) : fen(ctx.positions.get(x)!.lastPrice, (ctx.positions.get(x)?.qty ?? 0) + sum('buy', x))), 0);
    if (exposure > c.maxSectorPct * ctx.equityFen) out.push('sector');
    if (ctx.startOfDayEquityFen - ctx.equityFen >= c.dailyLossLimitPct * ctx.startOfDayEquityFen) out.push('daily loss');
    if (ctx.peakEquityFen - ctx.equityFen >= c.maxDrawdownPct * ctx.peakEquityFen) out.push('drawdown');
    if (projected >= c.disclosureThresholdPct * ctx.issuedShares(s)!) out.push('disclosure');
  }
  if (ctx.recentOrders.some((o) => o.symbol === s && o.side === req.side && o.qty === req.qty && ctx.nowMs - o.atMs < c.duplicateWindowSeconds * 1000)) out.push('duplicate');
  if (ctx.recentOrders.filter((o) => ctx.nowMs - o.atMs < 1000).length + 1 > c.orderRate.perSecond) out.push('orders/s');
  if (ctx.recentOrders.filter((o) => o.atMs >= DAY_START).length + 1 > c.orderRate.perDay) out.push('orders/day');
  if (ctx.recentCancels.filter((o) => ctx.nowMs - o.atMs < 1000).length >= c.cancelRate.perSecond) out.push('cancels/s');
  if (ctx.recentCancels.filter((o) => o.atMs >= DAY_START).length >= c.cancelRate.perDay) out.push('cancels/day');
  return out;
}

describe('evaluateOrder (property)', () => {
  let approvals = 0, denials = 0;

  it('no approved order breaches a configured limit, and the same inputs give the same decision', () => {
    fc.assert(fc.property(world, config, fc.array(step, { minLength: 1, maxLength: 40 }), (w, c, steps) => {
      const sim: Sim = { working: [], orders: [], cancels: [], nowMs: NOW };
      steps.forEach((st, i) => {
        sim.nowMs += st.dtMs;
        if (st.cancelFirst && sim.working.length > 0) {
          sim.working.shift();
          sim.cancels.push({ atMs: sim.nowMs });
        }
        const s = SYMBOLS[st.sym]!;
        const last = w.last[st.sym]!;
        const price = Math.max(10, Math.round((last * (10_000 + st.offsetBp)) / 100_000) * 10);
        const req: RiskOrderRequest = {
          orderId: `O-${i}`, day: DAY, symbol: s, side: st.side, qty: st.lots * 100, orderType: st.market ? 'market' : 'limit',
          limitPrice: st.market ? null : price, timeInForce: 'day', refPrice: st.market ? price : last, signalId: null,
        };
        const ctx = contextOf(w, sim);
        const d = evaluateOrder(req, ctx, c);
        expect(evaluateOrder(req, contextOf(w, sim), c)).toEqual(d);
        if (!d.approved) { denials++; return; }
        approvals++;
        expect(breaches(req, ctx, c)).toEqual([]);
        const p = req.limitPrice ?? req.refPrice;
        sim.working.push({ orderId: req.orderId, symbol: s, side: req.side, qty: req.qty, filledQty: 0, reservedFen: req.side === 'buy' ? fen(p, req.qty) + FEE_FEN : 0, day: DAY });
        sim.orders.push({ symbol: s, side: req.side, qty: req.qty, atMs: sim.nowMs });
      });
    }), { numRuns: 600 });
  });

  it('the property is not vacuous: the streams produce both approvals and denials', () => {
    expect(approvals).toBeGreaterThan(50);
    expect(denials).toBeGreaterThan(200);
  });
});
