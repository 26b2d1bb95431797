import { decimalToInt } from '../../domain/money.js';

const POW10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

/**
 * Exact parse of a plain decimal field ("12.34", "7", "-0.5") into an integer count of 10^-digits units,
 * without going through binary floats (a float parse of "10.005" is 10.00499…). NaN when the text is not
 * a plain decimal. Fraction digits beyond `digits` are rounded half-up exactly as `money.decimalToInt`
 * does (`extra = 'halfUp'`, only for 2 or 3 digits) or make the field invalid (`extra = 'reject'`) unless
 * they are zeros. This hand-written fast path exists because the bar reader converts ~25M prices.
 */
export function parseDecimalUnits(s: string, digits: 2 | 3 | 6, extra: 'halfUp' | 'reject'): number {
  return parseDecimalRange(s, 0, s.length, digits, extra);
}

/** `parseDecimalUnits` on `s.slice(from, to)` without making the slice (the reader's hot path). */
export function parseDecimalRange(s: string, from: number, to: number, digits: 2 | 3 | 6, extra: 'halfUp' | 'reject'): number {
  const n = to;
  let i = from;
  let neg = false;
  if (n > i && (s.charCodeAt(i) === 45 || s.charCodeAt(i) === 43)) { neg = s.charCodeAt(i) === 45; i++; }
  const intStart = i;
  let whole = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    whole = whole * 10 + c;
  }
  const intDigits = i - intStart;
  if (intDigits === 0 || intDigits > 15) return NaN;
  let frac = 0, fracDigits = 0, extraNonZero = false;
  if (i < n && s.charCodeAt(i) === 46) {
    for (i++; i < n; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return NaN;
      if (fracDigits < digits) { frac = frac * 10 + c; fracDigits++; } else if (c !== 0) extraNonZero = true;
    }
  }
  if (i !== n) return NaN;
  if (extraNonZero) {
    if (extra === 'reject' || digits === 6) return NaN;
    return decimalToInt(s.slice(from, to), digits === 2 ? 100 : 1000, 'halfUp');
  }
  const v = whole * POW10[digits]! + frac * POW10[digits - fracDigits]!;
  if (!Number.isSafeInteger(v)) return NaN;
  return neg && v !== 0 ? -v : v; // "-0" is 0, not -0
}

/** A whole number written in plain digits (optionally signed); NaN otherwise. */
export function parseWholeNumber(s: string): number {
  return parseWholeRange(s, 0, s.length);
}

/** `parseWholeNumber` on `s.slice(from, to)` without making the slice. */
export function parseWholeRange(s: string, from: number, to: number): number {
  const n = to;
  let i = from, neg = false;
  if (n > i && (s.charCodeAt(i) === 45 || s.charCodeAt(i) === 43)) { neg = s.charCodeAt(i) === 45; i++; }
  if (i === n || n - i > 15) return NaN;
  let v = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return neg && v !== 0 ? -v : v; // "-0" is 0, not -0
}

const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** `units` of 10^-digits as a decimal string with exactly `digits` decimals (no float formatting). */
export function formatUnits(units: number, digits: 2 | 3 | 6): string {
  const neg = units < 0;
  const a = neg ? -units : units;
  const p = POW10[digits]!;
  const whole = Math.floor(a / p), frac = a - whole * p;
  const f = digits === 2 ? PAD2[frac]! : digits === 3 ? PAD3[frac]! : String(frac).padStart(6, '0');
  return `${neg ? '-' : ''}${whole}.${f}`;
}
