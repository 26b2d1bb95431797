import { fail, pass, workingIndexOf, type RiskRule } from './riskRule.js';

/** Number of positions: distinct symbols held or being bought, with this buy, ≤ maxPositions. */
export const positionCount: RiskRule = (req, ctx, c) => {
  if (req.side === 'sell') return pass;
  const working = workingIndexOf(ctx);
  const held = ctx.positions.get(req.symbol);
  if ((held !== undefined && held.qty > 0) || working.of(req.symbol).some((o) => o.side === 'buy')) return pass;
  // Held plus symbols being bought can only overcount the distinct ones: well under the cap, no need to count.
  if (ctx.positions.size + working.buySymbolCount + 1 <= c.maxPositions) return pass;
  const open = new Set<string>();
  for (const [s, p] of ctx.positions) if (p.qty > 0) open.add(s);
  for (const s of working.buySymbols()) open.add(s);
  return open.size + 1 > c.maxPositions ? fail('MAX_POSITIONS', `a new position in ${req.symbol} would make ${open.size + 1}, above maxPositions ${c.maxPositions}`) : pass;
};
