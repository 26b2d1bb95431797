import { fail, pass, type RiskRule } from './riskRule.js';

/**
 * Max drawdown: at maxDrawdownPct below the equity peak only sells pass. The engine also records the
 * move to REDUCING (tradingState.drawdownTransition); this rule denies buys even before it has.
 */
export const maxDrawdown: RiskRule = (req, ctx, c) => {
  if (req.side === 'sell' || ctx.peakEquityFen <= 0) return pass;
  const dd = ctx.peakEquityFen - ctx.equityFen;
  return dd >= c.maxDrawdownPct * ctx.peakEquityFen
    ? fail('MAX_DRAWDOWN', `equity ${ctx.equityFen} fen is at or past ${c.maxDrawdownPct * 100}% below its peak ${ctx.peakEquityFen} fen: sells only`)
    : pass;
};
