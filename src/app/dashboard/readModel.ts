import type { AlertsConfig, AlertState, AlertView } from '../../domain/alerts/index.js';
import { allAlerts, emptyAlertState, evolveAlerts } from '../../domain/alerts/index.js';
import type { TradingDay } from '../../domain/index.js';
import { formatExchangeTime } from '../../domain/index.js';
import type { ExecutionState, Projections } from '../../projections/index.js';
import { emptyExecution, emptyProjections, equityOf, evolveExecution, evolveProjections, marketValueFen, ordersAtBroker, positionsValueFen, sellableOn } from '../../projections/index.js';
import type { RecordedEvent } from '../engine/replay.js';

/** Days of orders and fills the dashboard keeps for its orders page (older days are in the journal browser). */
const ORDER_DAYS_KEPT = 10;
const RECENT = 200;

export interface OrderRow {
  orderId: string;
  clientOrderId: string | null;
  day: string;
  symbol: string;
  side: string;
  quantity: number;
  filled: number;
  status: string;
  /** CNY. */
  limitPrice: number | null;
  avgPrice: number | null;
  requestedAt: string;
  notionalFen: number;
}

export interface FillRow {
  orderId: string;
  symbol: string;
  side: string;
  quantity: number;
  price: number;
  fees: number;
  at: string;
}

export interface DenialRow { seq: number; at: string; orderId: string; symbol: string; side: string; quantity: number; rule: string; reason: string; details: string }
export interface StopRow { seq: number; at: string; symbol: string; kind: string; details: string }
export interface StateChangeRow { seq: number; at: string; from: string; to: string; by: string; why: string }

/** A bounded list: pushes drop the oldest beyond `max`. */
function pushBounded<T>(a: T[], x: T, max = RECENT): void {
  a.push(x);
  if (a.length > max * 2) a.splice(0, a.length - max);
}

const cny = (fen: number): number => fen / 100;
const priceCny = (milli: number): number => milli / 1000;

/**
 * What the dashboard shows, folded from the journal it follows (read-only): the projections the
 * engine folds (portfolio, orders, equity, risk state), the execution index (client order ids), the
 * alert engine's state, and a few bounded views of its own (the last days' orders and fills, recent
 * denials, stops and state changes). Memory stays bounded however long the journal is, except the
 * equity curve (one point per trading day).
 */
export class DashboardModel {
  projections: Projections = emptyProjections;
  exec: ExecutionState = emptyExecution;
  alerts: AlertState = emptyAlertState;
  lastSeq = 0;
  headHash: string | null = null;
  mode: string | null = null;
  riskConfig: Record<string, unknown> | null = null;
  alertsConfig: unknown = undefined;
  /** The last service lifecycle event: a journal whose last one is ServiceStopped ended cleanly. */
  serviceSeen = false;
  /** The air gap as the journal says: configured, armed since (ISO), attempts refused. */
  airgap: { enabled: boolean; window: string | null; allow: readonly string[]; armed: boolean; since: string | null; blocked: number; lastBlocked: string | null } =
    { enabled: false, window: null, allow: [], armed: false, since: null, blocked: 0, lastBlocked: null };
  serviceStopped = false;
  stepDay: string | null = null;
  step: string | null = null;
  readonly denialsByRule = new Map<string, number>();
  readonly recentDenials: DenialRow[] = [];
  readonly stops: StopRow[] = [];
  readonly stateChanges: StateChangeRow[] = [];
  private readonly ordersByDay = new Map<string, Map<string, OrderRow>>();
  private readonly fillsByDay = new Map<string, FillRow[]>();
  private readonly dayOfOrder = new Map<string, string>();

