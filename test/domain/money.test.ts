import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyRate, cnyToFen, cnyToPriceMilli, decimalToInt, divRound, fen, formatFen, formatMilli, mulDivRound, notionalFen,
  priceMilli, ratePpb, rateFromFraction, roundToTick, shares, type Rounding,
} from '../../src/domain/money.js';

const MODES: readonly Rounding[] = ['halfUp', 'halfEven', 'down', 'up', 'floor', 'ceil'];

// `+ 0` turns a -0 into 0 so that the table compares values, not the sign of zero.
const plain = (x: number): number => x + 0;

describe('divRound', () => {
  // n, d, then the expected result for halfUp, halfEven, down, up, floor, ceil (worked by hand).
  const table: ReadonlyArray<readonly [number, number, readonly [number, number, number, number, number, number]]> = [
    [7, 2, [4, 4, 3, 4, 3, 4]], // 3.5
    [5, 2, [3, 2, 2, 3, 2, 3]], // 2.5: half-even goes to the even 2
    [-7, 2, [-4, -4, -3, -4, -4, -3]], // -3.5
    [-5, 2, [-3, -2, -2, -3, -3, -2]], // -2.5
    [7, -2, [-4, -4, -3, -4, -4, -3]], // -3.5 via a negative divisor
    [-5, -2, [3, 2, 2, 3, 2, 3]], // 2.5 via two negatives
    [1, 2, [1, 0, 0, 1, 0, 1]], // 0.5
    [-1, 2, [-1, 0, 0, -1, -1, 0]], // -0.5
    [7, 3, [2, 2, 2, 3, 2, 3]], // 2.333…
    [8, 3, [3, 3, 2, 3, 2, 3]], // 2.666…
    [-7, 3, [-2, -2, -2, -3, -3, -2]], // -2.333…
    [-8, 3, [-3, -3, -2, -3, -3, -2]], // -2.666…
    [6, 3, [2, 2, 2, 2, 2, 2]], // exact
    [-6, 3, [-2, -2, -2, -2, -2, -2]], // exact negative
    [0, 7, [0, 0, 0, 0, 0, 0]],
    [1_000_005, 10, [100_001, 100_000, 100_000, 100_001, 100_000, 100_001]], // 100000.5
    [1_000_015, 10, [100_002, 100_002, 100_001, 100_002, 100_001, 100_002]], // 100001.5: odd → up for half-even
  ];
  for (const [n, d, expected] of table) {
    MODES.forEach((mode, i) => {
      it(`${n} / ${d} ${mode} = ${expected[i]}`, () => {
        expect(plain(divRound(n, d, mode))).toBe(expected[i]);
      });
    });
  }

  // Invariant: for every safe integer n and d ≠ 0, divRound is the exact rational n/d rounded as
  // named — the float division inside never leaks (quotients near 2^53 included).
  it('agrees with a BigInt reference over the whole safe range (property)', () => {
    const safe = fc.oneof(fc.maxSafeInteger(), fc.integer({ min: -1_000, max: 1_000 }), fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER));
    const divisor = fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: -100, max: -1 }), fc.maxSafeInteger().filter((d) => d !== 0));
    fc.assert(fc.property(safe, divisor, fc.constantFrom(...MODES), (n, d, mode) => {
      expect(plain(divRound(n, d, mode))).toBe(Number(refMulDiv(BigInt(n), 1n, BigInt(d), mode)));
    }), { numRuns: 3000 });
  });

  it('refuses a zero divisor and non-integers or unsafe integers', () => {
    expect(() => divRound(1, 0, 'halfUp')).toThrow(RangeError);
    expect(() => divRound(1.5, 2, 'halfUp')).toThrow(RangeError);
    expect(() => divRound(2 ** 53, 3, 'halfUp')).toThrow(RangeError);
  });
});

/** Reference rounding on BigInt by a different route: floor division plus a remainder in [0, d). */
function refMulDiv(a: bigint, b: bigint, d: bigint, mode: Rounding): bigint {
  let n = a * b;
  if (d < 0n) { n = -n; d = -d; }
  let q = n / d;
  if (n < 0n && q * d !== n) q -= 1n; // floor
  const r = n - q * d; // 0 ≤ r < d
  if (r === 0n) return q;
  const twice = 2n * r;
  switch (mode) {
    case 'floor': return q;
    case 'ceil': return q + 1n;
    case 'down': return n >= 0n ? q : q + 1n;
    case 'up': return n >= 0n ? q + 1n : q;
    case 'halfUp': return twice > d || (twice === d && n >= 0n) ? q + 1n : q;
    case 'halfEven': return twice > d || (twice === d && q % 2n !== 0n) ? q + 1n : q;
  }
}

