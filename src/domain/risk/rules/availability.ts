import { fail, heldQty, orderPrice, pass, valueFen, workingIndexOf, workingQty, type RiskRule } from './riskRule.js';

/**
 * Cash and position availability. Sells: held and sellable today (T+1, ashare-market-rules.md §4) net
 * of sells already working. Buys: estimated cost (notional at the order price plus fees) within cash
 * not already reserved by working buys. Unlike preTradeGate, pending sale proceeds are not counted.
 */
export const availability: RiskRule = (req, ctx) => {
  if (req.side === 'sell') {
    const pending = workingQty(ctx, req.symbol, 'sell');
    const free = heldQty(ctx, req.symbol) - pending;
    if (req.qty > free) return fail('INSUFFICIENT_POSITION', `sell ${req.qty} but ${free} held and not already for sale`);
    const sellable = (ctx.positions.get(req.symbol)?.sellable ?? 0) - pending;
    if (req.qty > sellable) return fail('T1_NOT_SELLABLE', `sell ${req.qty} but only ${sellable} sellable today (T+1)`);
    return pass;
  }
  const cost = ctx.buyCostFen(req.symbol, valueFen(orderPrice(req), req.qty));
  const free = ctx.cashFen - workingIndexOf(ctx).reservedFen;
  return cost > free ? fail('INSUFFICIENT_CASH', `needs ${cost} fen, ${free} fen free`) : pass;
};
