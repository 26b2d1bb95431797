import { countRecent } from './rateWindow.js';
import { fail, pass, type RiskRule } from './riskRule.js';

/**
 * Order rate: this order may not make the account's orders exceed orderRate per second or per day.
 * The caps sit well under the exchanges' HFT thresholds (ashare-market-rules.md §9.2), checked at load.
 */
export const orderRate: RiskRule = (_req, ctx, c) => {
  const n = countRecent(ctx, ctx.recentOrders);
  if (n.second + 1 > c.orderRate.perSecond) return fail('ORDER_RATE', `${n.second} orders in the last second; the cap is ${c.orderRate.perSecond}`);
  if (n.day + 1 > c.orderRate.perDay) return fail('ORDER_RATE', `${n.day} orders today; the cap is ${c.orderRate.perDay}`);
  return pass;
};
