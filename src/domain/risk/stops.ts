import { z } from 'zod';
import { mulDivRound, rateFromFraction } from '../money.js';
import type { TradingDay } from '../tradingDay.js';

/**
 * Protective exits (issue 6 item 4) as a pure decider over one long position and the day's bar.
 * A {@link StopDecision} is advice to sell, not a fill: the caller turns it into a sell order that
 * goes through the pre-trade gate like any other order (price limits, suspension, T+1 again), and
 * journals the decision, including a T+1-blocked one, so the record shows why nothing was sold.
 *
 * Daily bars only: loss-side stops trigger when the bar's LOW reaches their level, take-profit when
 * the HIGH reaches its level, the time stop on the count of trading days held. A suspended day
 * (bar null) triggers nothing. Levels are in 0.001 CNY, percentages are taken to the nearest ppb,
 * and levels round half-up to the 0.001 CNY (they are thresholds, not order prices: the order's
 * price is rounded to the tick where it is built).
 *
 * Precedence when several trigger on the same bar: loss-side (FIXED, ATR, TRAILING) before
 * TAKE_PROFIT before TIME. Among loss-side stops the one with the HIGHEST level wins, since a
 * falling price reaches it first; equal levels go FIXED, then ATR, then TRAILING.
 */

export type StopKind = 'FIXED' | 'TRAILING' | 'ATR' | 'TAKE_PROFIT' | 'TIME';

const pct = z.number().gt(0).lt(1);

export const StopRulesSchema = z.strictObject({
  /** Loss from entry that exits, e.g. 0.03 = −3% (the client's default, applied when the key is absent). */
  fixedPct: pct.default(0.03),
  /** Fall from the highest close since entry that exits. */
  trailingPct: pct.optional(),
  /** Exit `multiple` ATRs below entry; the ATR itself is market data, supplied per call. */
  atrMultiple: z.number().gt(0).optional(),
  /** Gain from entry that exits (may exceed 100%). */
  takeProfitPct: z.number().gt(0).optional(),
  /** Trading days held after which the position is closed. */
  maxHoldingDays: z.number().int().positive().optional(),
});
export type StopRulesConfig = z.infer<typeof StopRulesSchema>;

/** Stops to apply; an absent key is off (the schema above supplies the client's 3% fixed stop). */
export interface StopRules {
  readonly fixedPct?: number;
  readonly trailingPct?: number;
  readonly atr?: { readonly multiple: number; readonly atrMilli: number };
  readonly takeProfitPct?: number;
  readonly maxHoldingDays?: number;
}

export interface StopPosition {
  readonly symbol: string;
  /** Shares held. */
  readonly qty: number;
  /** Shares sellable today under T+1 (held minus bought today). */
  readonly sellable: number;
  /** Average entry price, 0.001 CNY. */
  readonly entryPriceMilli: number;
  readonly entryDay: TradingDay;
  /** Highest close since entry, 0.001 CNY, kept by {@link updateHighest}. */
  readonly highestCloseMilli: number;
}

