import type { Side } from '../events/primitives.js';
import type { LotRule } from '../market/board.js';
import { divRound } from '../money.js';
import type { PortfolioView, WorkingOrderView } from '../views/portfolioView.js';

export interface SizingParams {
  /** Most positions held at once (client default 20). */
  readonly maxPositions: number;
  /** Target value of a new position as a fraction of equity. */
  readonly positionWeight: number;
}

export interface SignalForSizing {
  readonly signalId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly strength: number;
}

export interface OrderDraft {
  readonly symbol: string;
  readonly side: Side;
  readonly qty: number;
  /** Reference price (the last close), 0.001 CNY. */
  readonly refPrice: number;
  readonly signalId: string;
}

/**
 * Fixed-fraction sizing: each buy targets `positionWeight × equity`, rounded down to a valid lot
 * (below the board minimum: no order); buys are taken strongest first (ties by symbol) while
 * position slots remain. A sell closes the sellable holding. Signals without a price are skipped.
 */
export function planOrders(
  signals: readonly SignalForSizing[], portfolio: PortfolioView, working: readonly WorkingOrderView[],
  lastPrice: (symbol: string) => number | undefined, p: SizingParams, lotRuleOf: (symbol: string) => LotRule,
): OrderDraft[] {
  const out: OrderDraft[] = [];
  for (const s of signals) {
    if (s.side !== 'sell') continue;
    const pos = portfolio.position(s.symbol);
    const price = lastPrice(s.symbol) ?? pos?.lastPrice;
    const pending = working.filter((o) => o.symbol === s.symbol && o.side === 'sell').reduce((a, o) => a + o.qty - o.filledQty, 0);
    const qty = (pos?.sellable ?? 0) - pending;
    if (qty > 0 && price) out.push({ symbol: s.symbol, side: 'sell', qty, refPrice: price, signalId: s.signalId });
  }
  const workingBuys = new Set(working.filter((o) => o.side === 'buy').map((o) => o.symbol));
  let slots = p.maxPositions - portfolio.positionCount - workingBuys.size;
  const targetFen = Math.floor(portfolio.equityFen() * p.positionWeight);
  const buys = signals.filter((s) => s.side === 'buy')
    .sort((a, b) => b.strength - a.strength || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  for (const s of buys) {
    if (slots <= 0) break;
    if (workingBuys.has(s.symbol)) continue;
    const price = lastPrice(s.symbol);
    if (!price) continue;
    const { minBuy, step } = lotRuleOf(s.symbol);
    const raw = divRound(targetFen * 10, price, 'down'); // fen×10 = 0.001 CNY, so this is shares
    if (raw < minBuy) continue;
    const qty = minBuy + divRound(raw - minBuy, step, 'down') * step;
    out.push({ symbol: s.symbol, side: 'buy', qty, refPrice: price, signalId: s.signalId });
    slots--;
  }
  return out;
}
