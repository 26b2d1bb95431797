import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/domain/events/domainEvent.js';
import { computeFees, totalFees, type CommissionTerms } from '../fixtures/referenceFees.js';
import { fen, notionalFen, priceMilli, ratePpb, shares } from '../../src/domain/money.js';
import { addCalendarDays, type TradingDay } from '../../src/domain/tradingDay.js';
import { equityOf, unrealisedPnlFen } from '../../src/projections/portfolio.js';
import { canonicalHash } from '../../src/domain/hash.js';
import {
  canonicalProjections, emptyProjections, evolveProjections, foldProjections, fromSnapshot, positionText, projectionHash, stopText, toSnapshot,
} from '../../src/projections/projections.js';
import type { Position } from '../../src/projections/portfolio.js';
import type { StopTrack } from '../../src/projections/risk.js';
import { canonicalJson } from '../../src/domain/canonicalJson.js';

const SYMBOLS = ['000001.SZ', '600000.SH', '688001.SH'] as const;
const TERMS: CommissionTerms = { rate: ratePpb(250_000), minimum: fen(500) };

/** What a day may contain, before it is turned into valid events. */
interface DayPlan {
  readonly closes: ReadonlyArray<number | null>; // per symbol; null = suspended
  readonly actions: ReadonlyArray<{
    // 'dividend': a payment with no entitlement (journals before DividendEntitled); 'entitle': an
    // ex-day entitlement paid 0–3 days later; 'bonus': bonus (and with `split`, conversion) shares.
    readonly kind: 'buy' | 'sell' | 'dividend' | 'entitle' | 'bonus' | 'expire' | 'deny';
    readonly sym: number;
    readonly lots: number;
    readonly split: boolean;
    readonly tick: number; // fill price offset from the close, in 0.01 CNY
    readonly micro: number; // dividend per share, 0.000001 CNY
  }>;
}
interface Plan { readonly initialCashFen: number; readonly days: readonly DayPlan[] }

const planArb: fc.Arbitrary<Plan> = fc.record({
  initialCashFen: fc.integer({ min: 1_000_000, max: 500_000_000 }),
  days: fc.array(fc.record({
    closes: fc.array(fc.option(fc.integer({ min: 100, max: 20_000 }).map((x) => x * 10), { nil: null, freq: 5 }), { minLength: 3, maxLength: 3 }),
    actions: fc.array(fc.record({
      kind: fc.constantFrom('buy', 'buy', 'sell', 'sell', 'dividend', 'entitle', 'bonus', 'expire', 'deny'),
      sym: fc.integer({ min: 0, max: 2 }),
      lots: fc.integer({ min: 1, max: 30 }),
      split: fc.boolean(),
      tick: fc.integer({ min: -5, max: 5 }),
      micro: fc.integer({ min: 1, max: 3_000_000 }),
    }), { maxLength: 5 }),
  }), { minLength: 1, maxLength: 6 }),
});

/** Which fill to alter (by its index among all fills) and by how many milli; for property (d). */
interface Bump { readonly fill: number; readonly deltaMilli: number }

/**
 * Turns a plan into a valid stream: sells never exceed shares held and bought before today (T+1),
 * buys need budget, fills carry notional and fees computed from their price, days end with
 * DayClosed. The generator tracks holdings and cash itself, never through the projection under test.
 */