  apply(e: RecordedEvent): void {
    this.projections = evolveProjections(this.projections, e);
    this.exec = evolveExecution(this.exec, e);
    this.alerts = evolveAlerts(this.alerts, e);
    this.lastSeq = e.seq;
    this.headHash = e.hash;
    const at = formatExchangeTime(e.occurredAt, true);
    switch (e.type) {
      case 'RunStarted':
        this.mode = e.data.mode;
        this.riskConfig = (e.data.config['risk'] as Record<string, unknown> | undefined) ?? null;
        this.alertsConfig = e.data.config['alerts'];
        {
          const a = e.data.config['airgap'] as { enabled?: boolean; window?: string; allow?: string[] } | undefined;
          this.airgap = { ...this.airgap, enabled: a?.enabled === true, window: a?.window ?? null, allow: a?.allow ?? [] };
        }
        break;
      case 'AirgapArmed':
        this.airgap = { ...this.airgap, armed: true, since: at, window: e.data.window, allow: e.data.allow };
        break;
      case 'AirgapDisarmed':
        this.airgap = { ...this.airgap, armed: false, since: at };
        break;
      case 'EgressBlocked':
        this.airgap = { ...this.airgap, blocked: this.airgap.blocked + 1, lastBlocked: `${e.data.kind} ${e.data.target} by ${e.data.caller}` };
        break;
      case 'ServiceStarted': case 'ServiceResumed':
        this.serviceSeen = true; this.serviceStopped = false; break;
      case 'ServiceStopped':
        this.serviceStopped = true; break;
      case 'StepCompleted':
        this.stepDay = e.data.day; this.step = e.data.step; break;
      case 'OrderDenied': {
        this.denialsByRule.set(e.data.rule, (this.denialsByRule.get(e.data.rule) ?? 0) + 1);
        const o = this.order(e.data.orderId);
        pushBounded(this.recentDenials, { seq: e.seq, at, orderId: e.data.orderId, symbol: o?.symbol ?? '', side: o?.side ?? '', quantity: o?.quantity ?? 0, rule: e.data.rule, reason: e.data.reason, details: e.data.details });
        if (o) o.status = 'denied';
        break;
      }
      case 'StopTriggered':
        pushBounded(this.stops, { seq: e.seq, at, symbol: e.data.symbol, kind: e.data.kind, details: `${e.data.reason}; trigger ${priceCny(e.data.triggerPrice).toFixed(3)}, ${e.data.qty} shares${e.data.blockedBy ? ` (blocked by ${e.data.blockedBy})` : ''}` });
        break;
      case 'TradingStateChanged':
        pushBounded(this.stateChanges, { seq: e.seq, at, from: e.data.from, to: e.data.to, by: e.data.by, why: e.data.why });
        break;
      case 'OrderRequested': {
        const d = e.data;
        let day = this.ordersByDay.get(d.day);
        if (!day) {
          day = new Map();
          this.ordersByDay.set(d.day, day);
          this.trimDays();
        }
        day.set(d.orderId, {
          orderId: d.orderId, clientOrderId: null, day: d.day, symbol: d.symbol, side: d.side, quantity: d.qty, filled: 0, status: 'requested',
          limitPrice: d.limitPrice === null ? null : priceCny(d.limitPrice), avgPrice: null, requestedAt: at, notionalFen: 0,
        });
        this.dayOfOrder.set(d.orderId, d.day);
        break;
      }
      case 'OrderApproved': this.setStatus(e.data.orderId, 'approved'); break;
      case 'OrderSubmitted': {
        const o = this.order(e.data.orderId);
        if (o) { o.status = 'submitted'; o.clientOrderId = e.data.clientOrderId; }
        break;
      }
      case 'OrderAccepted': this.setStatus(e.data.orderId, 'accepted'); break;
      case 'OrderRejected': this.setStatus(e.data.orderId, 'rejected'); break;
      case 'OrderExpired': this.setStatus(e.data.orderId, 'expired'); break;
      case 'OrderCancelled': this.setStatus(e.data.orderId, 'cancelled'); break;
      case 'OrderCancelRequested': this.setStatus(e.data.orderId, 'cancel requested'); break;
      case 'OrderFilled': {
        const d = e.data;
        const o = this.order(d.orderId);
        if (o) {
          o.filled += d.qty;
          o.notionalFen += d.notionalFen;
          o.avgPrice = o.filled > 0 ? Math.round((o.notionalFen * 10) / o.filled) / 1000 : null;
          o.status = d.leavesQty > 0 ? 'partially filled' : 'filled';
        }
        let fills = this.fillsByDay.get(d.day);
        if (!fills) { fills = []; this.fillsByDay.set(d.day, fills); this.trimDays(); }
        fills.push({ orderId: d.orderId, symbol: d.symbol, side: d.side, quantity: d.qty, price: priceCny(d.price), fees: cny(d.commissionFen + d.stampDutyFen + d.transferFeeFen + d.otherFeesFen), at });
        break;
      }
      default:
        break;
    }
  }

  private order(orderId: string): OrderRow | undefined {
    const day = this.dayOfOrder.get(orderId);
    return day === undefined ? undefined : this.ordersByDay.get(day)?.get(orderId);
  }

  private setStatus(orderId: string, status: string): void {
    const o = this.order(orderId);
    if (o) o.status = status;
  }

  private trimDays(): void {
    const days = [...new Set([...this.ordersByDay.keys(), ...this.fillsByDay.keys()])].sort();
    for (const d of days.slice(0, Math.max(0, days.length - ORDER_DAYS_KEPT))) {
      for (const id of this.ordersByDay.get(d)?.keys() ?? []) this.dayOfOrder.delete(id);
      this.ordersByDay.delete(d);
      this.fillsByDay.delete(d);
    }
  }

  /** The days the orders page can show, newest first. */
  orderDays(): string[] {
    return [...new Set([...this.ordersByDay.keys(), ...this.fillsByDay.keys()])].sort().reverse();
  }

  ordersOf(day: string): { orders: OrderRow[]; fills: FillRow[] } {
    return {
      orders: [...(this.ordersByDay.get(day)?.values() ?? [])].map((o) => ({ ...o })),
      fills: [...(this.fillsByDay.get(day) ?? [])],
    };
  }

  /** The day the journal has reached: the last step's day, else the last bars' or valuation's day. */
  day(): string | null {
    const p = this.projections;
    const last = p.equity[p.equity.length - 1]?.day ?? null;
    return [this.stepDay, p.lastBars?.day ?? null, last].filter((x): x is string => x !== null).sort().pop() ?? null;
  }

