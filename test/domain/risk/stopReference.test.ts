import { describe, expect, it } from 'vitest';
import { ADJUST_ONE_PPB, adjustedEntryMilli, blendEntryAdjust, dividendStep, scaleStopReferences, withEntryAdjust } from '../../../src/domain/risk/stopReference.js';

describe('stop references on adjusted prices (issue 18 item 2)', () => {
  it('scales the highest close and the entry factor half-up; a factor of one or a malformed ratio changes nothing (projections never throw)', () => {
    const t = { symbol: 'A', highestCloseMilli: 10_500 };
    expect(scaleStopReferences(t, 9_500, 10_500)).toEqual({ symbol: 'A', highestCloseMilli: 9_500, entryAdjustPpb: 904_761_905 });
    expect(scaleStopReferences({ ...t, entryAdjustPpb: 500_000_000 }, 1, 3)).toEqual({ symbol: 'A', highestCloseMilli: 3_500, entryAdjustPpb: 166_666_667 });
    for (const [n, d] of [[7, 7], [0, 5], [5, 0], [-1, 5], [1.5, 3], [Number.NaN, 2]]) expect(scaleStopReferences(t, n!, d!)).toBe(t);
    // Back to exactly one: the key goes, so the canonical form is the one of a journal without ex-days.
    expect(scaleStopReferences({ ...t, entryAdjustPpb: 904_761_905 }, 10_500, 9_500)).toEqual({ symbol: 'A', highestCloseMilli: 11_605 });
    expect(withEntryAdjust({ symbol: 'A', highestCloseMilli: 1, entryAdjustPpb: 7 }, ADJUST_ONE_PPB)).toEqual({ symbol: 'A', highestCloseMilli: 1 });
  });

  it('the dividend step marks down by the cash rounded half-up to 0.001 CNY, as the portfolio does', () => {
    expect(dividendStep(10_500, 1_000_000)).toEqual([9_500, 10_500]);
    expect(dividendStep(10_500, 123_500)).toEqual([10_376, 10_500]); // 0.1235 → 0.124
    expect(dividendStep(100, 5_000_000)).toEqual([1, 100]); // never below 0.001 CNY
    expect(dividendStep(0, 1_000_000)).toEqual([1, 1]);
  });

  it('an add blends the factor by cost; the entry is the unadjusted average (rounded to the nearest) at factor one', () => {
    expect(blendEntryAdjust(1_000_500, 904_761_905, 950_500)).toBe(951_160_431);
    expect(blendEntryAdjust(1_000_500, undefined, 950_500)).toBe(ADJUST_ONE_PPB);
    expect(blendEntryAdjust(0, 904_761_905, 950_500)).toBe(904_761_905);
    expect(adjustedEntryMilli(1_000_500, 1000, undefined)).toBe(10_005);
    expect(adjustedEntryMilli(1_000_500, 2000, undefined)).toBe(5_003); // 5,002.5 → Math.round, as before
    expect(adjustedEntryMilli(1_000_500, 1000, 500_000_000)).toBe(5_003);
  });
});