function buildStream(plan: Plan, bump?: Bump): { events: DomainEvent[]; fills: number } {
  const events: DomainEvent[] = [];
  const push = (e: DomainEvent): void => { events.push(e); };
  // The generator's own book, priced at closes only, so that a bumped fill price (property d)
  // changes nothing but that fill: the same orders are approved and DayClosed records the same values.
  const held = new Map<string, { qty: number; today: number }>();
  const lastClose = new Map<string, number>();
  let budget = plan.initialCashFen;
  // Entitled dividends not yet paid, paid before the first action of their pay day.
  let pending: { symbol: string; payDay: string; qty: number; micro: number; amountFen: number }[] = [];
  const pay = (day: string): void => {
    for (const r of pending.filter((x) => x.payDay === day)) {
      const taxFen = Math.floor(r.amountFen / 10);
      budget += r.amountFen - taxFen;
      push({ type: 'DividendPaid', data: { day, symbol: r.symbol, qty: r.qty, cashPerShareMicro: r.micro, amountFen: r.amountFen, taxFen } });
    }
    pending = pending.filter((x) => x.payDay !== day);
  };
  let n = 0, fills = 0;
  push({
    type: 'RunStarted',
    data: {
      runId: 'run-1', mode: 'backtest', config: { seedless: true }, configHash: 'a'.repeat(64),
      dataSource: { kind: 'generated', description: 'property test', path: null, sha256: null }, codeVersion: 'test',
      initialCashFen: plan.initialCashFen,
    },
  });
  plan.days.forEach((dp, di) => {
    const day = addCalendarDays('2024-01-02' as TradingDay, di);
    for (const h of held.values()) h.today = 0;
    const present = SYMBOLS.map((s, i) => [s, dp.closes[i]] as const).filter((x): x is readonly [typeof SYMBOLS[number], number] => x[1] !== null);
    for (const [s, c] of present) lastClose.set(s, c);
    push({
      type: 'BarsClosed',
      data: {
        day, symbols: present.map((x) => x[0]), open: present.map((x) => x[1]), high: present.map((x) => x[1]), low: present.map((x) => x[1]),
        close: present.map((x) => x[1]), volume: present.map(() => 10_000), amountFen: present.map(() => 0),
        preClose: present.map(() => null), isSt: present.map(() => 0 as const),
      },
    });
    pay(day);
    for (const a of dp.actions) {
      const symbol = SYMBOLS[a.sym]!;
      const close = dp.closes[a.sym];
      const h = held.get(symbol) ?? { qty: 0, today: 0 };
      if (a.kind === 'dividend') {
        if (h.qty === 0) continue;
        const amountFen = Math.floor((h.qty * a.micro) / 10_000);
        const taxFen = Math.floor(amountFen / 10);
        budget += amountFen - taxFen;
        push({ type: 'DividendPaid', data: { day, symbol, qty: h.qty, cashPerShareMicro: a.micro, amountFen, taxFen } });
        continue;
      }
      if (a.kind === 'entitle') {
        const amountFen = Math.floor((h.qty * a.micro) / 10_000);
        if (amountFen === 0) continue;
        const payDay = addCalendarDays(day, Math.abs(a.tick) % 4);
        pending.push({ symbol, payDay, qty: h.qty, micro: a.micro, amountFen });
        push({ type: 'DividendEntitled', data: { day, symbol, qty: h.qty, cashPerShareMicro: a.micro, payDay, amountFen } });
        pay(day);
        continue;
      }
      if (a.kind === 'bonus') {
        const conversionPerShareMicro = a.split ? 100_000 : 0;
        const bonusQty = Math.floor((h.qty * a.micro) / 1_000_000);
        const conversionQty = Math.floor((h.qty * conversionPerShareMicro) / 1_000_000);
        if (bonusQty + conversionQty === 0) continue;
        push({ type: 'SharesDistributed', data: { day, symbol, qtyBefore: h.qty, bonusPerShareMicro: a.micro, conversionPerShareMicro, bonusQty, conversionQty } });
        // The new shares are locked on the ex-day, like a buy.
        held.set(symbol, { qty: h.qty + bonusQty + conversionQty, today: h.today + bonusQty + conversionQty });
        continue;
      }
      if (close === null || close === undefined) continue; // suspended: no trading
      const side = a.kind === 'sell' ? 'sell' : 'buy';
      const sellable = h.qty - h.today;
      const qty = side === 'sell' ? Math.min(a.lots * 100, sellable) : a.lots * 100;
      if (qty <= 0) continue;
      const orderId = `o-${++n}`;
      push({
        type: 'OrderRequested',
        data: { orderId, day, symbol, side, qty, orderType: 'market', limitPrice: null, timeInForce: 'day', refPrice: close, signalId: null },
      });
      const refNotional = notionalFen(priceMilli(close), shares(qty));
      const reserve = side === 'buy' ? refNotional + totalFees(computeFees('buy', refNotional, day, TERMS)) : 0;
      if (a.kind === 'deny' || reserve > budget) {
        push({ type: 'OrderDenied', data: { orderId, reason: side === 'buy' ? 'INSUFFICIENT_CASH' : 'DUPLICATE_ORDER', rule: side === 'buy' ? 'availability' : 'workingOrder', details: '', ruleVersion: 'test' } });
        continue;
      }
      push({ type: 'OrderApproved', data: { orderId, ruleVersion: 'test', reservedFen: reserve } });
      push({ type: 'OrderSubmitted', data: { orderId, broker: 'sim', clientOrderId: orderId } });
      if (a.kind === 'expire') {
        push({ type: 'OrderExpired', data: { orderId, reason: 'END_OF_DAY', details: '' } });
        continue;
      }
      push({ type: 'OrderAccepted', data: { orderId, brokerOrderId: `b-${orderId}` } });
      const parts = a.split && qty >= 2 ? [Math.floor(qty / 2), qty - Math.floor(qty / 2)] : [qty];
      let leaves = qty, raw = 0;
      for (const q of parts) {
        let price = Math.max(10, close + a.tick * 10);
        if (bump && bump.fill === fills) price = Math.max(10, price + bump.deltaMilli);
        fills++;
        const notional = notionalFen(priceMilli(price), shares(q));
        const f = computeFees(side, notional, day, TERMS, raw);
        raw += f.rawCommissionFen;
        leaves -= q;
        push({
          type: 'OrderFilled',
          data: {
            orderId, fillId: `${orderId}-${leaves}`, day, symbol, side, qty: q, price, notionalFen: notional,
            commissionFen: f.commissionFen, stampDutyFen: f.stampDutyFen, transferFeeFen: f.transferFeeFen, otherFeesFen: 0, leavesQty: leaves,
          },
        });
      }
      if (side === 'buy') { held.set(symbol, { qty: h.qty + qty, today: h.today + qty }); budget -= reserve; }
      else { held.set(symbol, { qty: h.qty - qty, today: h.today }); budget += refNotional - totalFees(computeFees('sell', refNotional, day, TERMS)); }
    }
    let pv = 0, count = 0;
    for (const [s, h] of held) if (h.qty > 0) { pv += notionalFen(priceMilli(lastClose.get(s)!), shares(h.qty)); count++; }
    const receivable = pending.reduce((t, r) => t + r.amountFen, 0);
    push({ type: 'DayClosed', data: { day, cashFen: budget, positionsValueFen: pv, equityFen: budget + receivable + pv, positions: count } });
  });
  return { events, fills };
}

