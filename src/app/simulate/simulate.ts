import type { DayBars, SecuritySymbol, TradingDay } from '../../domain/index.js';
import type { AccountFees, MarketRules } from '../../domain/rules/marketRules.js';
import { isValidLotQty } from '../../domain/rules/orderQty.js';
import { cnyToPriceMilli, notionalFen, priceMilli, shares } from '../../domain/index.js';
import type { SlippageModel } from '../../domain/execution/slippage.js';
import { matchOnDailyBar } from '../../domain/execution/dailyMatcher.js';
import type { PortfolioState } from '../../projections/index.js';
import { emptyPortfolio, evolvePortfolio, sellableOn } from '../../projections/index.js';
import type { ParsedLine, SimOrder } from './orderLine.js';

export interface InstrumentDates {
  readonly listDay: TradingDay | null;
  readonly delistDay: TradingDay | null;
}

export interface SimulateOptions {
  readonly rules: MarketRules;
  readonly account: AccountFees;
  readonly cashFen: number;
  /** Largest share of a bar's volume one order may take, (0, 1]. */
  readonly participation: number;
  readonly slippage: SlippageModel;
  readonly marketPrice: 'open' | 'vwap' | 'close';
  readonly instruments?: ReadonlyMap<string, InstrumentDates>;
}

export type SimStatus = 'filled' | 'partial' | 'rejected' | 'expired';

export interface SimOutcome {
  readonly id: string | null;
  readonly line: number;
  readonly status: SimStatus;
  readonly filledQty: number;
  /** CNY per share, null without a fill. */
  readonly avgPrice: number | null;
  /** CNY, rounded to 0.01. */
  readonly commission: number;
  readonly stampDuty: number;
  readonly transferFee: number;
  /** Exchange handling + CSRC fees when charged outside the commission, CNY. */
  readonly otherFees: number;
  /** Stable code for every non-fill (and for a partial fill), null for a full fill. */
  readonly reason: string | null;
  readonly details?: string;
}

export interface SimSummary {
  readonly summary: true;
  readonly cash: number;
  readonly positions: Record<string, { qty: number; sellable: number }>;
}

interface BarRef { readonly days: DayBars; readonly i: number; readonly refPrice: number | null }

/** symbol → day → the bar and its reference price (pre_close, else the previous bar's close). */
function indexBars(days: readonly DayBars[]) {
  const bySymbol = new Map<string, Map<string, BarRef>>();
  const first = new Map<string, string>();
  const lastClose = new Map<string, number>();
  for (const d of days) {
    for (let i = 0; i < d.symbols.length; i++) {
      const s = d.symbols[i]!;
      let m = bySymbol.get(s);
      if (!m) { bySymbol.set(s, (m = new Map())); first.set(s, d.day); }
      m.set(d.day, { days: d, i, refPrice: d.preClose[i] ?? lastClose.get(s) ?? null });
      lastClose.set(s, d.close[i]!);
    }
  }
  return { bySymbol, first, lastDay: days[days.length - 1]?.day ?? '' };
}

const cny = (fenAmount: number): number => Math.round(fenAmount) / 100;
const reject = (o: { id: string | null; line: number }, reason: string, details: string, status: SimStatus = 'rejected'): SimOutcome =>
  ({ id: o.id, line: o.line, status, filledQty: 0, avgPrice: null, commission: 0, stampDuty: 0, transferFee: 0, otherFees: 0, reason, details });

/**
 * The rules oracle: each order is checked and matched against its own day's bar with the market
 * rules in force that day, then expires at the close unless filled. Orders run in day order and,
 * within a day, in input order (a sale earlier in the file funds a later buy the same day; shares
 * bought on a day become sellable the next trading day). Results come back in input order.
 */
