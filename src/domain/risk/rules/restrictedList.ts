import { fail, pass, type RiskRule } from './riskRule.js';

/** Restricted list: no order of either side in a listed symbol (e.g. insider or compliance lists). */
export const restrictedList: RiskRule = (req, _ctx, c) =>
  c.restrictedSymbols.includes(req.symbol) ? fail('RESTRICTED_SYMBOL', `${req.symbol} is on the restricted list`) : pass;
