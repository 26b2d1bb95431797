import { fail, heldQty, pass, type RiskRule } from './riskRule.js';

/** Kill switch: HALTED denies everything; REDUCING allows only sells of shares held (they reduce). */
export const killSwitch: RiskRule = (req, ctx) => {
  if (ctx.state === 'HALTED') return fail('TRADING_HALTED', 'trading is HALTED: every order is denied');
  if (ctx.state === 'REDUCING') {
    if (req.side === 'buy') return fail('REDUCING_ONLY', 'the account is REDUCING: only sells that reduce a position are allowed');
    if (req.qty > heldQty(ctx, req.symbol)) return fail('REDUCING_ONLY', `the account is REDUCING: sell ${req.qty} exceeds the ${heldQty(ctx, req.symbol)} held`);
  }
  return pass;
};
