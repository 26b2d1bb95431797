import type { Side } from '../events/primitives.js';
import type { TradingDay } from '../tradingDay.js';

/**
 * Read-only views the deciders (strategy, sizing, pre-trade gate, simulated broker) take. The
 * projections' states satisfy them; deciders never see how a projection is stored.
 */
export interface PositionView {
  readonly symbol: string;
  /** Shares held. */
  readonly qty: number;
  /** Shares that may be sold today under T+1: held minus bought today. */
  readonly sellable: number;
  /** Total cost basis including buy fees, fen. */
  readonly costFen: number;
  /** Last mark, 0.001 CNY. */
  readonly lastPrice: number;
}

export interface PortfolioView {
  readonly day: TradingDay | null;
  readonly cashFen: number;
  readonly positionCount: number;
  position(symbol: string): PositionView | undefined;
  /** Cash plus marked value of every position, fen. */
  equityFen(): number;
}

export interface WorkingOrderView {
  readonly orderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly qty: number;
  readonly filledQty: number;
  /** Cash set aside by the gate for an unfilled buy, fen. */
  readonly reservedFen: number;
  readonly day: TradingDay;
}

export interface OrdersView {
  /** Orders approved and not yet in a final state, in order id order. */
  working(): readonly WorkingOrderView[];
  /** The same orders indexed for the gate's per-order questions (each answered without a scan of them all). */
  workingIndex(): WorkingIndex;
}

/** The working orders as the pre-trade checks ask about them. */
export interface WorkingIndex {
  /** Working orders on `symbol`, either side, in order id order. */
  of(symbol: string): readonly WorkingOrderView[];
  /** Cash reserved by all working orders, fen. */
  readonly reservedFen: number;
  /** Symbols with a working buy. */
  readonly buySymbolCount: number;
  buySymbols(): Iterable<string>;
  /** Every working sell. */
  sells(): Iterable<WorkingOrderView>;
}

const byId = (a: WorkingOrderView, b: WorkingOrderView): number => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0);

/** The index of a plain list (states built by hand; one pass over the list). */
export function indexWorking(list: readonly WorkingOrderView[]): WorkingIndex {
  const bySymbol = new Map<string, WorkingOrderView[]>();
  const buys = new Set<string>();
  let reservedFen = 0;
  for (const o of list) {
    const l = bySymbol.get(o.symbol);
    if (l) l.push(o);
    else bySymbol.set(o.symbol, [o]);
    if (o.side === 'buy') buys.add(o.symbol);
    reservedFen += o.reservedFen;
  }
  for (const l of bySymbol.values()) l.sort(byId);
  return {
    of: (symbol) => bySymbol.get(symbol) ?? [],
    reservedFen, buySymbolCount: buys.size, buySymbols: () => buys,
    sells: () => list.filter((o) => o.side === 'sell'),
  };
}