const RUNS = { numRuns: 150 };

describe('projections over random valid streams', () => {
  it('the generator produces streams that trade (sanity)', () => {
    const samples = fc.sample(planArb.map((p) => buildStream(p)), { numRuns: 100, seed: 42 });
    expect(samples.filter((s) => s.fills > 0).length).toBeGreaterThan(30);
    expect(samples.some((s) => s.events.some((e) => e.type === 'OrderFilled' && e.data.side === 'sell'))).toBe(true);
    expect(samples.some((s) => s.events.some((e) => e.type === 'DividendPaid'))).toBe(true);
    expect(samples.some((s) => s.events.some((e) => e.type === 'DividendEntitled'))).toBe(true);
    expect(samples.some((s) => s.events.some((e) => e.type === 'SharesDistributed'))).toBe(true);
  });

  // Invariant (a): fold(all) = fold(tail) from the snapshot of fold(head), at every split point —
  // snapshots are a cache, never a second source of truth.
  it('(a) snapshot then tail gives the same projection hash as folding everything, at every split', () => {
    fc.assert(fc.property(planArb, (plan) => {
      const { events } = buildStream(plan);
      const expected = projectionHash(foldProjections(events));
      for (let k = 0; k <= events.length; k++) {
        const snap = toSnapshot(foldProjections(events.slice(0, k)));
        const resumed = foldProjections(events.slice(k), fromSnapshot(snap));
        expect(projectionHash(resumed)).toBe(expected);
      }
    }), RUNS);
  });

  // The hash is computed incrementally (the equity curve's prefix, the static maps' texts): it must
  // equal the plain hash of the canonical state for any state, hashed in any order — the replay
  // alternates between the recorded fold and forks whose last point is a new, equal object.
  it('(e) projectionHash equals canonicalHash(canonicalProjections(s)) for every state, hashed in any order', () => {
    fc.assert(fc.property(planArb, fc.array(fc.nat(), { maxLength: 30 }), (plan, picks) => {
      const { events } = buildStream(plan);
      const states = [emptyProjections];
      for (const e of events) states.push(evolveProjections(states[states.length - 1]!, e));
      const plain = (s: typeof emptyProjections) => canonicalHash(canonicalProjections(s));
      for (const s of states) expect(projectionHash(s)).toBe(plain(s)); // in order
      for (const i of picks) { // and in any order, with copies that are equal but not identical
        const s = states[i % states.length]!;
        expect(projectionHash(s)).toBe(plain(s));
        const copy = { ...s, equity: structuredClone(s.equity) };
        expect(projectionHash(copy)).toBe(plain(s));
      }
    }), RUNS);
  });

  it('(f) a state with instruments referenced hashes as its canonical form, before and after more are referenced', () => {
    const inst = (symbols: string[], sectors: string[], totalShares: number[]): DomainEvent => ({ type: 'InstrumentsReferenced', data: { day: '2024-03-01', source: 'test', symbols, sectors, totalShares } } as unknown as DomainEvent);
    const a = foldProjections([inst(['000001.SZ', '600000.SH'], ['bank', 'bank'], [19_405_918_198, 29_352_178_302])]);
    const b = evolveProjections(a, inst(['688001.SH'], ['tech'], [100_000_000]));
    for (const s of [a, b, a, b]) expect(projectionHash(s)).toBe(canonicalHash(canonicalProjections(s)));
    expect(projectionHash(a)).not.toBe(projectionHash(b));
  });

  // Invariant (b): money is conserved. Every fen of equity (cash + dividends receivable + marked
  // positions) change is realised P&L (net of fees), unrealised P&L (marked value − cost incl. buy
  // fees) or dividend income (entitled, net of tax once paid) — after every event.
  it('(b) equity − initial cash = realised + unrealised + dividends', () => {
    fc.assert(fc.property(planArb, (plan) => {
      const { events } = buildStream(plan);
      let s = emptyProjections;
      for (const e of events) {
        s = evolveProjections(s, e);
        const p = s.portfolio;
        expect(equityOf(p) - p.initialCashFen).toBe(p.realisedPnlFen + unrealisedPnlFen(p) + p.dividendsFen);
        expect(p.dividendReceivableFen).toBe(p.receivables.reduce((t, r) => t + r.amountFen, 0));
      }
    }), RUNS);
  });

  // Invariant (c): the fold is deterministic — same events, same hash, whatever object identity.
  it('(c) folding twice (and folding a deep copy) gives the same hash', () => {
    fc.assert(fc.property(planArb, (plan) => {
      const { events } = buildStream(plan);
      const h1 = projectionHash(foldProjections(events));
      expect(projectionHash(foldProjections(events))).toBe(h1);
      expect(projectionHash(foldProjections(structuredClone(events)))).toBe(h1);
      expect(projectionHash(foldProjections(buildStream(plan).events))).toBe(h1);
    }), RUNS);
  });

  // Invariant (d): the hash covers the money — moving any fill's price (with its turnover and fees)
  // changes the hash.
  it('(d) changing any fill\'s price changes the hash', () => {
    fc.assert(fc.property(planArb, fc.nat(), fc.integer({ min: 1, max: 500 }), fc.boolean(), (plan, pick, delta, up) => {
      const base = buildStream(plan);
      fc.pre(base.fills > 0);
      const bump: Bump = { fill: pick % base.fills, deltaMilli: up ? delta * 10 : -delta * 10 };
      const changed = buildStream(plan, bump);
      const at = changed.events.findIndex((e, i) => e !== base.events[i] && JSON.stringify(e) !== JSON.stringify(base.events[i]));
      fc.pre(at >= 0); // a downward bump clamped at the 0.01 CNY floor may change nothing
      // Only fills of that one order differ (a later fill's commission follows the per-order minimum).
      expect(changed.events.length).toBe(base.events.length);
      const target = changed.events[at]!;
      expect(target.type).toBe('OrderFilled');
      const orderId = target.type === 'OrderFilled' ? target.data.orderId : '';
      for (const [i, e] of changed.events.entries()) {
        if (JSON.stringify(e) !== JSON.stringify(base.events[i])) expect(e.type === 'OrderFilled' && e.data.orderId === orderId).toBe(true);
      }
      expect(projectionHash(foldProjections(changed.events))).not.toBe(projectionHash(foldProjections(base.events)));
    }), RUNS);
  });
});

