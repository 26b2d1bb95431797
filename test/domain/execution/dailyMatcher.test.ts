import { describe, expect, it } from 'vitest';
import {
  barVwap, fillableQty, isSellQtyValid, matchOnDailyBar, participationCap, roundDownToLot,
  type MatchBar, type MatchContext, type MatchOrder,
} from '../../../src/domain/execution/matching.js';
import { limitPrices } from '../../../src/domain/market/board.js';

// Previous close 10.00, main board ±10%: limits 9.00 … 11.00; prices 0.001 CNY on the 0.01 tick.
const LIMITS = limitPrices(10_000, 1000, 10);
const MAIN = { minBuy: 100, step: 100 };
const STAR = { minBuy: 200, step: 1 };
const ctx = (over: Partial<MatchContext> = {}): MatchContext => ({
  limits: LIMITS, lot: MAIN, tickMilli: 10, marketPrice: 'open', participation: 1, slippage: { kind: 'none' }, ...over,
});
// VWAP 10.235 (amount 102,350,000 fen over 100,000 shares) → half-up to the tick 10.24.
const BAR: MatchBar = { open: 10_100, high: 10_500, low: 9_900, close: 10_300, volume: 100_000, amountFen: 102_350_000 };
const bar = (over: Partial<MatchBar> = {}): MatchBar => ({ ...BAR, ...over });
const mkt = (side: 'buy' | 'sell', qty = 1_000): MatchOrder => ({ side, qty, type: 'market', limitPrice: null });
const lmt = (side: 'buy' | 'sell', limitPrice: number, qty = 1_000): MatchOrder => ({ side, qty, type: 'limit', limitPrice });
const sealed = (p: number): MatchBar => ({ open: p, high: p, low: p, close: p, volume: 50_000, amountFen: 5 * p * 10_000 });

describe('market orders', () => {
  it('fill in full at the open by default', () => {
    expect(matchOnDailyBar(mkt('buy'), BAR, ctx())).toEqual({ filledQty: 1_000, price: 10_100, basePrice: 10_100, status: 'filled', reason: null });
  });
  it('fill at the close when configured', () => {
    expect(matchOnDailyBar(mkt('sell'), BAR, ctx({ marketPrice: 'close' })).price).toBe(10_300);
  });
  it('fill at the VWAP rounded half-up to the tick: 10.235 → 10.24', () => {
    expect(barVwap(BAR, 10)).toBe(10_240);
    expect(matchOnDailyBar(mkt('buy'), BAR, ctx({ marketPrice: 'vwap' })).price).toBe(10_240);
  });
  it('a VWAP outside the bar (inconsistent amount) is clamped into [low, high]', () => {
    expect(barVwap(bar({ amountFen: 106_000_000 }), 10)).toBe(10_500);
    expect(barVwap(bar({ amountFen: 0 }), 10)).toBe(9_900);
  });
});

describe('limit orders', () => {
  it('a buy limit the bar trades through fills at the limit (open above it)', () => {
    expect(matchOnDailyBar(lmt('buy', 10_000), BAR, ctx())).toMatchObject({ filledQty: 1_000, price: 10_000, status: 'filled' });
  });
  it('a buy limit fills at a better gap-down open', () => {
    expect(matchOnDailyBar(lmt('buy', 10_000), bar({ open: 9_950 }), ctx()).price).toBe(9_950);
  });
  it('a buy limit exactly at the low fills at the limit', () => {
    expect(matchOnDailyBar(lmt('buy', 9_900), BAR, ctx()).price).toBe(9_900);
  });
  it('a buy limit below the low is not reached', () => {
    expect(matchOnDailyBar(lmt('buy', 9_890), BAR, ctx())).toEqual({ filledQty: 0, price: null, basePrice: null, status: 'unfilled', reason: 'LIMIT_NOT_REACHED' });
  });
  it('a sell limit fills at the limit, or at a better gap-up open, and not above the high', () => {
    expect(matchOnDailyBar(lmt('sell', 10_400), BAR, ctx()).price).toBe(10_400);
    expect(matchOnDailyBar(lmt('sell', 10_400), bar({ open: 10_450 }), ctx()).price).toBe(10_450);
    expect(matchOnDailyBar(lmt('sell', 10_510), BAR, ctx()).reason).toBe('LIMIT_NOT_REACHED');
  });
  it('a limit beyond the day\'s band is an invalid order (§2.3); exactly at the limit is valid', () => {
    expect(matchOnDailyBar(lmt('buy', 11_010), BAR, ctx()).reason).toBe('PRICE_LIMIT');
    expect(matchOnDailyBar(lmt('sell', 8_990), BAR, ctx()).reason).toBe('PRICE_LIMIT');
    expect(matchOnDailyBar(lmt('buy', 11_000), BAR, ctx())).toMatchObject({ price: 10_100, status: 'filled' });
    expect(matchOnDailyBar(lmt('sell', 9_000), BAR, ctx())).toMatchObject({ price: 10_100, status: 'filled' });
  });
  it('on a day without a price limit any positive limit is valid', () => {
    expect(matchOnDailyBar(lmt('buy', 30_000), bar({ high: 25_000 }), ctx({ limits: null })).price).toBe(10_100);
  });
});

