import { fail, pass, projectedQty, type RiskRule } from './riskRule.js';

/**
 * Shareholding disclosure: a buy may not take holdings (held + working buys + this order) to
 * disclosureThresholdPct of issued shares; reaching 5% requires reporting and freezes trading
 * (ashare-market-rules.md §9.4). Unknown issued shares deny the buy.
 */
export const disclosure: RiskRule = (req, ctx, c) => {
  if (req.side === 'sell') return pass;
  const issued = ctx.issuedShares(req.symbol);
  if (issued === undefined || issued <= 0) return fail('MISSING_RISK_DATA', `issued shares of ${req.symbol} unknown: the disclosure cap cannot be checked`);
  const q = projectedQty(req, ctx);
  return q >= c.disclosureThresholdPct * issued
    ? fail('DISCLOSURE_THRESHOLD', `${q} shares would reach ${c.disclosureThresholdPct * 100}% of ${issued} issued shares`)
    : pass;
};