// The per-day hash writes each held position's and stop track's text directly; each writer must give
// canonicalJson's text byte for byte, for the objects it expects and for objects that only look like them.
const text = fc.string({ unit: fc.constantFrom('a', '6', '.', '-', '"', '\\', '\u0000', '\ud800', 'é'), maxLength: 12 });
const number = fc.oneof(fc.integer(), fc.constantFrom(0, -0, 1e21, 0.5, Number.MAX_SAFE_INTEGER), fc.double({ noNaN: true, noDefaultInfinity: true }));

function writesLikeCanonicalJson<T extends object>(
  write: (x: T) => string, objects: fc.Arbitrary<Record<string, unknown>>, oddKeys: readonly string[], oddValues: readonly unknown[], oddRuns: number,
): void {
  fc.assert(fc.property(objects, (o) => {
    expect(write(o as unknown as T)).toBe(canonicalJson(o));
  }), { numRuns: 3000 });
  fc.assert(fc.property(objects, fc.constantFrom(...oddKeys), fc.constantFrom(...oddValues), (o, k, v) => {
    const odd = { ...o, [k]: v };
    let want: string | Error;
    try { want = canonicalJson(odd); } catch (e) { want = e as Error; }
    if (want instanceof Error) expect(() => write(odd as unknown as T)).toThrow();
    else expect(write(odd as unknown as T)).toBe(want);
  }), { numRuns: oddRuns });
}

