import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatUnits, parseDecimalUnits, parseWholeNumber } from '../../../src/adapters/bars/decimalField.js';
import { cnyToFen, cnyToPriceMilli } from '../../../src/domain/money.js';

// Invariant defended: the bar reader's hand-written fast parser gives exactly what the domain's
// exact decimal conversion (money.decimalToInt, half-up) gives, for every plain decimal string.
const decimal = fc.tuple(
  fc.constantFrom('', '-', '+'), fc.stringMatching(/^\d{1,9}$/), fc.option(fc.stringMatching(/^\d{0,8}$/), { nil: undefined }),
).map(([sign, whole, frac]) => `${sign}${whole}${frac === undefined ? '' : `.${frac}`}`);

describe('parseDecimalUnits', () => {
  it('equals cnyToPriceMilli (3 digits) and cnyToFen (2 digits) on any plain decimal', () => {
    fc.assert(fc.property(decimal, (s) => {
      expect(parseDecimalUnits(s, 3, 'halfUp')).toBe(cnyToPriceMilli(s));
      expect(parseDecimalUnits(s, 2, 'halfUp')).toBe(cnyToFen(s));
    }), { numRuns: 2_000 });
  });
  it('formatUnits then parseDecimalUnits is the identity', () => {
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.constantFrom(2 as const, 3 as const, 6 as const), (n, digits) => {
      expect(parseDecimalUnits(formatUnits(n, digits), digits, 'reject')).toBe(n);
    }));
  });
  it('hand cases: half-up on the decimal digits, NaN on anything not a plain decimal', () => {
    expect(parseDecimalUnits('10.005', 2, 'halfUp')).toBe(1001); // a float parse gives 10.00499…
    expect(parseDecimalUnits('11.0550', 2, 'halfUp')).toBe(1106);
    expect(parseDecimalUnits('-0', 3, 'halfUp')).toBe(0); // shrunk counterexample: was -0
    expect(parseDecimalUnits('0.1234560', 6, 'reject')).toBe(123_456); // trailing zeros are not extra precision
    expect(parseDecimalUnits('0.1234567', 6, 'reject')).toBeNaN();
    for (const s of ['', '.5', '1e3', '1.2.3', ' 1', '0x10', '-', '1,5', 'NaN']) expect(parseDecimalUnits(s, 3, 'halfUp')).toBeNaN();
  });
  it('parseWholeNumber takes digits only', () => {
    expect(parseWholeNumber('12300')).toBe(12_300);
    expect(parseWholeNumber('-100')).toBe(-100);
    for (const s of ['', '1.0', '1e2', '12a', '-']) expect(parseWholeNumber(s)).toBeNaN();
  });
});
