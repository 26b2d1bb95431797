import type { DayBars, MarketRules, AccountFees, TradingDay } from '../../domain/index.js';
import { buyCostFen, indexOfSymbol } from '../../domain/index.js';
import { fundamentalsOn, latestValue } from '../../domain/fundamentals/index.js';
import type { RecentAction, RiskContext, RiskPosition } from '../../domain/risk/rules/index.js';
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
  const positions = new Map<string, RiskPosition>();
  for (const pos of p.positions.values()) positions.set(pos.symbol, { qty: pos.qty, sellable: sellableOn(pos, day), lastPrice: pos.lastPrice });
  const equity = equityOf(p);
  const idx = (sym: string): number => indexOfSymbol(bars, sym);
  const band = new Map<string, ReturnType<MarketRules['priceLimits']>>();
  return {
    day, nowMs: clock.nowMs, dayStartMs: clock.dayStartMs, state: r.state, cashFen: p.cashFen, equityFen: equity,
    startOfDayEquityFen: r.startOfDayEquityFen, peakEquityFen: Math.max(r.peakEquityFen, 0), positions,
    working: ordersView(k.projections.orders).working(),
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
