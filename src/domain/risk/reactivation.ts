import { z } from 'zod';
import type { TradingState } from './tradingState.js';
import { transitionTradingState, type TradingStateChange } from './tradingState.js';

/** The drawdown rule's `by`: the only REDUCING a re-activation policy may lift. */
export const DRAWDOWN_BY = 'risk:maxDrawdown';

/**
 * What brings the account back to ACTIVE after the drawdown limit moved it to REDUCING
 * (risk.yaml `drawdownReactivation`): `manual` — only a person (the default: the key is optional
 * and absent means manual, so configs written before it keep their hash); `afterDays: N` — at the
 * close of the N-th trading day after the limit was reached (a cooling-off period); `onRecovery:
 * PCT` — at the first close whose drawdown from the peak is under PCT; both — whichever comes
 * first. It never lifts a HALTED, nor a REDUCING a person or another rule set.
 */
export const DrawdownReactivationSchema = z.union([
  z.literal('manual'),
  z.strictObject({
    /** Trading days (the exchange calendar's) the account stays REDUCING before it trades again. */
    afterDays: z.number().int().min(1).max(2500).optional(),
    /** Drawdown from the peak, fraction, under which the account is ACTIVE again (below maxDrawdownPct). */
    onRecovery: z.number().gt(0).lt(1).optional(),
  }).refine((p) => p.afterDays !== undefined || p.onRecovery !== undefined, { message: 'name afterDays, onRecovery or both (or write manual)' }),
], { error: 'expected manual, or an object with afterDays (trading days) and/or onRecovery (a fraction, e.g. 0.05)' });
export type DrawdownReactivation = z.infer<typeof DrawdownReactivationSchema>;

/** What the policy reads at the close, after the day's equity is known. */
export interface ReactivationInput {
  readonly state: TradingState;
  /** The last TradingStateChanged (day, by), or null when none. */
  readonly lastChange: { readonly day: string; readonly by: string } | null;
  /** End-of-day equity and the peak the drawdown is measured from, fen. */
  readonly equityFen: number;
  readonly peakFen: number;
  /** Trading days after `lastChange.day` up to and including today (asked only for afterDays). */
  readonly tradingDaysSince: (day: string) => number;
  /** The drawdown limit, fraction: the reason quotes it. */
  readonly maxDrawdownPct: number;
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

/**
 * The policy's move REDUCING → ACTIVE at today's close (`by: policy:onRecovery` or
 * `policy:afterDays`, with the reason), or null. Recovery is checked first: when both hold on the
 * same close, the reason is the recovery. Absent or `manual`: always null.
 */
export function policyReactivation(policy: DrawdownReactivation | undefined, i: ReactivationInput, atMs: number): TradingStateChange | null {
  if (policy === undefined || policy === 'manual') return null;
  if (i.state !== 'REDUCING' || i.lastChange === null || i.lastChange.by !== DRAWDOWN_BY) return null;
  const since = i.lastChange.day;
  const peak = Math.max(i.peakFen, i.equityFen);
  const dd = peak > 0 ? (peak - i.equityFen) / peak : 0;
  const reset = 'the drawdown is measured afresh from this close';
  let by: string | null = null, why = '';
  if (policy.onRecovery !== undefined && dd < policy.onRecovery) {
    by = 'policy:onRecovery';
    why = `drawdown ${pct(dd)} is under the ${pct(policy.onRecovery)} of onRecovery (REDUCING since ${since}, limit ${pct(i.maxDrawdownPct)}); ${reset}`;
  } else if (policy.afterDays !== undefined) {
    const days = i.tradingDaysSince(since);
    if (days >= policy.afterDays) {
      by = 'policy:afterDays';
      why = `${days} trading days REDUCING since ${since} (afterDays ${policy.afterDays}), drawdown ${pct(dd)} (limit ${pct(i.maxDrawdownPct)}); ${reset}`;
    }
  }
  if (by === null) return null;
  const t = transitionTradingState('REDUCING', 'ACTIVE', by, why, atMs);
  return t.ok ? t.change : null;
}
