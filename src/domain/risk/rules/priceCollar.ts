import { fail, orderPrice, pass, type RiskRule } from './riskRule.js';

/**
 * Price collar: the order price (limit, or reference for a market order) within ±priceCollarPct of
 * the last price, and, with withinDailyBand, inside the day's limit-down…limit-up band (§2).
 */
export const priceCollar: RiskRule = (req, ctx, c) => {
  const last = ctx.lastPrice(req.symbol);
  if (last === undefined || last <= 0) return fail('MISSING_RISK_DATA', `no last price for ${req.symbol}: the collar cannot be checked`);
  const p = orderPrice(req);
  if (Math.abs(p - last) > c.priceCollarPct * last) {
    return fail('PRICE_COLLAR', `price ${p} is more than ${c.priceCollarPct * 100}% from the last price ${last} (0.001 CNY)`);
  }
  if (c.withinDailyBand) {
    const band = ctx.dailyBand(req.symbol);
    if (band && (p > band.up || p < band.down)) return fail('OUTSIDE_DAILY_BAND', `price ${p} is outside the day's band ${band.down}…${band.up}`);
  }
  return pass;
};