export interface StopBar {
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

export interface StopDecision {
  readonly symbol: string;
  readonly day: TradingDay;
  readonly kind: StopKind;
  /** The stop's level (the close for TIME), 0.001 CNY. */
  readonly triggerPriceMilli: number;
  /** Shares to sell: the sellable quantity only; 0 when T+1 blocks the exit. */
  readonly qty: number;
  /** Present when the stop triggered but nothing may be sold today. */
  readonly blockedBy?: 'T1';
  readonly reason: string;
}

const PPB = 1_000_000_000;
const fmt = (m: number): string => (m / 1000).toFixed(3);

function checkPosition(p: StopPosition): void {
  const ok = Number.isSafeInteger(p.qty) && Number.isSafeInteger(p.sellable) && p.sellable >= 0 && p.sellable <= p.qty
    && Number.isSafeInteger(p.entryPriceMilli) && p.entryPriceMilli > 0 && Number.isSafeInteger(p.highestCloseMilli);
  if (!ok) throw new RangeError(`invalid stop position ${p.symbol}: qty ${p.qty}, sellable ${p.sellable}, entry ${p.entryPriceMilli}, highest ${p.highestCloseMilli}`);
}

function checkPct(name: string, v: number, max: number): number {
  if (!(v > 0 && v < max)) throw new RangeError(`${name} must be in (0, ${max}) (got ${v})`);
  return rateFromFraction(v);
}

interface Hit { readonly kind: StopKind; readonly level: number; readonly reason: string }

/**
 * The stop, if any, that fires on `bar` for `position` on `day` (see the module note for trigger
 * prices and precedence). `tradingDaysHeld` counts trading days since `entryDay` (the caller's
 * calendar). Returns null when nothing triggers, the bar is null (suspended) or nothing is held.
 */
export function evaluateStops(
  position: StopPosition, bar: StopBar | null, day: TradingDay, tradingDaysHeld: number, rules: StopRules,
): StopDecision | null {
  checkPosition(position);
  if (bar === null || position.qty === 0) return null;
  const entry = position.entryPriceMilli;
  const loss: Hit[] = [];
  if (rules.fixedPct !== undefined) {
    const level = mulDivRound(entry, PPB - checkPct('fixedPct', rules.fixedPct, 1), PPB, 'halfUp');
    if (bar.low <= level) loss.push({ kind: 'FIXED', level, reason: `low ${fmt(bar.low)} reached fixed stop ${fmt(level)} (entry ${fmt(entry)} − ${rules.fixedPct * 100}%)` });
  }
  if (rules.atr !== undefined) {
    const { multiple, atrMilli } = rules.atr;
    if (!(atrMilli > 0) || !Number.isSafeInteger(atrMilli)) throw new RangeError(`ATR must be a positive integer in 0.001 CNY (got ${atrMilli})`);
    const level = entry - mulDivRound(atrMilli, checkPct('atr.multiple', multiple, 1_000_000), PPB, 'halfUp');
    if (bar.low <= level) loss.push({ kind: 'ATR', level, reason: `low ${fmt(bar.low)} reached ATR stop ${fmt(level)} (entry ${fmt(entry)} − ${multiple} × ATR ${fmt(atrMilli)})` });
  }
  if (rules.trailingPct !== undefined) {
    const high = position.highestCloseMilli;
    const level = mulDivRound(high, PPB - checkPct('trailingPct', rules.trailingPct, 1), PPB, 'halfUp');
    if (bar.low <= level) loss.push({ kind: 'TRAILING', level, reason: `low ${fmt(bar.low)} reached trailing stop ${fmt(level)} (highest close ${fmt(high)} − ${rules.trailingPct * 100}%)` });
  }
  let hit: Hit | undefined = loss.reduce<Hit | undefined>((best, h) => (best === undefined || h.level > best.level ? h : best), undefined);
  if (hit === undefined && rules.takeProfitPct !== undefined) {
    const level = mulDivRound(entry, PPB + checkPct('takeProfitPct', rules.takeProfitPct, 1_000_000), PPB, 'halfUp');
    if (bar.high >= level) hit = { kind: 'TAKE_PROFIT', level, reason: `high ${fmt(bar.high)} reached take-profit ${fmt(level)} (entry ${fmt(entry)} + ${rules.takeProfitPct * 100}%)` };
  }
  if (hit === undefined && rules.maxHoldingDays !== undefined && tradingDaysHeld >= rules.maxHoldingDays) {
    hit = { kind: 'TIME', level: bar.close, reason: `held ${tradingDaysHeld} trading days since ${position.entryDay} (max ${rules.maxHoldingDays})` };
  }
  if (hit === undefined) return null;
  const base = { symbol: position.symbol, day, kind: hit.kind, triggerPriceMilli: hit.level };
  if (position.sellable === 0) {
    return { ...base, qty: 0, blockedBy: 'T1', reason: `${hit.reason}; nothing sellable today (T+1: all ${position.qty} shares bought today)` };
  }
  return { ...base, qty: position.sellable, reason: hit.reason };
}

/** The position with its highest close raised to `closeMilli` when higher (call after the day's evaluation). */
export function updateHighest<P extends { readonly highestCloseMilli: number }>(position: P, closeMilli: number): P {
  return closeMilli > position.highestCloseMilli ? { ...position, highestCloseMilli: closeMilli } : position;
}

/** Maps the validated config plus today's ATR (if any) to {@link StopRules}. */
export function stopRulesFrom(c: StopRulesConfig, atrMilli?: number): StopRules {
  return {
    fixedPct: c.fixedPct,
    ...(c.trailingPct !== undefined ? { trailingPct: c.trailingPct } : {}),
    ...(c.atrMultiple !== undefined && atrMilli !== undefined ? { atr: { multiple: c.atrMultiple, atrMilli } } : {}),
    ...(c.takeProfitPct !== undefined ? { takeProfitPct: c.takeProfitPct } : {}),
    ...(c.maxHoldingDays !== undefined ? { maxHoldingDays: c.maxHoldingDays } : {}),
  };
}
