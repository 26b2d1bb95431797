/**
 * Latency of the pre-trade risk gate (BENCH=GATE): evaluateOrder (the 16 rules of config/risk.yaml)
 * alone, then decideOrder + evaluateOrder as the engine chains them, on a deterministic stream of
 * OrderRequested payloads against one mid-afternoon account snapshot. Figures vary with the machine.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import { loadMarketRules } from '../src/adapters/market/marketRulesFile.js';
import { loadRiskConfig } from '../src/adapters/market/riskConfigFile.js';
import {
  asTradingDay, decideOrder, exchangeTimeMs, ratePpb,
  type AccountFees, type GateContext, type LimitPrices, type PortfolioView, type PositionView, type WorkingOrderView,
} from '../src/domain/index.js';
import { evaluateOrder } from '../src/domain/risk/riskGate.js';
import type { RecentAction, RiskContext, RiskOrderRequest, RiskPosition } from '../src/domain/risk/rules/index.js';

const N = 200_000, WARMUP = 20_000, SECTORS = 31;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const us = (ns: number) => (ns / 1000).toFixed(2);

/** mulberry32: a small seeded PRNG, so every run sees the same stream. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** 5,000 codes: SSE main 600/603, SZSE main 000/002, ChiNext 300, STAR 688. */
function universe(): string[] {
  const out: string[] = [];
  const add = (from: number, count: number, sfx: string) => { for (let i = 0; i < count; i++) out.push(`${String(from + i).padStart(6, '0')}.${sfx}`); };
  add(600_000, 2000, 'SH'); add(603_000, 1000, 'SH'); add(1, 999, 'SZ'); add(2001, 600, 'SZ'); add(300_001, 250, 'SZ'); add(688_001, 151, 'SH');
  return out;
}