describe('price-limit days', () => {
  it('a buy on a bar sealed at limit-up is refused; a sell on it fills', () => {
    expect(matchOnDailyBar(mkt('buy'), sealed(11_000), ctx()).reason).toBe('PRICE_LIMIT');
    expect(matchOnDailyBar(lmt('buy', 11_000), sealed(11_000), ctx()).reason).toBe('PRICE_LIMIT');
    expect(matchOnDailyBar(mkt('sell'), sealed(11_000), ctx())).toMatchObject({ price: 11_000, status: 'filled' });
  });
  it('a limit-up day that traded below the limit lets a buy fill', () => {
    const opened = { open: 11_000, high: 11_000, low: 10_800, close: 11_000, volume: 80_000, amountFen: 87_000_000 };
    expect(matchOnDailyBar(mkt('buy'), opened, ctx())).toMatchObject({ price: 11_000, status: 'filled' });
    expect(matchOnDailyBar(lmt('buy', 10_900), opened, ctx())).toMatchObject({ price: 10_900, status: 'filled' });
    const closedUp = { open: 10_500, high: 11_000, low: 10_400, close: 11_000, volume: 80_000, amountFen: 86_000_000 };
    expect(matchOnDailyBar(mkt('buy'), closedUp, ctx()).price).toBe(10_500);
  });
  it('a sell on a bar sealed at limit-down is refused; a buy on it fills', () => {
    expect(matchOnDailyBar(mkt('sell'), sealed(9_000), ctx()).reason).toBe('PRICE_LIMIT');
    expect(matchOnDailyBar(mkt('buy'), sealed(9_000), ctx())).toMatchObject({ price: 9_000, status: 'filled' });
  });
  it('a flat bar on a day without limits is not "sealed"', () => {
    expect(matchOnDailyBar(mkt('buy'), sealed(11_000), ctx({ limits: null })).status).toBe('filled');
  });
});

describe('suspension and bad orders', () => {
  it('no bar, or a zero-volume bar, is a suspended day', () => {
    expect(matchOnDailyBar(mkt('buy'), null, ctx()).reason).toBe('SUSPENDED');
    expect(matchOnDailyBar(mkt('buy'), { open: 0, high: 0, low: 0, close: 0, volume: 0, amountFen: 0 }, ctx()).reason).toBe('SUSPENDED');
  });
  it.each<[string, MatchOrder]>([
    ['a buy off the lot', mkt('buy', 150)],
    ['a zero quantity', mkt('buy', 0)],
    ['a market order with a limit price', { side: 'buy', qty: 100, type: 'market', limitPrice: 10_000 }],
    ['a limit order without one', { side: 'buy', qty: 100, type: 'limit', limitPrice: null }],
    ['a limit price off the tick', lmt('buy', 10_005)],
    ['an odd sell that is not the whole position', mkt('sell', 150)],
  ])('%s is BAD_ORDER', (_name, order) => {
    expect(matchOnDailyBar(order, BAR, ctx({ heldQty: 250 })).reason).toBe('BAD_ORDER');
  });
});

