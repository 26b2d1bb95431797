import { fail, orderPrice, pass, projectedQty, valueFen, type RiskRule } from './riskRule.js';

/** Position size: held + working buys + this buy, valued at the order price, ≤ maxPositionPct of equity. */
export const positionSize: RiskRule = (req, ctx, c) => {
  if (req.side === 'sell') return pass;
  const v = valueFen(orderPrice(req), projectedQty(req, ctx));
  const cap = c.maxPositionPct * ctx.equityFen;
  return v > cap ? fail('POSITION_SIZE', `${req.symbol} would be ${v} fen, above ${c.maxPositionPct * 100}% of equity (${Math.floor(cap)} fen)`) : pass;
};
