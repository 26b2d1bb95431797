import { describe, expect, it } from 'vitest';
import type { DayBars } from '../../../src/domain/bars.js';
import { MultiFactorParamsSchema, multiFactor, winsorisedZScores, type MultiFactorParams } from '../../../src/domain/strategy/multiFactor.js';
import type { StrategyFundamentals, StrategyFundamentalsView } from '../../../src/domain/strategy/targetWeights.js';
import { closesOn, dayN, holding } from './fixtures.js';

const A = '600000.SH', B = '600001.SH', C = '600002.SH', D = '600003.SH';
const fundamentalsOf = (m: Record<string, Partial<StrategyFundamentals>>): StrategyFundamentalsView => ({
  get: (s) => (m[s] ? { pe: null, pb: null, roe: null, industry: null, ...m[s] } : undefined),
});

function lastTargets(p: MultiFactorParams, days: readonly DayBars[], f?: StrategyFundamentalsView) {
  const strat = multiFactor(p);
  let st = strat.init();
  let out: ReturnType<typeof strat.targets> = null;
  for (const bars of days) {
    st = strat.onBars(st, bars);
    out = strat.targets(st, bars, holding([]), f);
  }
  return out;
}

describe('winsorisedZScores', () => {
  it('(1, 2, 3) → (−1.2247, 0, 1.2247) with population σ', () => {
    const z = winsorisedZScores(new Map([[A, 1], [B, 2], [C, 3]]));
    expect(z.get(A)).toBeCloseTo(-Math.sqrt(1.5), 12);
    expect(z.get(B)).toBe(0);
  });
  it('one outlier among 11: z = √10 = 3.16 is clamped to 3', () => {
    const m = new Map(Array.from({ length: 11 }, (_, i) => [`S${i}`, i === 10 ? 1 : 0] as [string, number]));
    const z = winsorisedZScores(m);
    expect(z.get('S10')).toBe(3);
    expect(z.get('S0')).toBeCloseTo(-1 / Math.sqrt(10), 12);
  });
  it('groups of one or with σ = 0 score 0', () => {
    const z = winsorisedZScores(new Map([[A, 5], [B, 1], [C, 1]]), (s) => (s === A ? 'x' : 'y'));
    expect([...z.values()]).toEqual([0, 0, 0]);
  });
});

describe('multiFactor', () => {
  const today = [closesOn(dayN(0), { [A]: 10, [B]: 10, [C]: 10, [D]: 10 })];
  /**
   * value = 1/PE: A 0.1, B 0.05, C 0.2 → mean 0.11667, σ 0.062361 → z A −0.2673, B −1.0690, C 1.3363.
   * quality = ROE: A 0.20, B 0.10 (C unknown) → z A +1, B −1.
   * Composite over the factors each HAS: A (−0.2673 + 1)/2 = 0.3664, B −1.0345, C 1.3363 (value only);
   * D has no fundamentals and no price history → not ranked. Top 2: C, A.
   */
  const f = fundamentalsOf({ [A]: { pe: 10, roe: 0.2, industry: 'bank' }, [B]: { pe: 20, roe: 0.1, industry: 'bank' }, [C]: { pe: 5, industry: 'tech' } });
  it('value + quality, missing factors skipped', () => {
    expect(lastTargets({ weights: { value: 1, quality: 1 }, topN: 2, schedule: 'daily' }, today, f)).toEqual(new Map([[A, 0.5], [C, 0.5]]));
    expect(lastTargets({ weights: { value: 1, quality: 1 }, topN: 3, schedule: 'daily' }, today, f)).toEqual(new Map([[A, 1 / 3], [B, 1 / 3], [C, 1 / 3]]));
  });
  it('industry neutral: value z within bank (A +1, B −1) and tech (C alone, 0) → A first; globally C first', () => {
    expect(lastTargets({ weights: { value: 1 }, topN: 1, schedule: 'daily', industryNeutral: true }, today, f)).toEqual(new Map([[A, 1]]));
    expect(lastTargets({ weights: { value: 1 }, topN: 1, schedule: 'daily' }, today, f)).toEqual(new Map([[C, 1]]));
  });
  it('PE 0 is missing; a negative PE is a negative earnings yield', () => {
    const g = fundamentalsOf({ [A]: { pe: -5 }, [B]: { pe: 0 }, [C]: { pe: 50 } });
    expect(lastTargets({ weights: { value: 1 }, topN: 2, schedule: 'daily' }, today, g)).toEqual(new Map([[A, 0.5], [C, 0.5]]));
    expect(lastTargets({ weights: { value: 1 }, topN: 1, schedule: 'daily' }, today, g)).toEqual(new Map([[C, 1]]));
  });

  /**
   * Three bars, lookback 2, skip 0, volWindow 2:
   * A 10, 11, 12: momentum +0.2; returns 0.1, 0.0909 → σ 0.004545
   * B 10, 10, 10: momentum 0;     returns 0, 0        → σ 0
   * C 10, 9, 8:   momentum −0.2;  returns −0.1, −0.111 → σ 0.005556
   * Momentum alone picks A; low volatility (−σ) picks B.
   */
  const three = [[10, 10, 10], [11, 10, 9], [12, 10, 8]].map((c, i) => closesOn(dayN(i), { [A]: c[0]!, [B]: c[1]!, [C]: c[2]! }));
  it('price factors: momentum and low volatility', () => {
    const base = { topN: 1, lookback: 2, skip: 0, volWindow: 2, schedule: 'daily' as const };
    expect(lastTargets({ ...base, weights: { momentum: 1 } }, three)).toEqual(new Map([[A, 1]]));
    expect(lastTargets({ ...base, weights: { lowVol: 1 } }, three)).toEqual(new Map([[B, 1]]));
    expect(lastTargets({ ...base, weights: { lowVol: 1 } }, three.slice(0, 2))).toBeNull(); // not warm
  });

  it('schema: weights non-negative with one positive; unknown keys rejected', () => {
    expect(MultiFactorParamsSchema.safeParse({ weights: {}, topN: 5 }).success).toBe(false);
    expect(MultiFactorParamsSchema.safeParse({ weights: { value: -1, quality: 2 }, topN: 5 }).success).toBe(false);
    expect(MultiFactorParamsSchema.safeParse({ weights: { size: 1 }, topN: 5 }).success).toBe(false);
    expect(MultiFactorParamsSchema.parse({ weights: { value: 1 }, topN: 5 })).toMatchObject({ industryNeutral: false, lookback: 120, skip: 20, schedule: 'monthly' });
  });
});
