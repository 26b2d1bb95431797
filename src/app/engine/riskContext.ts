import type { DayBars, MarketRules, AccountFees, TradingDay } from '../../domain/index.js';
import { buyCostFen, indexOfSymbol } from '../../domain/index.js';
import { valueFen } from '../../domain/risk/rules/riskRule.js';
import { fundamentalsOn, latestValue } from '../../domain/fundamentals/index.js';
import type { RecentAction, RiskContext, RiskPosition } from '../../domain/risk/rules/index.js';
import type { WorkingOrderView } from '../../domain/index.js';
import type { PortfolioState, Position } from '../../projections/index.js';
import { equityOf, ordersView, sellableOn } from '../../projections/index.js';
import type { Kernel } from './kernel.js';

/** The sector every symbol without a classification shares: pooled, never looser than the truth. */
export const UNCLASSIFIED_SECTOR = 'UNCLASSIFIED';

export interface RiskClock {
  /** Decision time (market time), epoch ms. */
  readonly nowMs: number;
  /** Start of the trading day, epoch ms. */
  readonly dayStartMs: number;
  /** This account's orders sent today so far (the engine's own record of the day). */
  readonly recentOrders: readonly RecentAction[];
  readonly recentCancels: readonly { readonly atMs: number }[];
}

/**
 * What the risk rules read, built from the kernel's projections only (so an audit replay rebuilds
 * exactly what the live gate saw): positions marked at the day's close, equity with dividends
 * receivable, start-of-day equity and the equity peak from DayClosed, the trading state, the day's
 * price band from the dated tables, sectors and issued shares from InstrumentsReferenced (then the
 * latest FundamentalsReported share count), ST flags from the day's bars, and buy fees from the
 * dated fee tables.
 */
export function buildRiskContext<S>(
  k: Kernel<S>, bars: DayBars, marketRules: MarketRules, account: AccountFees, clock: RiskClock,
): RiskContext {
  const p = k.projections.portfolio;
  const r = k.projections.risk;
  const day = bars.day as TradingDay;
  const positions = riskPositions(p.positions, day);
  const equity = equityOf(p);
  const orders = ordersView(k.projections.orders);
  let working: readonly WorkingOrderView[] | null = null;
  const idx = (sym: string): number => indexOfSymbol(bars, sym);
  const band = new Map<string, ReturnType<MarketRules['priceLimits']>>();
  return {
    day, nowMs: clock.nowMs, dayStartMs: clock.dayStartMs, state: r.state, cashFen: p.cashFen, equityFen: equity,
    startOfDayEquityFen: r.startOfDayEquityFen, peakEquityFen: Math.max(r.peakEquityFen, 0), positions,
    get working() { return (working ??= orders.working()); },
    workingIndex: orders.workingIndex(),
    heldValueBySector: heldValueBySector(p.positions, r.sectors),
    lastPrice: (sym) => {
      const i = idx(sym);
      return i < 0 ? positions.get(sym)?.lastPrice : bars.close[i];
    },
    dailyBand: (sym) => {
      if (band.has(sym)) return band.get(sym)!;
      const i = idx(sym);
      let b: ReturnType<MarketRules['priceLimits']> = null;
      if (i >= 0) {
        const ref = bars.preClose[i] ?? null;
        try {
          b = ref === null ? null : marketRules.priceLimits({ symbol: sym, day, refPrice: ref, isSt: bars.isSt[i] === 1, listDay: null });
        } catch {
          b = null; // no band table for this instrument: the broker refuses it (NO_RULE) anyway
        }
      }
      band.set(sym, b);
      return b;
    },
    sectorOf: (sym) => r.sectors.get(sym) ?? UNCLASSIFIED_SECTOR,
    isSt: (sym) => {
      const i = idx(sym);
      return i >= 0 && bars.isSt[i] === 1;
    },
    issuedShares: (sym) => r.totalShares.get(sym) ?? latestValue(fundamentalsOn(k.fundamentals, sym, day), 'totalShares') ?? undefined,
    buyCostFen: (sym, notionalFen) => buyCostFen(marketRules, account, sym, day, notionalFen),
    recentOrders: clock.recentOrders, recentCancels: clock.recentCancels,
  };
}

/**
 * The holdings as the rules read them, without copying: each position's T+1 sellable quantity is
 * worked out when a rule asks (a Map of every holding per order was the gate's largest cost at the
 * scale of the whole market).
 */
class RiskPositions implements ReadonlyMap<string, RiskPosition> {
  constructor(private readonly held: ReadonlyMap<string, Position>, private readonly day: TradingDay) {}
  get size(): number { return this.held.size; }
  private view(p: Position): RiskPosition { return { qty: p.qty, sellable: sellableOn(p, this.day), lastPrice: p.lastPrice }; }
  get(symbol: string): RiskPosition | undefined {
    const p = this.held.get(symbol);
    return p && this.view(p);
  }
  has(symbol: string): boolean { return this.held.has(symbol); }
  *entries(): MapIterator<[string, RiskPosition]> { for (const p of this.held.values()) yield [p.symbol, this.view(p)]; }
  keys(): MapIterator<string> { return this.held.keys(); }
  *values(): MapIterator<RiskPosition> { for (const p of this.held.values()) yield this.view(p); }
  [Symbol.iterator](): MapIterator<[string, RiskPosition]> { return this.entries(); }
  forEach(f: (v: RiskPosition, k: string, m: ReadonlyMap<string, RiskPosition>) => void): void { for (const [k, v] of this.entries()) f(v, k, this); }
  get [Symbol.toStringTag](): string { return 'RiskPositions'; }
}

const riskPositions = (held: ReadonlyMap<string, Position>, day: TradingDay): ReadonlyMap<string, RiskPosition> => new RiskPositions(held, day);

// Per holdings (a persistent map changes identity with every fill, and not between the orders of a
// decision step): the per-sector totals are worked out once, not once per order (equity likewise,
// in portfolio.positionsValueFen).
const sectorTotals = new WeakMap<ReadonlyMap<string, Position>, WeakMap<ReadonlyMap<string, string>, Map<string, number>>>();
function heldValueBySector(held: ReadonlyMap<string, Position>, sectors: ReadonlyMap<string, string>): (sector: string) => number {
  let bySectors = sectorTotals.get(held);
  if (!bySectors) sectorTotals.set(held, (bySectors = new WeakMap()));
  let totals = bySectors.get(sectors);
  if (!totals) {
    totals = new Map();
    for (const p of held.values()) {
      const sec = sectors.get(p.symbol) ?? UNCLASSIFIED_SECTOR;
      totals.set(sec, (totals.get(sec) ?? 0) + valueFen(p.lastPrice, p.qty));
    }
    bySectors.set(sectors, totals);
  }
  const t = totals;
  return (sector) => t.get(sector) ?? 0;
}
