import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  SlippageModelSchema, impactFraction, parseSlippage, slippageProblem, slippedPrice, type SlippageModel,
} from '../../../src/domain/execution/matching.js';

const at = (m: SlippageModel, side: 'buy' | 'sell', price: number, qty = 1_000, barVolume = 1_000_000, tickMilli = 10): number =>
  slippedPrice(m, { side, price, qty, barVolume, tickMilli });

describe('slippedPrice (adverse, rounded to the tick against the trader, unclamped)', () => {
  it('none leaves the price alone', () => {
    expect(at({ kind: 'none' }, 'buy', 10_000)).toBe(10_000);
    expect(at({ kind: 'none' }, 'sell', 10_000)).toBe(10_000);
  });

  it('bps: 5 bp of 10.000 is 10.005 → buy 10.01 (ceil), sell 9.995 → 9.99 (floor)', () => {
    expect(at({ kind: 'bps', bps: 5 }, 'buy', 10_000)).toBe(10_010);
    expect(at({ kind: 'bps', bps: 5 }, 'sell', 10_000)).toBe(9_990);
  });

  it('bps with two decimals: 2.5 bp of 12.340 → 12.343085 buy 12.35, 12.336915 sell 12.33', () => {
    expect(at({ kind: 'bps', bps: 2.5 }, 'buy', 12_340)).toBe(12_350);
    expect(at({ kind: 'bps', bps: 2.5 }, 'sell', 12_340)).toBe(12_330);
  });

  it('bps that land exactly on a tick stay there: 100 bp of 10.000 → 10.10 / 9.90', () => {
    expect(at({ kind: 'bps', bps: 100 }, 'buy', 10_000)).toBe(10_100);
    expect(at({ kind: 'bps', bps: 100 }, 'sell', 10_000)).toBe(9_900);
  });

  it('ticks: 2 ticks of 0.01 on 10.000 → 10.02 / 9.98; fund tick 0.001 → 10.002 / 9.998', () => {
    expect(at({ kind: 'ticks', ticks: 2 }, 'buy', 10_000)).toBe(10_020);
    expect(at({ kind: 'ticks', ticks: 2 }, 'sell', 10_000)).toBe(9_980);
    expect(at({ kind: 'ticks', ticks: 2 }, 'buy', 10_000, 1_000, 1_000_000, 1)).toBe(10_002);
    expect(at({ kind: 'ticks', ticks: 2 }, 'sell', 10_000, 1_000, 1_000_000, 1)).toBe(9_998);
  });

  it('sqrtImpact: k 1, σ 3%, 40,000 of 1,000,000 → 1 × 0.03 × √0.04 = 0.6% → 20.000 buy 20.12, sell 19.88', () => {
    const m: SlippageModel = { kind: 'sqrtImpact', k: 1, dailyVolatility: 0.03 };
    expect(impactFraction(1, 0.03, 40_000, 1_000_000)).toBeCloseTo(0.006, 12);
    expect(at(m, 'buy', 20_000, 40_000)).toBe(20_120);
    expect(at(m, 'sell', 20_000, 40_000)).toBe(19_880);
  });

  it('sqrtImpact: k 0.5, σ 2%, 10,000 of 1,000,000 → 0.1% → 12.340 buy 12.35234 → 12.36, sell 12.32766 → 12.32', () => {
    const m: SlippageModel = { kind: 'sqrtImpact', k: 0.5, dailyVolatility: 0.02 };
    expect(at(m, 'buy', 12_340, 10_000)).toBe(12_360);
    expect(at(m, 'sell', 12_340, 10_000)).toBe(12_320);
  });

  it('sqrtImpact grows with the square root of the share of volume: 4× the quantity, 2× the impact', () => {
    expect(impactFraction(0.1, 0.02, 40_000, 1_000_000) / impactFraction(0.1, 0.02, 10_000, 1_000_000)).toBeCloseTo(2, 12);
    expect(impactFraction(0.1, 0.02, 0, 1_000_000)).toBe(0);
    expect(impactFraction(0.1, 0.02, 100, 0)).toBe(0);
  });
});

describe('parseSlippage', () => {
  it.each([
    ['none', { kind: 'none' }],
    ['bps:5', { kind: 'bps', bps: 5 }],
    ['bps:2.5', { kind: 'bps', bps: 2.5 }],
    [' ticks:1 ', { kind: 'ticks', ticks: 1 }],
    ['sqrt:0.1:0.02', { kind: 'sqrtImpact', k: 0.1, dailyVolatility: 0.02 }],
  ])('reads %j', (spec, model) => {
    const r = parseSlippage(spec);
    expect(isRight(r) && r.right).toEqual(model);
  });

  it.each([
    'bps', 'bps:', 'bps:-1', 'bps:abc', 'bps:1e3', 'ticks:1.5', 'sqrt:0.1', 'sqrt:0.1:0.02:3', 'fast', '', 'none:1',
    'bps:20000', 'bps:1.234', 'sqrt:0.1:2', 'sqrt:500:0.02',
  ])('rejects %j with a coded one-sentence error', (spec) => {
    const r = parseSlippage(spec);
    expect(isLeft(r)).toBe(true);
    if (isLeft(r)) {
      expect(r.left.code).toBe('SLIPPAGE_INVALID');
      expect(r.left.message).toMatch(/^Slippage ".*"[^\n]*\.$/);
    }
  });
});

describe('slippage models as config data', () => {
  it('the zod schema accepts the four kinds and rejects out-of-range or extra fields', () => {
    expect(SlippageModelSchema.safeParse({ kind: 'bps', bps: 5 }).success).toBe(true);
    expect(SlippageModelSchema.safeParse({ kind: 'sqrtImpact', k: 0.1, dailyVolatility: 0.02 }).success).toBe(true);
    expect(SlippageModelSchema.safeParse({ kind: 'none' }).success).toBe(true);
    expect(SlippageModelSchema.safeParse({ kind: 'ticks', ticks: 1.5 }).success).toBe(false);
    expect(SlippageModelSchema.safeParse({ kind: 'bps', bps: -1 }).success).toBe(false);
    expect(SlippageModelSchema.safeParse({ kind: 'none', bps: 5 }).success).toBe(false);
  });

  it('slippageProblem names the bound that was broken', () => {
    expect(slippageProblem({ kind: 'ticks', ticks: 1 })).toBeNull();
    expect(slippageProblem({ kind: 'sqrtImpact', k: 0.1, dailyVolatility: 2 })).toMatch(/daily volatility/);
    expect(slippageProblem({ kind: 'bps', bps: Number.NaN })).toMatch(/bps/);
  });
});
