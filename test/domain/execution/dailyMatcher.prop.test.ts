import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isLotValid, matchOnDailyBar, participationCap,
  type MatchBar, type MatchContext, type MatchOrder, type SlippageModel,
} from '../../../src/domain/execution/matching.js';
import { limitPrices, type LimitPrices, type LotRule } from '../../../src/domain/market/board.js';

// Invariants the simulated matcher defends, whatever the bar, order and model:
// a fill prints on the tick, inside what traded and inside the day's limits; a limit order never
// pays more (buy) or receives less (sell) than its limit; the filled quantity is lot-valid (or the
// whole odd remainder) and within the order and the participation cap; slippage never favours the
// trader; the status and reason agree with the quantity.

interface Case { readonly order: MatchOrder; readonly bar: MatchBar; readonly ctx: MatchContext }

const lotArb = fc.constantFrom<LotRule>({ minBuy: 100, step: 100 }, { minBuy: 200, step: 1 }, { minBuy: 100, step: 1 });
const slippageArb = fc.oneof(
  fc.constant<SlippageModel>({ kind: 'none' }),
  fc.integer({ min: 0, max: 100_000 }).map((c): SlippageModel => ({ kind: 'bps', bps: c / 100 })),
  fc.integer({ min: 0, max: 50 }).map((ticks): SlippageModel => ({ kind: 'ticks', ticks })),
  fc.record({ k: fc.integer({ min: 0, max: 500 }), vol: fc.integer({ min: 0, max: 2_000 }) })
    .map((r): SlippageModel => ({ kind: 'sqrtImpact', k: r.k / 100, dailyVolatility: r.vol / 10_000 })),
);

const caseArb: fc.Arbitrary<Case> = fc.record({
  tick: fc.constantFrom(1, 10),
  refTicks: fc.integer({ min: 50, max: 20_000 }),
  band: fc.option(fc.constantFrom(500, 1000, 2000, 3000), { nil: null }),
  // Bar prices as four fractions of the allowed range, so they land anywhere in [down, up] (or [1, 3 × ref]).
  // (integers, not fc.double, whose bias towards 0 and denormals makes most bars flat).
  u: fc.array(fc.integer({ min: 0, max: 1_000 }).map((x) => x / 1_000), { minLength: 4, maxLength: 4 }),
  sealed: fc.constantFrom<'no' | 'up' | 'down'>('no', 'no', 'no', 'up', 'down'),
  volume: fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 5_000_000 })),
  vwapNoise: fc.integer({ min: 800, max: 1_200 }).map((x) => x / 1_000),
  lot: lotArb,
  side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
  lots: fc.integer({ min: 0, max: 20_000 }),
  oddSell: fc.option(fc.integer({ min: 1, max: 199 }), { nil: null }),
  limit: fc.option(fc.integer({ min: -200, max: 1_200 }).map((x) => x / 1_000), { nil: null, freq: 2 }),
  marketPrice: fc.constantFrom<'open' | 'vwap' | 'close'>('open', 'vwap', 'close'),
  participation: fc.integer({ min: 1, max: 1000 }).map((p) => p / 1000),
  slippage: slippageArb,
}).map((r) => {
  const ref = r.refTicks * r.tick;
  const limits: LimitPrices | null = r.band === null ? null : limitPrices(ref, r.band, r.tick);
  const lo = limits ? limits.down : r.tick;
  const hi = limits ? limits.up : 3 * ref;
  const at = (x: number): number => lo + Math.round((x * (hi - lo)) / r.tick) * r.tick;
  const ps = r.u.map(at).sort((a, b) => a - b);
  let bar: MatchBar;
  if (limits && r.sealed !== 'no') {
    const p = r.sealed === 'up' ? limits.up : limits.down;
    bar = { open: p, high: p, low: p, close: p, volume: r.volume, amountFen: Math.round((r.volume * p) / 10) };
  } else {
    const [low, a, b, high] = ps as [number, number, number, number];
    const vwap = (a + b) / 2;
    bar = { open: a, high, low, close: b, volume: r.volume, amountFen: Math.round((r.volume * vwap * r.vwapNoise) / 10) };
  }
  const lotQty = r.lot.minBuy + r.lots * r.lot.step;
  const odd = r.side === 'sell' && r.oddSell !== null && r.oddSell < r.lot.minBuy ? r.oddSell : null;
  const qty = odd ?? lotQty;
  const limitPrice = r.limit === null ? null : Math.max(r.tick, at(r.limit));
  const order: MatchOrder = { side: r.side, qty, type: limitPrice === null ? 'market' : 'limit', limitPrice };
  const ctx: MatchContext = {
    limits, lot: r.lot, tickMilli: r.tick, marketPrice: r.marketPrice, participation: r.participation, slippage: r.slippage,
    heldQty: odd ?? undefined,
  };
  return { order, bar, ctx };
});

