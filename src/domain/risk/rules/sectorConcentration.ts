import { fail, heldQty, orderPrice, pass, projectedQty, valueFen, workingQty, type RiskRule } from './riskRule.js';

/**
 * Sector concentration: the buy's sector (held + working buys of every symbol in it, marked at their
 * last price; this symbol at the order price) ≤ maxSectorPct of equity. A symbol without a known
 * sector is denied: missing data never means no limit.
 */
export const sectorConcentration: RiskRule = (req, ctx, c) => {
  if (req.side === 'sell') return pass;
  const sector = ctx.sectorOf(req.symbol);
  if (sector === undefined) return fail('MISSING_RISK_DATA', `no sector known for ${req.symbol}`);
  const others = new Set<string>([...ctx.positions.keys(), ...ctx.working.filter((o) => o.side === 'buy').map((o) => o.symbol)]);
  others.delete(req.symbol);
  let v = valueFen(orderPrice(req), projectedQty(req, ctx));
  for (const s of others) {
    if (ctx.sectorOf(s) !== sector) continue;
    const mark = ctx.positions.get(s)?.lastPrice ?? ctx.lastPrice(s) ?? 0;
    v += valueFen(mark, heldQty(ctx, s) + workingQty(ctx, s, 'buy'));
  }
  const cap = c.maxSectorPct * ctx.equityFen;
  return v > cap ? fail('SECTOR_CONCENTRATION', `sector ${sector} would be ${v} fen, above ${c.maxSectorPct * 100}% of equity (${Math.floor(cap)} fen)`) : pass;
};
