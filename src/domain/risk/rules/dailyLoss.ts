import { fail, pass, type RiskRule } from './riskRule.js';

/** Daily loss limit: once equity is dailyLossLimitPct below the start of the day, no more buys today. */
export const dailyLoss: RiskRule = (req, ctx, c) => {
  if (req.side === 'sell') return pass;
  const loss = ctx.startOfDayEquityFen - ctx.equityFen;
  return loss >= c.dailyLossLimitPct * ctx.startOfDayEquityFen
    ? fail('DAILY_LOSS_LIMIT', `down ${loss} fen today, at or past ${c.dailyLossLimitPct * 100}% of the start-of-day equity ${ctx.startOfDayEquityFen} fen`)
    : pass;
};
