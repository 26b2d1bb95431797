import { z } from 'zod';
import type { RatePpb } from '../money.js';
import { isTradingDayString, type TradingDay } from '../tradingDay.js';

/**
 * Value types of the rule tables (config/market/*.yaml), written the way the reference writes them
 * ("0.05%", "0.0341‰", "0.01" CNY, "09:15") and parsed exactly into integers: decimal digits are
 * shifted, never multiplied as binary floats, and a value finer than the target unit is refused
 * rather than rounded.
 */

/** `s` (`"12.5"`, `"0.0255‰"`, `"10%"`) × 10^scaleExp as an exact integer; undefined when not exact. */
export function parseScaled(s: string, scaleExp: number, unit: 'percent' | 'none'): number | undefined {
  const m = unit === 'percent' ? /^(\d+)(?:\.(\d+))?\s*(%|‰)$/.exec(s.trim()) : /^(\d+)(?:\.(\d+))?()$/.exec(s.trim());
  if (!m) return undefined;
  const frac = m[2] ?? '';
  const unitExp = m[3] === '%' ? 2 : m[3] === '‰' ? 3 : 0;
  const shift = scaleExp - unitExp - frac.length;
  let n = BigInt(m[1]! + frac);
  if (shift >= 0) n *= 10n ** BigInt(shift);
  else {
    const d = 10n ** BigInt(-shift);
    if (n % d !== 0n) return undefined;
    n /= d;
  }
  const out = Number(n);
  return Number.isSafeInteger(out) ? out : undefined;
}

const scaled = (scaleExp: number, unit: 'percent' | 'none', what: string) =>
  z.string().transform((s, ctx) => {
    const v = parseScaled(s, scaleExp, unit);
    if (v === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be ${what} (got ${JSON.stringify(s)})` });
      return z.NEVER;
    }
    return v;
  });

/** A rate such as "0.05%" or "0.0341‰" → parts per billion. */
export const zRatePpb = scaled(9, 'percent', 'a rate written like "0.05%" or "0.0341‰", exact to 1 ppb').transform((v) => v as RatePpb);
/** A price band such as "10%" → basis points (1000 = 10%), below 100%. */
export const zBandBp = scaled(4, 'percent', 'a band written like "10%", exact to 0.01%').refine((v) => v < 10_000, 'must be below 100%');
/** A price in CNY such as "0.01" → 0.001 CNY (milli). */
export const zCnyMilli = scaled(3, 'none', 'an amount of CNY written like "0.01", exact to 0.001').refine((v) => v > 0, 'must be positive');
/** An amount in CNY such as "5.00" → fen. */
export const zCnyFen = scaled(2, 'none', 'an amount of CNY written like "5.00", exact to 0.01');

export const zDay = z
  .string()
  .refine(isTradingDayString, 'must be a date written YYYY-MM-DD')
  .transform((s) => s as TradingDay);

/** Exchange time `HH:MM` (Beijing time, no DST). */
export const zClock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time written HH:MM');

export const zSource = z.string().min(10, 'must name its source (reference tag and what it is)');

/** Fields every dated row carries: in force from `from` to `to` (inclusive; open-ended without `to`). */
export const datedFields = { from: zDay, to: zDay.optional(), source: zSource, note: z.string().optional() };

/** Refinement for rows with `datedFields`: `to` must not precede `from`. */
export const toNotBeforeFrom = (v: { from: string; to?: string | undefined }, ctx: z.RefinementCtx): void => {
  if (v.to !== undefined && v.to < v.from) ctx.addIssue({ code: 'custom', message: `${v.to} is before from ${v.from}`, path: ['to'] });
};
