import { fail, heldQty, pass, type RiskRule } from './riskRule.js';

/** No naked short sales: a cash account sells only shares it holds (ashare-market-rules.md §9.5). */
export const noShort: RiskRule = (req, ctx) =>
  req.side === 'sell' && req.qty > heldQty(ctx, req.symbol)
    ? fail('SHORT_SALE', `sell ${req.qty} ${req.symbol} but only ${heldQty(ctx, req.symbol)} held: a cash account cannot sell short`)
    : pass;