export function simulateOrders(days: readonly DayBars[], lines: readonly ParsedLine[], o: SimulateOptions): { outcomes: SimOutcome[]; summary: SimSummary } {
  const idx = indexBars(days);
  let pf: PortfolioState = evolvePortfolio(emptyPortfolio, {
    type: 'RunStarted',
    data: { runId: 'simulate', mode: 'backtest', config: {}, configHash: '0'.repeat(64), dataSource: { kind: 'csv', description: '', path: null, sha256: null }, codeVersion: 'simulate', initialCashFen: o.cashFen },
  });
  const results = new Map<number, SimOutcome>();
  // An order id names one order: a repeated id (in file order) is rejected, never filled twice.
  const firstLineOf = new Map<string, number>();
  const unique = lines.filter((l): l is Extract<ParsedLine, { ok: true }> => {
    if (!l.ok) return false;
    const first = firstLineOf.get(l.order.id);
    if (first === undefined) { firstLineOf.set(l.order.id, l.line); return true; }
    results.set(l.line, reject({ id: l.order.id, line: l.line }, 'BAD_ORDER', `line ${l.line}: duplicate order id ${JSON.stringify(l.order.id)} (first on line ${first})`));
    return false;
  });
  const valid = unique.slice().sort((a, b) => (a.order.day < b.order.day ? -1 : a.order.day > b.order.day ? 1 : a.line - b.line));
  for (const l of lines) if (!l.ok) results.set(l.line, reject({ id: l.id, line: l.line }, 'BAD_ORDER', l.message));
  for (const { line, order } of valid) {
    const r = simulateOne(order, line, pf, idx, o);
    results.set(line, r.outcome);
    if (r.fill) pf = evolvePortfolio(pf, { type: 'OrderFilled', data: r.fill });
  }
  const lastDay = (valid[valid.length - 1]?.order.day ?? idx.lastDay) as TradingDay;
  const positions: Record<string, { qty: number; sellable: number }> = {};
  for (const s of [...pf.positions.keys()].sort()) {
    const p = pf.positions.get(s)!;
    positions[s] = { qty: p.qty, sellable: sellableOn(p, lastDay) };
  }
  return { outcomes: lines.map((l) => results.get(l.line)!), summary: { summary: true, cash: cny(pf.cashFen), positions } };
}

type Fill = Extract<Parameters<typeof evolvePortfolio>[1], { type: 'OrderFilled' }>['data'];

