import type { RiskConfig } from '../../../../src/domain/risk/riskConfig.js';
import { RiskRuleName } from '../../../../src/domain/risk/riskConfig.js';
import type { RecentAction, RiskContext, RiskOrderRequest, RiskPosition } from '../../../../src/domain/risk/rules/index.js';
import type { TradingDay } from '../../../../src/domain/tradingDay.js';
import type { WorkingOrderView } from '../../../../src/domain/views/portfolioView.js';

export const DAY = '2026-03-02' as TradingDay;
export const DAY_START = 1_772_409_600_000; // 2026-03-02T00:00+08:00
export const NOW = DAY_START + 10 * 3_600_000;
export const A = '600000.SH';
export const B = '000001.SZ';
export const C = '300750.SZ';

export const config: RiskConfig = {
  maxPositionPct: 0.05, maxPositions: 20, maxSectorPct: 0.25, priceCollarPct: 0.03, withinDailyBand: true,
  maxOrderNotionalCny: 200_000, maxOrderQty: 100_000, dailyLossLimitPct: 0.02, maxDrawdownPct: 0.1,
  restrictedSymbols: [], allowSt: false, allowShort: false, duplicateWindowSeconds: 60,
  orderRate: { perSecond: 5, perDay: 2000 }, cancelRate: { perSecond: 5, perDay: 1000 },
  disclosureThresholdPct: 0.05, ruleOrder: [...RiskRuleName.options],
  stops: { fixedPct: 0.03, trailingPct: null, atrMultiple: null, atrPeriod: 14, takeProfitPct: null, maxHoldingDays: null },
  disabledRules: [],
};

export interface CtxSpec {
  state?: RiskContext['state'];
  cashFen?: number;
  equityFen?: number;
  startOfDayEquityFen?: number;
  peakEquityFen?: number;
  positions?: Record<string, RiskPosition>;
  working?: WorkingOrderView[];
  last?: Record<string, number>;
  band?: Record<string, { up: number; down: number } | null>;
  sector?: Record<string, string>;
  st?: string[];
  issued?: Record<string, number>;
  feeFen?: number;
  recentOrders?: RecentAction[];
  recentCancels?: { atMs: number }[];
  nowMs?: number;
}

/** A hand-built context: 10,000,000 fen (100k CNY) equity, every symbol at 10.000 CNY, 1bn issued. */
export function ctx(s: CtxSpec = {}): RiskContext {
  const equity = s.equityFen ?? 10_000_000;
  return {
    day: DAY, nowMs: s.nowMs ?? NOW, dayStartMs: DAY_START, state: s.state ?? 'ACTIVE',
    cashFen: s.cashFen ?? equity, equityFen: equity, startOfDayEquityFen: s.startOfDayEquityFen ?? equity,
    peakEquityFen: s.peakEquityFen ?? equity,
    positions: new Map(Object.entries(s.positions ?? {})), working: s.working ?? [],
    lastPrice: (x) => s.last?.[x] ?? 10_000,
    dailyBand: (x) => (s.band && x in s.band ? s.band[x]! : { up: 11_000, down: 9_000 }),
    sectorOf: (x) => s.sector?.[x] ?? (s.sector ? undefined : `sector-${x}`),
    isSt: (x) => s.st?.includes(x) ?? false,
    issuedShares: (x) => (s.issued ? s.issued[x] : 1_000_000_000),
    buyCostFen: (_x, n) => n + (s.feeFen ?? 0),
    recentOrders: s.recentOrders ?? [], recentCancels: s.recentCancels ?? [],
  };
}

export function order(o: Partial<RiskOrderRequest> = {}): RiskOrderRequest {
  return {
    orderId: 'O-1', day: DAY, symbol: A, side: 'buy', qty: 100, orderType: 'limit', limitPrice: 10_000,
    timeInForce: 'day', refPrice: 10_000, signalId: null, ...o,
  };
}

export const pos = (qty: number, sellable = qty, lastPrice = 10_000): RiskPosition => ({ qty, sellable, lastPrice });
export const workingOrder = (symbol: string, side: 'buy' | 'sell', qty: number, reservedFen = 0): WorkingOrderView =>
  ({ orderId: `W-${symbol}-${side}`, symbol, side, qty, filledQty: 0, reservedFen, day: DAY });