describe('mulDivRound', () => {
  // (10^12 + 1)(10^4 + 1) = 10001000000010001, odd and above 2^53: as a float it becomes
  // 10001000000010000, so a float path would see an exact quotient and never round.
  const a = 1_000_000_000_001, b = 10_001;
  it.each([
    ['halfUp', 5_000_500_000_005_001],
    ['halfEven', 5_000_500_000_005_000],
    ['down', 5_000_500_000_005_000],
    ['up', 5_000_500_000_005_001],
    ['floor', 5_000_500_000_005_000],
    ['ceil', 5_000_500_000_005_001],
  ] as const)('takes the BigInt path above 2^53: a×b/2 %s', (mode, expected) => {
    expect(a * b).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
    expect(mulDivRound(a, b, 2, mode)).toBe(expected);
  });

  it.each([
    ['halfUp', -5_000_500_000_005_001],
    ['halfEven', -5_000_500_000_005_000],
    ['down', -5_000_500_000_005_000],
    ['up', -5_000_500_000_005_001],
    ['floor', -5_000_500_000_005_001],
    ['ceil', -5_000_500_000_005_000],
  ] as const)('BigInt path with a negative operand: −a×b/2 %s', (mode, expected) => {
    expect(mulDivRound(-a, b, 2, mode)).toBe(expected);
    expect(mulDivRound(a, b, -2, mode)).toBe(expected);
  });

  it('throws when the quotient itself leaves the safe range', () => {
    expect(() => mulDivRound(2 ** 40, 2 ** 40, 3, 'halfUp')).toThrow(RangeError);
  });

  it('small operands take the plain path and agree with divRound', () => {
    expect(mulDivRound(10_005, 1, 10, 'halfUp')).toBe(1_001);
    expect(mulDivRound(10_005, 1, 10, 'halfEven')).toBe(1_000);
  });

  // Invariant: for any safe integers a, b and d ≠ 0, mulDivRound equals the exact rational a×b/d
  // rounded as named (computed here in BigInt), or throws when that result is not a safe integer.
  it('agrees with a BigInt reference, including products beyond 2^53 (property)', () => {
    const big = fc.integer({ min: -(2 ** 46), max: 2 ** 46 });
    const small = fc.integer({ min: -1_000_000, max: 1_000_000 });
    const operand = fc.oneof(big, small);
    const divisor = fc.oneof(
      fc.integer({ min: 1, max: 2 ** 52 }), fc.integer({ min: -(2 ** 52), max: -1 }), fc.integer({ min: 1, max: 20 }),
    );
    fc.assert(fc.property(operand, operand, divisor, fc.constantFrom(...MODES), (x, y, d, mode) => {
      const ref = refMulDiv(BigInt(x), BigInt(y), BigInt(d), mode);
      const safe = ref >= BigInt(-Number.MAX_SAFE_INTEGER) && ref <= BigInt(Number.MAX_SAFE_INTEGER);
      if (safe) expect(plain(mulDivRound(x, y, d, mode))).toBe(Number(ref));
      else expect(() => mulDivRound(x, y, d, mode)).toThrow(RangeError);
    }), { numRuns: 3000 });
  });

  it('a large product beyond 2^53 with a safe quotient matches the reference', () => {
    // The case the BigInt branch exists for, pinned so that it runs on every seed.
    const x = 2 ** 46 - 1, y = 2 ** 46 - 3, d = 2 ** 41 + 7;
    expect(x * y).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
    expect(mulDivRound(x, y, d, 'halfUp')).toBe(Number(refMulDiv(BigInt(x), BigInt(y), BigInt(d), 'halfUp')));
  });
});