  equityFen(): number {
    return equityOf(this.projections.portfolio);
  }

  /** Today's P&L: equity now against the last end-of-day valuation before today (initial cash before the first). */
  dayPnlFen(): number | null {
    const curve = this.projections.equity;
    const today = this.day();
    let base: number | null = null;
    for (let i = curve.length - 1; i >= 0; i--) {
      if (today === null || curve[i]!.day < today) { base = curve[i]!.equityFen; break; }
    }
    if (base === null) base = this.projections.risk.peakEquityFen > 0 && curve.length === 0 ? this.projections.risk.startOfDayEquityFen : null;
    return base === null ? null : this.equityFen() - base;
  }

  positions(): { symbol: string; quantity: number; sellable: number; avgCost: number; lastPrice: number | null; marketValue: number | null; unrealizedPnl: number | null }[] {
    const p = this.projections.portfolio;
    const asOf = this.day() as TradingDay | null;
    return [...p.positions.values()].filter((x) => x.qty > 0).sort((a, b) => (a.symbol < b.symbol ? -1 : 1)).map((x) => {
      const mv = marketValueFen(x);
      return {
        symbol: x.symbol, quantity: x.qty, sellable: sellableOn(x, asOf), avgCost: Math.round((x.costFen * 10) / x.qty) / 1000,
        lastPrice: x.lastPrice > 0 ? priceCny(x.lastPrice) : null, marketValue: cny(mv), unrealizedPnl: cny(mv - x.costFen),
      };
    });
  }

  workingOrders(): { orderId: string; clientOrderId: string | null; symbol: string; side: string; quantity: number; filled: number; status: string }[] {
    const atBroker = new Map(ordersAtBroker(this.exec).map((x) => [x.orderId, x.clientOrderId]));
    return [...this.projections.orders.open.values()].sort((a, b) => (a.orderId < b.orderId ? -1 : 1)).map((o) => ({
      orderId: o.orderId, clientOrderId: atBroker.get(o.orderId) ?? this.exec.open.get(o.orderId)?.clientOrderId ?? null,
      symbol: o.symbol, side: o.side, quantity: o.qty, filled: o.filledQty, status: o.status,
    }));
  }

  /** Gross exposure: positions' value over equity. */
  exposure(): number {
    const eq = this.equityFen();
    return eq > 0 ? positionsValueFen(this.projections.portfolio) / eq : 0;
  }

  drawdown(): { current: number; limit: number | null; peakEquity: number | null } {
    const curve = this.projections.equity;
    const peak = Math.max(this.projections.risk.peakEquityFen, curve[curve.length - 1]?.equityFen ?? 0);
    const eq = this.equityFen();
    const limit = typeof this.riskConfig?.['maxDrawdownPct'] === 'number' ? this.riskConfig['maxDrawdownPct'] as number : null;
    return { current: peak > 0 ? Math.max(0, (peak - eq) / peak) : 0, limit, peakEquity: peak > 0 ? cny(peak) : null };
  }

  /** Each configured limit with how much of it is in use now (fractions of equity, counts). */
  limits(): { name: string; limit: number; usage: number; unit: string }[] {
    const c = this.riskConfig;
    if (!c) return [];
    const out: { name: string; limit: number; usage: number; unit: string }[] = [];
    const num = (k: string): number | null => (typeof c[k] === 'number' ? c[k] as number : null);
    const eq = this.equityFen();
    const pos = [...this.projections.portfolio.positions.values()].filter((x) => x.qty > 0);
    const largest = pos.reduce((m, x) => Math.max(m, marketValueFen(x)), 0);
    const put = (name: string, limit: number | null, usage: number, unit: string) => { if (limit !== null) out.push({ name, limit, usage, unit }); };
    put('maxPositionPct', num('maxPositionPct'), eq > 0 ? largest / eq : 0, 'fraction of equity (largest position)');
    put('maxPositions', num('maxPositions'), pos.length, 'positions');
    const bySector = new Map<string, number>();
    for (const x of pos) {
      const s = this.projections.risk.sectors.get(x.symbol) ?? 'unclassified';
      bySector.set(s, (bySector.get(s) ?? 0) + marketValueFen(x));
    }
    put('maxSectorPct', num('maxSectorPct'), eq > 0 ? Math.max(0, ...bySector.values()) / eq : 0, 'fraction of equity (largest sector)');
    const start = this.projections.risk.startOfDayEquityFen;
    put('dailyLossLimitPct', num('dailyLossLimitPct'), start > 0 ? Math.max(0, (start - eq) / start) : 0, 'fraction of start-of-day equity');
    put('maxDrawdownPct', num('maxDrawdownPct'), this.drawdown().current, 'fraction of peak equity');
    return out;
  }

  alertViews(): readonly AlertView[] {
    return allAlerts(this.alerts);
  }

  config(): AlertsConfig | undefined {
    return this.alertsConfig as AlertsConfig | undefined;
  }
}
