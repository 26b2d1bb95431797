import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exRightsReferencePrice } from '../../../src/domain/corporate/index.js';

// Invariant: the reference is the tick nearest the exact §7.2 rational (ties up), computed without
// floating point — checked against an independent exact computation in rationals (BigInt cross-multiplication).
describe('exRightsReferencePrice (property)', () => {
  it('is within half a tick of the exact reference, ties rounding up', () => {
    fc.assert(fc.property(
      fc.integer({ min: 100, max: 3_000_000 }), fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 0, max: 2_000_000 }),
      fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 10, max: 100_000 }), fc.constantFrom(1, 10),
      (prev, cash, bonus, conversion, rights, rightsPrice, tick) => {
        const num = BigInt(prev) * 1_000_000n - BigInt(cash) * 1000n + BigInt(rightsPrice) * BigInt(rights);
        const den = 1_000_000n + BigInt(bonus + conversion + rights);
        fc.pre(num >= den * BigInt(tick)); // at least one tick: otherwise it throws (tested elsewhere)
        const ref = BigInt(exRightsReferencePrice(prev, { cashPerShareMicro: cash, bonusPerShareMicro: bonus, conversionPerShareMicro: conversion, rightsPerShareMicro: rights, rightsPriceMilli: rightsPrice }, tick));
        expect(ref % BigInt(tick)).toBe(0n);
        // −tick/2 < exact − ref ≤ tick/2, in integers: −tick·den < 2·(num − ref·den) ≤ tick·den.
        const twice = 2n * (num - ref * den);
        expect(twice > -BigInt(tick) * den && twice <= BigInt(tick) * den).toBe(true);
      },
    ), { numRuns: 500 });
  });
});