describe('decimalToInt / cnyToFen / cnyToPriceMilli', () => {
  it('rounds on the decimal digits where binary floats fail', () => {
    expect(Math.round(1.005 * 100)).toBe(100); // the float trap this function avoids
    expect(cnyToFen('1.005')).toBe(101);
    expect(cnyToFen(1.005)).toBe(101);
    expect((2.675).toFixed(2)).toBe('2.67'); // another float trap
    expect(cnyToFen('2.675')).toBe(268);
    expect(cnyToFen(2.675)).toBe(268);
    expect(cnyToFen('10.005')).toBe(1_001);
    expect(cnyToFen('-0.005')).toBe(-1);
    expect(cnyToFen('-2.675')).toBe(-268);
  });

  it.each([
    // value, rounding, fen
    ['1.005', 'halfUp', 101], ['1.005', 'halfEven', 100], ['1.015', 'halfEven', 102], ['1.0051', 'halfEven', 101],
    ['1.005', 'down', 100], ['1.005', 'up', 101], ['1.005', 'floor', 100], ['1.005', 'ceil', 101],
    ['-1.005', 'halfUp', -101], ['-1.005', 'halfEven', -100], ['-1.005', 'down', -100], ['-1.005', 'up', -101],
    ['-1.005', 'floor', -101], ['-1.005', 'ceil', -100],
    ['-0.005', 'halfUp', -1], ['-0.005', 'halfEven', 0], ['-0.005', 'down', 0], ['-0.005', 'floor', -1], ['-0.005', 'ceil', 0],
    ['1.0049999', 'halfUp', 100], ['1.0050000', 'halfUp', 101], ['1.00', 'up', 100], ['1.0000001', 'up', 101],
    ['5.', 'halfUp', 500], ['  12.3 ', 'halfUp', 1_230], ['+1.5', 'halfUp', 150], ['0', 'halfUp', 0],
  ] as const)('cnyToFen(%j, %s) = %d', (v, mode, expected) => {
    expect(plain(cnyToFen(v, mode))).toBe(expected);
  });

  it('prices in milli: three decimals', () => {
    expect(cnyToPriceMilli('10.0005')).toBe(10_001);
    expect(cnyToPriceMilli('1.2345', 'halfEven')).toBe(1_234);
    expect(cnyToPriceMilli('1.23451', 'halfEven')).toBe(1_235);
    expect(cnyToPriceMilli('1.2355', 'halfEven')).toBe(1_236);
    expect(cnyToPriceMilli(1688.88)).toBe(1_688_880);
    expect(decimalToInt('0.0015', 1000, 'halfUp')).toBe(2);
  });

  it('numbers in exponent form are expanded, not refused', () => {
    expect(cnyToPriceMilli(1e-7)).toBe(0);
    expect(cnyToPriceMilli(1e-7, 'up')).toBe(1);
  });

  it.each(['abc', '', '1e5', '.5', '1.2.3', '1,5', '--1'])('refuses %j', (v) => {
    expect(() => cnyToFen(v)).toThrow(RangeError);
  });

  it('refuses non-finite numbers and values beyond the safe range', () => {
    expect(() => cnyToFen(Number.NaN)).toThrow(RangeError);
    expect(() => cnyToFen(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => cnyToFen('100000000000000000')).toThrow(RangeError);
  });
});

describe('notionalFen and applyRate', () => {
  it('turnover in fen = price milli × shares / 10, half-up', () => {
    expect(notionalFen(priceMilli(10_000), shares(10_000))).toBe(10_000_000); // 10.00 × 10,000 = 100,000.00 CNY
    expect(notionalFen(priceMilli(10_005), shares(1))).toBe(1_001); // 10.005 CNY → 10.01
    expect(notionalFen(priceMilli(1_234), shares(3))).toBe(370); // 3.702 → 3.70
    expect(notionalFen(priceMilli(1_688_880), shares(100))).toBe(16_888_800);
  });

  it('applies a rate in parts per billion', () => {
    expect(applyRate(fen(10_000_000), ratePpb(1_000_000), 'halfUp')).toBe(10_000); // 0.1% of 100,000 CNY
    expect(applyRate(fen(1_001_000), ratePpb(500_000), 'halfUp')).toBe(501); // 500.5 → 501
    expect(applyRate(fen(1_001_000), ratePpb(500_000), 'down')).toBe(500);
  });
});

describe('formatFen / formatMilli', () => {
  it.each([
    [12_345, '123.45'], [-5, '-0.05'], [0, '0.00'], [100, '1.00'], [-100_050, '-1000.50'], [7, '0.07'],
  ])('formatFen(%d) = %s', (f, s) => expect(formatFen(f)).toBe(s));

  it.each([
    [10_005, '10.005'], [-1, '-0.001'], [1_000, '1.000'], [0, '0.000'], [1_688_880, '1688.880'], [-12_340, '-12.340'],
  ])('formatMilli(%d) = %s', (p, s) => expect(formatMilli(p)).toBe(s));
});

describe('roundToTick', () => {
  it.each([
    [10_005, 10, 'halfUp', 10_010], [10_005, 10, 'halfEven', 10_000], [10_015, 10, 'halfEven', 10_020],
    [10_004, 10, 'halfUp', 10_000], [10_006, 10, 'down', 10_000], [10_001, 10, 'up', 10_010],
    [10_001, 1, 'halfUp', 10_001], [10_010, 10, 'up', 10_010],
  ] as const)('roundToTick(%d, %d, %s) = %d', (p, tick, mode, expected) => {
    expect(roundToTick(p, tick, mode)).toBe(expected);
  });
});

describe('rateFromFraction', () => {
  it.each([
    [0.00025, 250_000], // commission 0.025%
    [0.001, 1_000_000], // stamp duty 0.1%
    [0.0005, 500_000], // stamp duty 0.05%
    [0.00002, 20_000], // transfer fee 0.02‰
    [0.00001, 10_000], // transfer fee 0.01‰
    [0.00000341, 3_410], // 0.00341‰
    [0.1, 100_000_000],
  ])('rateFromFraction(%d) = %d ppb', (f, ppb) => expect(rateFromFraction(f)).toBe(ppb));
});