describe('participation cap', () => {
  const tenPct = ctx({ participation: 0.1 });
  it('10% of 12,345 shares is 1,234: main board rounds down to 1,200, STAR keeps 1,234', () => {
    const b = bar({ volume: 12_345, amountFen: 12_468_450 });
    expect(matchOnDailyBar(mkt('buy', 5_000), b, tenPct)).toMatchObject({ filledQty: 1_200, status: 'partial', reason: 'VOLUME_LIMIT' });
    expect(matchOnDailyBar(mkt('buy', 5_000), b, ctx({ participation: 0.1, lot: STAR }))).toMatchObject({ filledQty: 1_234, status: 'partial' });
    expect(matchOnDailyBar(mkt('buy', 1_200), b, tenPct)).toMatchObject({ filledQty: 1_200, status: 'filled', reason: null });
  });
  it('a cap below one lot leaves the order unfilled', () => {
    expect(matchOnDailyBar(mkt('buy'), bar({ volume: 990 }), tenPct)).toMatchObject({ filledQty: 0, status: 'unfilled', reason: 'VOLUME_LIMIT' });
    expect(matchOnDailyBar(mkt('buy', 400), bar({ volume: 1_999 }), ctx({ participation: 0.1, lot: STAR })).reason).toBe('VOLUME_LIMIT');
  });
  it('a whole odd remainder sells only if it fits entirely; otherwise its round lots go', () => {
    const held = (volume: number) => matchOnDailyBar(mkt('sell', 150), bar({ volume }), ctx({ participation: 0.1, heldQty: 150 }));
    expect(held(1_500)).toMatchObject({ filledQty: 150, status: 'filled' });
    expect(held(1_490)).toMatchObject({ filledQty: 100, status: 'partial', reason: 'VOLUME_LIMIT' });
    expect(held(990)).toMatchObject({ filledQty: 0, status: 'unfilled', reason: 'VOLUME_LIMIT' });
    const star = matchOnDailyBar(mkt('sell', 150), bar({ volume: 1_400 }), ctx({ participation: 0.1, lot: STAR, heldQty: 150 }));
    expect(star).toMatchObject({ filledQty: 0, reason: 'VOLUME_LIMIT' });
  });
  it('quantity helpers: participation read to nine decimals, lots rounded down', () => {
    expect(0.29 * 100).toBeLessThan(29); // why the cap does not multiply floats
    expect(participationCap(100, 0.29)).toBe(29);
    expect(participationCap(12_345, 0.1)).toBe(1_234);
    expect(roundDownToLot(1_234, MAIN)).toBe(1_200);
    expect(roundDownToLot(199, STAR)).toBe(0);
    expect(fillableQty(150, 1_000, MAIN)).toBe(150);
    expect(isSellQtyValid(150, MAIN, 150)).toBe(true);
    expect(isSellQtyValid(150, MAIN, undefined)).toBe(false);
  });
});

describe('slippage in the matcher', () => {
  it('bps 5 on a buy at the 10.10 open: 10.10505 → 10.11; on a sell: 10.09495 → 10.09', () => {
    expect(matchOnDailyBar(mkt('buy'), BAR, ctx({ slippage: { kind: 'bps', bps: 5 } }))).toMatchObject({ price: 10_110, basePrice: 10_100 });
    expect(matchOnDailyBar(mkt('sell'), BAR, ctx({ slippage: { kind: 'bps', bps: 5 } })).price).toBe(10_090);
  });
  it('sqrt impact uses the filled quantity: 10,000 of 100,000 at k 0.5, σ 2% → 0.316% → 10.1319 → 10.14', () => {
    const r = matchOnDailyBar(mkt('buy', 10_000), BAR, ctx({ slippage: { kind: 'sqrtImpact', k: 0.5, dailyVolatility: 0.02 } }));
    expect(r).toMatchObject({ filledQty: 10_000, price: 10_140 });
  });
  it('is clamped into what traded: 1,000 ticks up from 10.10 stops at the 10.50 high, down from 10.30 at the 9.90 low', () => {
    expect(matchOnDailyBar(mkt('buy'), BAR, ctx({ slippage: { kind: 'ticks', ticks: 1_000 } })).price).toBe(10_500);
    expect(matchOnDailyBar(mkt('sell'), BAR, ctx({ marketPrice: 'close', slippage: { kind: 'ticks', ticks: 1_000 } })).price).toBe(9_900);
  });
  it('never carries a limit order beyond its limit', () => {
    expect(matchOnDailyBar(lmt('buy', 10_000), BAR, ctx({ slippage: { kind: 'ticks', ticks: 2 } })).price).toBe(10_000);
    expect(matchOnDailyBar(lmt('buy', 10_000), bar({ open: 9_950 }), ctx({ slippage: { kind: 'ticks', ticks: 2 } })).price).toBe(9_970);
    expect(matchOnDailyBar(lmt('sell', 10_400), BAR, ctx({ slippage: { kind: 'ticks', ticks: 5 } })).price).toBe(10_400);
  });
});

describe('broken inputs throw', () => {
  it.each<[string, MatchBar, Partial<MatchContext>]>([
    ['a bar above limit-up', bar({ high: 11_100 }), {}],
    ['a bar off the tick', bar({ close: 10_305 }), {}],
    ['open above the high', bar({ open: 10_600 }), {}],
    ['participation 0', BAR, { participation: 0 }],
    ['participation above 1', BAR, { participation: 1.5 }],
    ['an out-of-range slippage model', BAR, { slippage: { kind: 'bps', bps: -1 } }],
    ['limits off the tick', BAR, { limits: { up: 11_005, down: 9_000 } }],
  ])('%s', (_name, b, over) => {
    expect(() => matchOnDailyBar(mkt('buy'), b, ctx(over))).toThrow(RangeError);
  });
});