describe('positionText', () => {
  const position = fc.record({
    symbol: fc.oneof(fc.constantFrom('600519.SH', '000001.SZ'), text), qty: number, costFen: number, lastPrice: number,
    lastBuyDay: fc.oneof(fc.constant(null), fc.constantFrom('2024-03-01'), text), boughtOnLastBuyDay: number,
  });
  it('is canonicalJson of any position, and of objects that only look like one', () => {
    writesLikeCanonicalJson<Position>(positionText, position, ['extra', 'qty', 'symbol', 'lastBuyDay'], [undefined, 'x', NaN, null, 7], 1000);
  });
});

describe('stopText', () => {
  const stop = fc.record({
    symbol: fc.oneof(fc.constantFrom('600519.SH', '000001.SZ'), text), entryDay: fc.oneof(fc.constant('2024-03-01'), text),
    highestCloseMilli: number, entryAdjustPpb: number, daysHeld: number, tripCashFen: number,
  }, { requiredKeys: ['symbol', 'entryDay', 'highestCloseMilli', 'daysHeld', 'tripCashFen'] });
  it('is canonicalJson of any stop track (with or without its adjustment), and of objects that only look like one', () => {
    writesLikeCanonicalJson<StopTrack>(stopText, stop, ['extra', 'daysHeld', 'entryAdjustPpb', 'entryDay'], [undefined, 'x', NaN, null, 7], 2000);
  });
});