function simulateOne(order: SimOrder, line: number, pf: PortfolioState, idx: ReturnType<typeof indexBars>, o: SimulateOptions): { outcome: SimOutcome; fill?: Fill } {
  const me = { id: order.id, line };
  const day = order.day as TradingDay;
  const sym = order.symbol as SecuritySymbol;
  const rules = o.rules;
  if (rules.calendar.firstDay <= day && day <= rules.calendar.lastDay && !rules.calendar.isTradingDay(day)) {
    return { outcome: reject(me, 'MARKET_CLOSED', `${day} is not a trading day`) };
  }
  let board;
  try { board = rules.boardOf(sym); } catch { return { outcome: reject(me, 'BAD_ORDER', `line ${line}: ${sym} is not a tradable A-share code`) }; }
  // Listing dates come from --instruments only: a file's first bar is not evidence of a listing
  // (and must not turn on IPO no-limit days).
  const inst = o.instruments?.get(sym);
  const listDay = inst?.listDay ?? null;
  if (!idx.bySymbol.has(sym) && !inst) return { outcome: reject(me, 'NOT_LISTED', `${sym} has no bars and no instrument record`) };
  if ((listDay && day < listDay) || (inst?.delistDay && day > inst.delistDay)) return { outcome: reject(me, 'NOT_LISTED', `${sym} is not listed on ${day}`) };
  const firstBar = idx.first.get(sym);
  if (day > idx.lastDay || (!inst && firstBar !== undefined && day < firstBar)) {
    return { outcome: reject(me, 'NO_DATA', `the bar file has no data for ${sym} on ${day}`) };
  }
  const ref = idx.bySymbol.get(sym)?.get(day);
  if (!ref) return { outcome: reject(me, 'SUSPENDED', `${sym} did not trade on ${day}`) };

  const pos = pf.positions.get(sym);
  const held = pos?.qty ?? 0;
  if (order.side === 'sell' && order.qty > held) return { outcome: reject(me, 'INSUFFICIENT_POSITION', `sell ${order.qty}, ${held} held`) };
  const lot = rules.lotRule(sym);
  if (!isValidLotQty(lot, order.side, order.qty, held)) return { outcome: reject(me, 'LOT_SIZE', `${order.qty} shares is not a valid ${order.side} size on ${board}`) };
  const max = rules.maxOrderQty(sym, order.type, day);
  if (max !== null && order.qty > max) return { outcome: reject(me, 'MAX_ORDER_SIZE', `${order.qty} shares exceeds the ${max}-share cap per ${order.type} order`) };
  if (order.side === 'sell') {
    const sellable = pos ? sellableOn(pos, day) : 0;
    if (order.qty > sellable) return { outcome: reject(me, 'T1_NOT_SELLABLE', `sell ${order.qty}, ${sellable} sellable on ${day} (T+1)`) };
  }
  const tick = rules.tickMilli(sym);
  let limitPrice: number | null = null;
  if (order.type === 'limit') {
    limitPrice = cnyToPriceMilli(order.limitPrice!, 'halfUp');
    if (limitPrice % tick !== 0 || Math.abs(limitPrice / 1000 - order.limitPrice!) > 1e-9) return { outcome: reject(me, 'BAD_ORDER', `line ${line}: limitPrice ${order.limitPrice} is not on the ${tick / 1000} CNY tick`) };
  }
  const b = ref.days;
  let computed;
  try {
    computed = ref.refPrice === null ? null
      : rules.priceLimits({ symbol: sym, day, refPrice: ref.refPrice, isSt: b.isSt[ref.i] === 1, listDay });
  } catch (e) {
    // The rule tables do not cover this instrument (e.g. fund bands are not sourced yet): say so, go on.
    return { outcome: reject(me, 'NO_RULE', (e as Error).message) };
  }
  // A bar that traded beyond the computed band says the reference is wrong for this day (no
  // pre_close across an ex-date, a listing day not in --instruments): trust the bar, not the band.
  const limits = computed && (b.high[ref.i]! > computed.up || b.low[ref.i]! < computed.down) ? null : computed;
  if (limitPrice !== null && limits && (limitPrice > limits.up || limitPrice < limits.down)) {
    return { outcome: reject(me, 'PRICE_LIMIT', `limit ${limitPrice / 1000} is outside the day's band ${limits.down / 1000}–${limits.up / 1000}`) };
  }
  const m = matchOnDailyBar(
    { side: order.side, qty: order.qty, type: order.type, limitPrice },
    { open: b.open[ref.i]!, high: b.high[ref.i]!, low: b.low[ref.i]!, close: b.close[ref.i]!, volume: b.volume[ref.i]!, amountFen: b.amountFen[ref.i]! },
    { limits, lot, tickMilli: tick, marketPrice: o.marketPrice, participation: o.participation, slippage: o.slippage, heldQty: held },
  );
  if (m.filledQty === 0 || m.price === null) return { outcome: reject(me, m.reason ?? 'LIMIT_NOT_REACHED', `no fill on ${day}`, m.reason === 'BAD_ORDER' ? 'rejected' : 'expired') };
  const notional = notionalFen(priceMilli(m.price), shares(m.filledQty));
  const fees = rules.fees({ side: order.side, symbol: sym, day, notionalFen: notional, account: o.account, previousRawCommissionFen: null });
  const other = fees.handlingFeeFen + fees.regulatoryFeeFen;
  const allFees = fees.commissionFen + fees.stampDutyFen + fees.transferFeeFen + other;
  if (order.side === 'buy' && notional + allFees > pf.cashFen) {
    return { outcome: reject(me, 'INSUFFICIENT_CASH', `needs ${cny(notional + allFees)} CNY, ${cny(pf.cashFen)} available`) };
  }
  const partial = m.filledQty < order.qty;
  return {
    outcome: {
      id: order.id, line, status: partial ? 'partial' : 'filled', filledQty: m.filledQty, avgPrice: m.price / 1000,
      commission: cny(fees.commissionFen), stampDuty: cny(fees.stampDutyFen), transferFee: cny(fees.transferFeeFen), otherFees: cny(other),
      reason: partial ? (m.reason ?? 'VOLUME_LIMIT') : null,
    },
    fill: {
      orderId: order.id, fillId: `${order.id}-F1`, day, symbol: sym, side: order.side, qty: m.filledQty, price: m.price,
      notionalFen: notional, commissionFen: fees.commissionFen, stampDutyFen: fees.stampDutyFen, transferFeeFen: fees.transferFeeFen,
      otherFeesFen: other, leavesQty: 0,
    },
  };
}

