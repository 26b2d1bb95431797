import { countRecent } from './rateWindow.js';
import { fail, pass, type RiskContext, type RiskRule } from './riskRule.js';
import type { RiskConfig } from '../riskConfig.js';

/**
 * Cancel rate: an account that has used its cancel budget (per second or per day) places no new
 * orders, since it could not cancel them (§9.2 counts orders and cancels together; 频繁瞬时撤单).
 */
export const cancelRate: RiskRule = (_req, ctx, c) => {
  const n = countRecent(ctx, ctx.recentCancels);
  if (n.second >= c.cancelRate.perSecond) return fail('CANCEL_RATE', `${n.second} cancels in the last second; the cap is ${c.cancelRate.perSecond}`);
  if (n.day >= c.cancelRate.perDay) return fail('CANCEL_RATE', `${n.day} cancels today; the cap is ${c.cancelRate.perDay}`);
  return pass;
};

/** Whether one more cancel stays within cancelRate (for the engine's cancel path). */
export function canCancel(ctx: RiskContext, c: RiskConfig): boolean {
  const n = countRecent(ctx, ctx.recentCancels);
  return n.second + 1 <= c.cancelRate.perSecond && n.day + 1 <= c.cancelRate.perDay;
}
