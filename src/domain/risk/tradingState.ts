/**
 * The account's trading state (the kill switch): ACTIVE trades normally, REDUCING only sells what it
 * holds, HALTED denies every order. Each change records who made it and why.
 */
export type TradingState = 'ACTIVE' | 'REDUCING' | 'HALTED';

export interface TradingStateChange {
  readonly from: TradingState;
  readonly to: TradingState;
  /**
   * A person's name, `risk:<rule>` when a limit made the change, or `policy:<afterDays|onRecovery>`
   * when the configured drawdown re-activation policy lifted REDUCING (domain/risk/reactivation.ts).
   */
  readonly by: string;
  readonly why: string;
  readonly atMs: number;
}

export type TransitionResult =
  | { readonly ok: true; readonly change: TradingStateChange }
  | { readonly ok: false; readonly details: string };

const isAutomatic = (by: string): boolean => by.startsWith('risk:');
/** The configured re-activation policy speaks as `policy:*`; a person never does. */
export const isPolicy = (by: string): boolean => by.startsWith('policy:');

/**
 * Proposes a state change. Anyone may tighten (towards HALTED); only a person (not `risk:*`) may
 * loosen, so an automatic limit can never re-enable trading. The one exception is the configured
 * re-activation policy (`policy:*`), which may only move REDUCING to ACTIVE — never lift a HALTED,
 * never tighten. A change to the same state is refused.
 */
export function transitionTradingState(from: TradingState, to: TradingState, by: string, why: string, atMs: number): TransitionResult {
  if (by.trim() === '' || why.trim() === '') return { ok: false, details: 'a state change needs who made it and why' };
  if (from === to) return { ok: false, details: `already ${to}` };
  const rank: Record<TradingState, number> = { ACTIVE: 0, REDUCING: 1, HALTED: 2 };
  if (rank[to] < rank[from] && isAutomatic(by)) return { ok: false, details: `${by} may not loosen ${from} to ${to}: only a person can` };
  if (isPolicy(by) && !(from === 'REDUCING' && to === 'ACTIVE')) return { ok: false, details: `${by} may only move REDUCING to ACTIVE, not ${from} to ${to}` };
  return { ok: true, change: { from, to, by, why, atMs } };
}

/** The drawdown rule's automatic move: ACTIVE → REDUCING once equity is `maxDrawdownPct` below its peak. */
export function drawdownTransition(state: TradingState, equityFen: number, peakEquityFen: number, maxDrawdownPct: number, atMs: number): TradingStateChange | null {
  if (state !== 'ACTIVE' || peakEquityFen <= 0) return null;
  const dd = (peakEquityFen - equityFen) / peakEquityFen;
  if (dd < maxDrawdownPct) return null;
  const r = transitionTradingState(state, 'REDUCING', 'risk:maxDrawdown', `drawdown ${(dd * 100).toFixed(2)}% reached the ${(maxDrawdownPct * 100).toFixed(2)}% limit`, atMs);
  return r.ok ? r.change : null;
}

/** Pure fold over recorded changes. */
export const applyTradingStateChange = (_s: TradingState, c: TradingStateChange): TradingState => c.to;
