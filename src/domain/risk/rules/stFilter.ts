import { fail, pass, type RiskRule } from './riskRule.js';

/** ST filter: with allowSt false, no buys of ST/*ST stocks; selling one that became ST stays allowed. */
export const stFilter: RiskRule = (req, ctx, c) =>
  !c.allowSt && req.side === 'buy' && ctx.isSt(req.symbol) ? fail('ST_NOT_ALLOWED', `${req.symbol} is under risk warning (ST) and allowSt is false`) : pass;
