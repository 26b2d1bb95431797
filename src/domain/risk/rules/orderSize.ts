import { fail, orderPrice, pass, valueFen, type RiskRule } from './riskRule.js';

/** Order caps: quantity ≤ maxOrderQty and notional at the order price ≤ maxOrderNotionalCny (both sides). */
export const orderSize: RiskRule = (req, _ctx, c) => {
  if (req.qty > c.maxOrderQty) return fail('ORDER_QTY_CAP', `${req.qty} shares exceeds maxOrderQty ${c.maxOrderQty}`);
  const n = valueFen(orderPrice(req), req.qty);
  const cap = Math.round(c.maxOrderNotionalCny * 100);
  return n > cap ? fail('ORDER_NOTIONAL_CAP', `notional ${n} fen exceeds maxOrderNotionalCny (${cap} fen)`) : pass;
};
