import type { RiskContext } from './riskRule.js';

/** Actions in the last second (nowMs-1000, nowMs] and today [dayStartMs, nowMs]. */
export function countRecent(ctx: RiskContext, actions: readonly { readonly atMs: number }[]): { second: number; day: number } {
  let second = 0, day = 0;
  for (const a of actions) {
    if (a.atMs > ctx.nowMs) continue;
    if (a.atMs > ctx.nowMs - 1000) second++;
    if (a.atMs >= ctx.dayStartMs) day++;
  }
  return { second, day };
}
