import { fail, pass, type RiskRule } from './riskRule.js';

/** Number of positions: distinct symbols held or being bought, with this buy, ≤ maxPositions. */
export const positionCount: RiskRule = (req, ctx, c) => {
  if (req.side === 'sell') return pass;
  const open = new Set<string>();
  for (const [s, p] of ctx.positions) if (p.qty > 0) open.add(s);
  for (const o of ctx.working) if (o.side === 'buy') open.add(o.symbol);
  if (open.has(req.symbol)) return pass;
  return open.size + 1 > c.maxPositions ? fail('MAX_POSITIONS', `a new position in ${req.symbol} would make ${open.size + 1}, above maxPositions ${c.maxPositions}`) : pass;
};
