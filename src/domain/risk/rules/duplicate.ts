import { fail, pass, type RiskRule } from './riskRule.js';

/** Duplicate orders: the same symbol, side and quantity already sent within duplicateWindowSeconds. */
export const duplicate: RiskRule = (req, ctx, c) => {
  const from = ctx.nowMs - c.duplicateWindowSeconds * 1000;
  const d = ctx.recentOrders.find((o) => o.symbol === req.symbol && o.side === req.side && o.qty === req.qty && o.atMs > from && o.atMs <= ctx.nowMs);
  return d ? fail('DUPLICATE_ORDER', `${req.side} ${req.qty} ${req.symbol} was already sent ${ctx.nowMs - d.atMs} ms ago (window ${c.duplicateWindowSeconds}s)`) : pass;
};
