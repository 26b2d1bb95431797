import { divRound, mulDivRound } from '../money.js';

/**
 * Stops on prices adjusted for corporate actions (issue 18 item 2). A stop compares the day's RAW
 * bar with references taken before an ex-day — the entry price and the highest close since entry —
 * so an ex-dividend or bonus-share gap (10送10 halves the price) would read as a loss. Instead, on
 * each ex-day the references move by the exchange's own ex-rights factor
 *
 *     f = preClose(ex-day) / close(day before)          (除权除息参考价 over the last close, §7.2)
 *
 * which is the backward-adjustment step the strategies' bars use (corporate/backAdjuster.ts): a stop
 * then measures the position's price path adjusted since entry, while its levels stay raw prices
 * (what the bar and the sell order use). The factor is applied in pieces, by what the journal says:
 * - `DividendEntitled`: by (mark − cash) / mark, as the portfolio marks the holding down;
 * - `SharesDistributed`: the share count grows, so the average cost per share already falls by
 *   held / (held + added), and the highest close is scaled by the same ratio;
 * - the ex-day's `BarsClosed`: by what is left, preClose / mark before the bar — 1 when the journaled
 *   actions explained the gap (up to the rounding of a reference price to the tick), the whole
 *   factor when none was journaled (a backtest on bars that models no bonus shares, a broker report
 *   still missing).
 * The product is f whichever way the journal splits it. Integers throughout: the entry's factor in
 * parts per billion, levels rounded half-up to the 0.001 CNY.
 */

/** One, in parts per billion: the entry factor of a position that has seen no ex-day. */
export const ADJUST_ONE_PPB = 1_000_000_000;

/** The references a stop moves on an ex-day: the highest close (0.001 CNY) and the entry's factor (ppb, absent = 1). */
export interface StopReferences {
  readonly highestCloseMilli: number;
  readonly entryAdjustPpb?: number;
}

const isPositive = (n: number): boolean => Number.isSafeInteger(n) && n > 0;

/**
 * `t` with its highest close and entry factor multiplied by `num / den` (half-up); `t` itself when
 * the factor is 1 or not a ratio of positive integers (a projection never throws). The entry factor
 * is left out while it is exactly one, so a journal without ex-days folds to the state it always did.
 */
export function scaleStopReferences<T extends StopReferences>(t: T, num: number, den: number): T {
  if (!isPositive(num) || !isPositive(den) || num === den || !isPositive(t.highestCloseMilli)) return t;
  const highestCloseMilli = Math.max(1, mulDivRound(t.highestCloseMilli, num, den, 'halfUp'));
  return withEntryAdjust({ ...t, highestCloseMilli }, Math.max(1, mulDivRound(t.entryAdjustPpb ?? ADJUST_ONE_PPB, num, den, 'halfUp')));
}

/** `t` with entry factor `ppb`, the key dropped when it is one. */
export function withEntryAdjust<T extends StopReferences>(t: T, ppb: number): T {
  if (ppb === ADJUST_ONE_PPB) {
    if (t.entryAdjustPpb === undefined) return t;
    const { entryAdjustPpb: _, ...rest } = t;
    return rest as T;
  }
  return { ...t, entryAdjustPpb: ppb };
}

/**
 * The ex-day step of a cash dividend: (mark − cash) / mark, as [num, den] in 0.001 CNY, with the cash
 * per share rounded half-up to the 0.001 CNY exactly as the portfolio marks the holding down.
 */
export function dividendStep(markMilli: number, cashPerShareMicro: number): readonly [number, number] {
  if (!isPositive(markMilli) || !Number.isSafeInteger(cashPerShareMicro) || cashPerShareMicro <= 0) return [1, 1];
  return [Math.max(1, markMilli - divRound(cashPerShareMicro, 1_000, 'halfUp')), markMilli];
}

/**
 * The entry factor after adding to a position: the adjusted cost of the shares held plus the new
 * buy's cost (at today's prices, so unadjusted), over the raw cost. `costFen` is the position's cost
 * before the buy, `buyCostFen` the fill's notional with fees.
 */
export function blendEntryAdjust(costFen: number, entryAdjustPpb: number | undefined, buyCostFen: number): number {
  const adj = entryAdjustPpb ?? ADJUST_ONE_PPB;
  const total = costFen + buyCostFen;
  if (adj === ADJUST_ONE_PPB || !isPositive(costFen) || !Number.isSafeInteger(buyCostFen) || buyCostFen < 0) return adj;
  return Math.max(1, mulDivRound(mulDivRound(costFen, adj, ADJUST_ONE_PPB, 'halfUp') + buyCostFen, ADJUST_ONE_PPB, total, 'halfUp'));
}

/**
 * The stop's entry price, 0.001 CNY: the average cost per share with buy fees (`costFen` for `qty`
 * shares; it survives bonus shares, which lower it), times the entry factor. Exactly the unadjusted
 * average (rounded to the nearest) when the factor is one.
 */
export function adjustedEntryMilli(costFen: number, qty: number, entryAdjustPpb: number | undefined): number {
  const cost = entryAdjustPpb === undefined || entryAdjustPpb === ADJUST_ONE_PPB ? costFen : mulDivRound(costFen, entryAdjustPpb, ADJUST_ONE_PPB, 'halfUp');
  return Math.max(1, Math.round((cost * 10) / qty));
}