export async function benchRiskGate(): Promise<void> {
  const rc = loadRiskConfig('config/risk.yaml');
  if (isLeft(rc)) throw new Error(rc.left.problems.join(' '));
  const config = rc.right;
  const mr = loadMarketRules('config/market');
  if (isLeft(mr)) throw new Error(mr.left.message);
  const rules = mr.right;
  const day = asTradingDay('2025-11-24');
  if (!rules.calendar.isTradingDay(day)) throw new Error(`${day} is not a trading day`);
  // The fees.yaml default terms (0.025%, 5 CNY minimum, regulatory fees inside the commission).
  const account: AccountFees = { commissionRate: ratePpb(250_000), minCommissionFen: 500, regulatoryFeesInsideCommission: true };
  const rand = prng(20251124);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const logUniform = (lo: number, hi: number) => Math.exp(Math.log(lo) + rand() * (Math.log(hi) - Math.log(lo)));

  // Market data for 5,000 symbols: previous close, today's band from the dated tables, last price inside it.
  const symbols = universe();
  const last = new Map<string, number>(), band = new Map<string, LimitPrices | null>(), sector = new Map<string, string>();
  const st = new Set<string>(), issued = new Map<string, number>();
  for (const s of symbols) {
    const mainBoard = s.startsWith('60') || s.startsWith('00');
    if (mainBoard && rand() < 0.02) st.add(s);
    const prevClose = Math.round(logUniform(3, 80) * 100) * 10;
    const b = rules.priceLimits({ symbol: s, day, refPrice: prevClose, isSt: st.has(s), listDay: null });
    band.set(s, b);
    const p = Math.round((prevClose * (1 + (rand() * 2 - 1) * 0.04)) / 10) * 10;
    last.set(s, b ? Math.min(b.up, Math.max(b.down, p)) : p);
    if (rand() >= 0.004) sector.set(s, `SW${1 + Math.floor(rand() * SECTORS)}`); // a few without a sector: denied
    if (rand() >= 0.003) issued.set(s, Math.round(logUniform(1e8, 2e10) / 100) * 100);
  }
  const valueFen = (priceMilli: number, qty: number) => Math.round((priceMilli * qty) / 10);
  const buyCostFen = (symbol: string, notionalFen: number): number => {
    const f = rules.fees({ side: 'buy', symbol, day, notionalFen, account, previousRawCommissionFen: null });
    return notionalFen + f.commissionFen + f.stampDutyFen + f.transferFeeFen + f.handlingFeeFen + f.regulatoryFeeFen;
  };

  // Account: 7M CNY cash and 18 main-board positions of 3–4.5% of a ~20M CNY book each.
  const eligible = symbols.filter((s) => (s.startsWith('60') || s.startsWith('00')) && !st.has(s) && sector.has(s) && issued.has(s));
  const held: string[] = [];
  while (held.length < 18) { const s = pick(eligible); if (!held.includes(s)) held.push(s); }
  const positions = new Map<string, RiskPosition>(), views = new Map<string, PositionView>();
  held.forEach((s, i) => {
    const px = last.get(s)!;
    const qty = Math.max(100, Math.floor((2e9 * (0.03 + rand() * 0.015) * 10) / px / 100) * 100);
    const sellable = i < 3 ? qty - 100 * (1 + Math.floor(rand() * 10)) : qty; // three bought more today (T+1)
    positions.set(s, { qty, sellable, lastPrice: px });
    views.set(s, { symbol: s, qty, sellable, costFen: valueFen(px, qty), lastPrice: px });
  });
  const cashFen = 700_000_000;
  const equityFen = cashFen + held.reduce((a, s) => a + valueFen(positions.get(s)!.lastPrice, positions.get(s)!.qty), 0);

  // 20 working orders: 8 sells and 11 add-on buys of held symbols, 1 buy of a new one (19 open symbols of 20).
  let newSym = pick(eligible);
  while (held.includes(newSym)) newSym = pick(eligible);
  const working: WorkingOrderView[] = [];
  const work = (symbol: string, side: 'buy' | 'sell', qty: number, filledQty: number) => working.push({
    orderId: `W-${String(working.length + 1).padStart(4, '0')}`, symbol, side, qty, filledQty, day,
    reservedFen: side === 'buy' ? buyCostFen(symbol, valueFen(last.get(symbol)!, qty - filledQty)) : 0,
  });
  for (let i = 0; i < 8; i++) work(held[i]!, 'sell', Math.max(100, Math.floor(positions.get(held[i]!)!.sellable / 400) * 100), i % 3 === 0 ? 100 : 0);
  for (let i = 7; i < 18; i++) work(held[i]!, 'buy', 100 * (2 + Math.floor(rand() * 9)), 0);
  work(newSym, 'buy', 1000, 0);

  // Today's activity up to 14:10: 400 orders and 120 cancels over the sessions, a few in the last minute and second.
  const nowMs = exchangeTimeMs(day, 14, 10);
  const sessionMs = () => {
    const m = Math.floor(rand() * (190 * 60_000 - 60_000)); // 09:30–11:30 and 13:00 up to a minute ago
    return m < 120 * 60_000 ? exchangeTimeMs(day, 9, 30) + m : exchangeTimeMs(day, 13, 0) + m - 120 * 60_000;
  };
  const actionAt = (i: number, n: number) => (i >= n - 2 ? nowMs - Math.floor(rand() * 999) : i >= n - 6 ? nowMs - 1000 - Math.floor(rand() * 59_000) : sessionMs());
  const recentOrders: RecentAction[] = Array.from({ length: 400 }, (_, i) => ({
    symbol: rand() < 0.3 ? pick(held) : pick(symbols), side: rand() < 0.6 ? 'buy' as const : 'sell' as const,
    qty: 100 * (1 + Math.floor(rand() * 20)), atMs: actionAt(i, 400),
  })).sort((a, b) => a.atMs - b.atMs);
  const recentCancels = Array.from({ length: 120 }, (_, i) => ({ atMs: actionAt(i, 120) })).sort((a, b) => a.atMs - b.atMs);
  const inWindow = recentOrders.filter((o) => o.atMs > nowMs - config.duplicateWindowSeconds * 1000);

  const ctx: RiskContext = {
    day, nowMs, dayStartMs: exchangeTimeMs(day, 0), state: 'ACTIVE', cashFen, equityFen,
    startOfDayEquityFen: Math.round(equityFen * 1.004), peakEquityFen: Math.round(equityFen * 1.03),
    positions, working, recentOrders, recentCancels, buyCostFen,
    lastPrice: (s) => last.get(s), dailyBand: (s) => band.get(s) ?? null, sectorOf: (s) => sector.get(s),
    isSt: (s) => st.has(s), issuedShares: (s) => issued.get(s),
  };
  const portfolio: PortfolioView = { day, cashFen, positionCount: positions.size, position: (s) => views.get(s), equityFen: () => equityFen };
  const gate: GateContext = { day, portfolio, working, rules, account };

  // The stream: 3% repeats of an order sent in the last minute, 40% on held symbols (55% sells),
  // the rest on any symbol (3% sells: short); 55% limit orders priced N(last, 1.2%), the rest market.
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const request = (i: number): RiskOrderRequest => {
    const u = rand();
    let symbol: string, side: 'buy' | 'sell', qty: number;
    if (u < 0.03) ({ symbol, side, qty } = pick(inWindow));
    else if (u < 0.43) {
      symbol = pick(held);
      side = rand() < 0.55 ? 'sell' : 'buy';
      const p = positions.get(symbol)!;
      qty = side === 'buy' ? 100 * (1 + Math.floor(rand() * 20)) : rand() < 0.1 ? p.qty + 100 : 100 * (1 + Math.floor(rand() * Math.max(1, p.sellable / 300)));
    } else {
      symbol = pick(symbols);
      side = rand() < 0.03 ? 'sell' : 'buy';
      qty = rand() < 0.01 ? 150_000 : 100 * (1 + Math.min(99, Math.floor(-Math.log(1 - rand()) * 12))) + (rand() < 0.02 ? 50 : 0);
    }
    const px = last.get(symbol)!;
    const isLimit = rand() < 0.55;
    return {
      orderId: `B-${String(i).padStart(7, '0')}`, day, symbol, side, qty, orderType: isLimit ? 'limit' : 'market',
      limitPrice: isLimit ? Math.max(10, Math.round((px * (1 + gauss() * 0.012)) / 10) * 10) : null,
      timeInForce: 'day', refPrice: px, signalId: null,
    };
  };
  const warm = Array.from({ length: WARMUP }, (_, i) => request(i));
  const reqs = Array.from({ length: N }, (_, i) => request(WARMUP + i));

  let overhead = 0;
  { const o = new Float64Array(100_000); for (let i = 0; i < o.length; i++) { const a = process.hrtime.bigint(); o[i] = Number(process.hrtime.bigint() - a); } overhead = o.sort()[o.length >> 1]!; }
  const pct = (s: Float64Array, p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
  const summary = (ns: Float64Array) => {
    const s = ns.sort();
    return `p50 ${us(pct(s, 0.5))} µs, p90 ${us(pct(s, 0.9))} µs, p99 ${us(pct(s, 0.99))} µs, p99.9 ${us(pct(s, 0.999))} µs, max ${us(s[s.length - 1]!)} µs`;
  };

  console.log(`gate    context: ${day} 14:10, ${positions.size} positions, ${working.length} working orders, ${recentOrders.length} orders + ${recentCancels.length} cancels today, ${fmt(symbols.length)} symbols (${SECTORS} sectors, ${st.size} ST), ${config.ruleOrder.length} rules in config/risk.yaml order, buy cost with config/market fees`);

  // Pass 1: evaluateOrder alone, each call timed; then an untimed pass for throughput.
  for (const r of warm) evaluateOrder(r, ctx, config);
  global.gc?.();
  const ns = new Float64Array(N);
  const reasons = new Map<string, number>();
  let approved = 0;
  for (let i = 0; i < N; i++) {
    const t0 = process.hrtime.bigint();
    const d = evaluateOrder(reqs[i]!, ctx, config);
    ns[i] = Number(process.hrtime.bigint() - t0);
    if (d.approved) approved++;
    else reasons.set(d.reason, (reasons.get(d.reason) ?? 0) + 1);
  }
  global.gc?.();
  let check = 0;
  const t0 = process.hrtime.bigint();
  for (const r of reqs) if (evaluateOrder(r, ctx, config).approved) check++;
  const rate = N / (Number(process.hrtime.bigint() - t0) / 1e9);
  if (check !== approved) throw new Error('evaluateOrder is not deterministic');
  console.log(`gate    evaluateOrder              ${fmt(N)} calls (${fmt(approved)} approved, ${fmt(N - approved)} denied): ${summary(ns)}; ${fmt(rate)} decisions/s (untimed pass); timer ~${overhead} ns per call, included`);
  const top = [...reasons].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ${((100 * n) / N).toFixed(1)}%`);
  console.log(`gate    denials of all calls       ${top.join(', ')}`);

  // Pass 2: as the engine chains them, decideOrder first; an order it denies never reaches the risk rules.
  const both = (r: RiskOrderRequest): 0 | 1 | 2 => (!decideOrder(r, gate).approved ? 1 : evaluateOrder(r, ctx, config).approved ? 0 : 2);
  for (const r of warm) both(r);
  global.gc?.();
  const ns2 = new Float64Array(N);
  const out = [0, 0, 0];
  for (let i = 0; i < N; i++) {
    const a = process.hrtime.bigint();
    const k = both(reqs[i]!);
    ns2[i] = Number(process.hrtime.bigint() - a);
    out[k]!++;
  }
  global.gc?.();
  const t1 = process.hrtime.bigint();
  for (const r of reqs) both(r);
  const rate2 = N / (Number(process.hrtime.bigint() - t1) / 1e9);
  console.log(`gate    decideOrder+evaluateOrder  ${fmt(N)} orders (${fmt(out[0]!)} approved, ${fmt(out[1]!)} denied by decideOrder, ${fmt(out[2]!)} by evaluateOrder): ${summary(ns2)}; ${fmt(rate2)} decisions/s (untimed pass)`);
}
