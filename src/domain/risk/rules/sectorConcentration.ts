import { fail, heldQty, orderPrice, pass, projectedQty, valueFen, workingIndexOf, workingQty, type RiskContext, type RiskRule } from './riskRule.js';

/**
 * Sector concentration: the buy's sector (held + working buys of every symbol in it, marked at their
 * last price; this symbol at the order price) ≤ maxSectorPct of equity. A symbol without a known
 * sector is denied: missing data never means no limit.
 */
export const sectorConcentration: RiskRule = (req, ctx, c) => {
  if (req.side === 'sell') return pass;
  const sector = ctx.sectorOf(req.symbol);
  if (sector === undefined) return fail('MISSING_RISK_DATA', `no sector known for ${req.symbol}`);
  const v = valueFen(orderPrice(req), projectedQty(req, ctx)) + (ctx.heldValueBySector ? othersIndexed(ctx, req.symbol, sector) : othersScanned(ctx, req.symbol, sector));
  const cap = c.maxSectorPct * ctx.equityFen;
  return v > cap ? fail('SECTOR_CONCENTRATION', `sector ${sector} would be ${v} fen, above ${c.maxSectorPct * 100}% of equity (${Math.floor(cap)} fen)`) : pass;
};

/** The other symbols of the sector, held or being bought, at their marks: every holding and working buy looked at. */
function othersScanned(ctx: RiskContext, symbol: string, sector: string): number {
  const others = new Set<string>([...ctx.positions.keys(), ...workingIndexOf(ctx).buySymbols()]);
  others.delete(symbol);
  let v = 0;
  for (const s of others) {
    if (ctx.sectorOf(s) !== sector) continue;
    const mark = ctx.positions.get(s)?.lastPrice ?? ctx.lastPrice(s) ?? 0;
    v += valueFen(mark, heldQty(ctx, s) + workingQty(ctx, s, 'buy'));
  }
  return v;
}

/**
 * The same sum from the holdings' per-sector totals (computed once a day by the engine) corrected
 * for the symbols with working buys and for the order's own symbol: the same fen, without a pass
 * over every holding per order.
 */
function othersIndexed(ctx: RiskContext, symbol: string, sector: string): number {
  let v = ctx.heldValueBySector!(sector);
  const own = ctx.positions.get(symbol);
  if (own) v -= valueFen(own.lastPrice, own.qty);
  for (const s of workingIndexOf(ctx).buySymbols()) {
    if (s === symbol || ctx.sectorOf(s) !== sector) continue;
    const p = ctx.positions.get(s);
    const mark = p?.lastPrice ?? ctx.lastPrice(s) ?? 0;
    v += valueFen(mark, (p?.qty ?? 0) + workingQty(ctx, s, 'buy')) - (p ? valueFen(p.lastPrice, p.qty) : 0);
  }
  return v;
}
