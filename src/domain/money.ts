import type { Brand } from './brand.js';

/**
 * Integer units, each declared in its name:
 * - `Fen`: money in 0.01 CNY;
 * - `PriceMilli`: prices in 0.001 CNY (fund ticks are 0.001 CNY, stock ticks 0.01 CNY = 10 milli);
 * - `Shares`: quantities in shares (not lots);
 * - `RatePpb`: a rate in parts per billion (0.025% = 250_000 ppb; 0.00341‰ = 3_410 ppb).
 * Every division names its rounding; nothing is left to floating-point accident.
 */
export type Fen = Brand<number, 'Fen'>;
export type PriceMilli = Brand<number, 'PriceMilli'>;
export type Shares = Brand<number, 'Shares'>;
export type RatePpb = Brand<number, 'RatePpb'>;

export type Rounding = 'halfUp' | 'halfEven' | 'down' | 'up' | 'floor' | 'ceil';

export const fen = (n: number): Fen => n as Fen;
export const priceMilli = (n: number): PriceMilli => n as PriceMilli;
export const shares = (n: number): Shares => n as Shares;
export const ratePpb = (n: number): RatePpb => n as RatePpb;

const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * `n / d` for integers, rounded as named. `halfUp` rounds half away from zero (the exchanges'
 * 四舍五入), `down` towards zero, `floor`/`ceil` towards -∞/+∞.
 */
export function divRound(n: number, d: number, rounding: Rounding): number {
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d) || d === 0) {
    throw new RangeError(`divRound needs safe integers and d ≠ 0 (got ${n} / ${d})`);
  }
  if (d < 0) return divRound(-n, -d, rounding);
  const q = Math.trunc(n / d);
  const r = n - q * d; // exact: |r| < d
  if (r === 0) return q;
  const sign = n < 0 ? -1 : 1;
  const twice = 2 * Math.abs(r);
  switch (rounding) {
    case 'down': return q;
    case 'up': return q + sign;
    case 'floor': return sign < 0 ? q - 1 : q;
    case 'ceil': return sign > 0 ? q + 1 : q;
    case 'halfUp': return twice >= d ? q + sign : q;
    case 'halfEven': return twice > d || (twice === d && q % 2 !== 0) ? q + sign : q;
  }
}

/** `a × b / d` without intermediate overflow (falls back to BigInt when a × b leaves the safe range). */
export function mulDivRound(a: number, b: number, d: number, rounding: Rounding): number {
  const p = a * b;
  if (Math.abs(p) <= SAFE) return divRound(p, d, rounding);
  const bp = BigInt(a) * BigInt(b);
  const bd = BigInt(d);
  let q = bp / bd;
  const r = bp - q * bd;
  if (r !== 0n) {
    const neg = (bp < 0n) !== (bd < 0n);
    const sign = neg ? -1n : 1n;
    const ar = r < 0n ? -r : r, ad = bd < 0n ? -bd : bd;
    const twice = 2n * ar;
    const away = rounding === 'up' || (rounding === 'floor' && neg) || (rounding === 'ceil' && !neg)
      || (rounding === 'halfUp' && twice >= ad)
      || (rounding === 'halfEven' && (twice > ad || (twice === ad && q % 2n !== 0n)));
    if (away) q += sign;
  }
  const out = Number(q);
  if (!Number.isSafeInteger(out)) throw new RangeError(`mulDivRound result out of safe range: ${q}`);
  return out;
}

/** Turnover of `qty` shares at `price`, in fen, rounded half-up (price milli × shares / 10). */
export const notionalFen = (price: PriceMilli, qty: Shares): Fen => mulDivRound(price, qty, 10, 'halfUp') as Fen;

/** `amount × rate`, in fen, with the named rounding. */
export const applyRate = (amount: Fen, rate: RatePpb, rounding: Rounding): Fen =>
  mulDivRound(amount, rate, 1_000_000_000, rounding) as Fen;

/**
 * Parses a decimal string or number of CNY into an integer of `1/scale` CNY with the named rounding,
 * working on the decimal digits (so `'10.005'` at scale 100 half-up is 1001, which binary floats get wrong).
 */
export function decimalToInt(value: string | number, scale: 100 | 1000, rounding: Rounding): number {
  const s = typeof value === 'number' ? numberToPlainString(value) : value.trim();
  const m = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) throw new RangeError(`not a decimal number: ${JSON.stringify(value)}`);
  const neg = m[1] === '-';
  const digits = scale === 100 ? 2 : 3;
  const frac = (m[3] ?? '').padEnd(digits + 1, '0');
  const whole = BigInt(m[2]!) * BigInt(scale) + BigInt(frac.slice(0, digits));
  const rest = frac.slice(digits);
  const restNonZero = /[1-9]/.test(rest);
  const firstRest = Number(rest[0] ?? '0');
  const tail = rest.slice(1);
  let q = whole;
  if (restNonZero) {
    const half = firstRest > 5 || (firstRest === 5 && /[1-9]/.test(tail));
    const exactHalf = firstRest === 5 && !/[1-9]/.test(tail);
    const away = rounding === 'up' || (rounding === 'ceil' && !neg) || (rounding === 'floor' && neg)
      || (rounding === 'halfUp' && (half || exactHalf))
      || (rounding === 'halfEven' && (half || (exactHalf && q % 2n === 1n)));
    if (away) q += 1n;
  }
  const out = Number(neg ? -q : q);
  if (!Number.isSafeInteger(out)) throw new RangeError(`decimal out of range: ${JSON.stringify(value)}`);
  return out;
}

function numberToPlainString(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  // Shortest round-trip representation, never exponent form for the magnitudes we handle.
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

export const cnyToFen = (v: string | number, rounding: Rounding = 'halfUp'): Fen => decimalToInt(v, 100, rounding) as Fen;
export const cnyToPriceMilli = (v: string | number, rounding: Rounding = 'halfUp'): PriceMilli =>
  decimalToInt(v, 1000, rounding) as PriceMilli;

/** Fen as a CNY number (for display and reports only). */
export const fenToCny = (f: number): number => f / 100;
export const milliToCny = (p: number): number => p / 1000;

/** Formats fen as a fixed two-decimal CNY string without float rounding. */
export function formatFen(f: number): string {
  const neg = f < 0;
  const a = Math.abs(f);
  return `${neg ? '-' : ''}${Math.trunc(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** Formats a milli price as a CNY string with three decimals. */
export function formatMilli(p: number): string {
  const neg = p < 0;
  const a = Math.abs(p);
  return `${neg ? '-' : ''}${Math.trunc(a / 1000)}.${String(a % 1000).padStart(3, '0')}`;
}

/** Rounds a milli price to a tick (in milli) with the named rounding. */
export const roundToTick = (p: number, tickMilli: number, rounding: Rounding): PriceMilli =>
  (divRound(p, tickMilli, rounding) * tickMilli) as PriceMilli;

/** Converts a rate given as a fraction (0.00025) into parts per billion, exact for up to 9 decimals. */
export const rateFromFraction = (f: number): RatePpb => decimalToIntGeneric(f, 9) as RatePpb;

function decimalToIntGeneric(f: number, decimals: number): number {
  return Math.round(Number(f.toFixed(decimals)) * 10 ** decimals);
}