const RUNS = { numRuns: 3_000 };

describe('matchOnDailyBar properties', () => {
  it('a fill prints on the tick, inside [low, high] and inside [down, up]', () => {
    fc.assert(fc.property(caseArb, ({ order, bar, ctx }) => {
      const r = matchOnDailyBar(order, bar, ctx);
      if (r.filledQty === 0) return;
      const p = r.price!;
      expect(p % ctx.tickMilli).toBe(0);
      expect(p).toBeGreaterThanOrEqual(bar.low);
      expect(p).toBeLessThanOrEqual(bar.high);
      if (ctx.limits) {
        expect(p).toBeGreaterThanOrEqual(ctx.limits.down);
        expect(p).toBeLessThanOrEqual(ctx.limits.up);
      }
    }), RUNS);
  });

  it('a buy limit never pays more than its limit, a sell limit never receives less', () => {
    fc.assert(fc.property(caseArb, ({ order, bar, ctx }) => {
      const r = matchOnDailyBar(order, bar, ctx);
      if (r.filledQty === 0 || order.limitPrice === null) return;
      if (order.side === 'buy') expect(r.price!).toBeLessThanOrEqual(order.limitPrice);
      else expect(r.price!).toBeGreaterThanOrEqual(order.limitPrice);
    }), RUNS);
  });

  it('the filled quantity is within the order and the cap, lot-valid or the whole odd remainder', () => {
    fc.assert(fc.property(caseArb, ({ order, bar, ctx }) => {
      const r = matchOnDailyBar(order, bar, ctx);
      expect(r.filledQty).toBeLessThanOrEqual(order.qty);
      if (r.filledQty === 0) return;
      expect(r.filledQty).toBeLessThanOrEqual(participationCap(bar.volume, ctx.participation));
      expect(isLotValid(r.filledQty, ctx.lot) || (r.filledQty === order.qty && order.qty === ctx.heldQty)).toBe(true);
    }), RUNS);
  });

  it('status and reason agree with the quantity', () => {
    fc.assert(fc.property(caseArb, ({ order, bar, ctx }) => {
      const r = matchOnDailyBar(order, bar, ctx);
      if (r.status === 'filled') expect([r.filledQty, r.reason]).toEqual([order.qty, null]);
      else if (r.status === 'partial') expect(r.reason === 'VOLUME_LIMIT' && r.filledQty > 0 && r.filledQty < order.qty).toBe(true);
      else expect(r.filledQty === 0 && r.reason !== null && r.price === null).toBe(true);
    }), RUNS);
  });

  it('slippage never favours the trader: same fill, price no better than without slippage', () => {
    fc.assert(fc.property(caseArb, ({ order, bar, ctx }) => {
      const r = matchOnDailyBar(order, bar, ctx);
      const flat = matchOnDailyBar(order, bar, { ...ctx, slippage: { kind: 'none' } });
      expect([r.filledQty, r.status, r.reason, r.basePrice]).toEqual([flat.filledQty, flat.status, flat.reason, flat.basePrice]);
      if (r.filledQty === 0) return;
      expect(flat.price).toBe(flat.basePrice);
      if (order.side === 'buy') expect(r.price!).toBeGreaterThanOrEqual(flat.price!);
      else expect(r.price!).toBeLessThanOrEqual(flat.price!);
    }), RUNS);
  });

  it('nothing buys on a bar sealed at limit-up and nothing sells on one sealed at limit-down', () => {
    fc.assert(fc.property(caseArb, ({ order, bar, ctx }) => {
      const lim = ctx.limits;
      if (!lim || bar.volume === 0 || bar.low !== bar.high) return;
      const r = matchOnDailyBar(order, bar, ctx);
      if (order.side === 'buy' && bar.low === lim.up) expect(r.filledQty).toBe(0);
      if (order.side === 'sell' && bar.high === lim.down) expect(r.filledQty).toBe(0);
    }), RUNS);
  });
});
