import { findSimilar } from './rateWindow.js';
import { fail, pass, type RiskRule } from './riskRule.js';

/** Duplicate orders: the same symbol, side and quantity already sent within duplicateWindowSeconds. */
export const duplicate: RiskRule = (req, ctx, c) => {
  const from = ctx.nowMs - c.duplicateWindowSeconds * 1000;
  const d = findSimilar(ctx.recentOrders, req, from, ctx.nowMs);
  return d ? fail('DUPLICATE_ORDER', `${req.side} ${req.qty} ${req.symbol} was already sent ${ctx.nowMs - d.atMs} ms ago (window ${c.duplicateWindowSeconds}s)`) : pass;
};
