import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BrokerAnswer, DataOf, ExecOrderView, FeeSplit, OrderReport, TradingDay } from '../../../src/domain/index.js';
import { eventsOfReport } from '../../../src/domain/execution/brokerReports.js';

/*
 * Invariants defended:
 * 1. Cumulative reports become differences that add back up: for any sequence of reports with
 *    non-decreasing filled quantity, notional and fee that ends filled, the fills journaled sum
 *    exactly (to the share and the fen) to the last report's cumulative figures, each fill's fee
 *    fields sum to its share of the fee, and the last fill leaves nothing open.
 * 2. Idempotence: replaying any report already applied adds nothing.
 */

const DAY = '2024-03-04';

/** Stamp duty a third, transfer fee a tenth, the rest commission: sums back to the fee. */
const split: FeeSplit = (_side, _symbol, _notional, fee) => {
  const stampDutyFen = Math.floor(fee / 3), transferFeeFen = Math.floor(fee / 10);
  return { commissionFen: fee - stampDutyFen - transferFeeFen, stampDutyFen, transferFeeFen, otherFeesFen: 0 };
};

const feeOf = (f: DataOf<'OrderFilled'>): number => f.commissionFen + f.stampDutyFen + f.transferFeeFen + f.otherFeesFen;

/** The order's view folded forward from the events a report added. */
function fold(v: ExecOrderView, events: readonly BrokerAnswer[]): ExecOrderView {
  let next = v;
  for (const e of events) {
    if (e.type === 'OrderAccepted') next = { ...next, acknowledged: true };
    else if (e.type === 'OrderFilled') {
      next = {
        ...next, acknowledged: true, filledQty: next.filledQty + e.data.qty, filledNotionalFen: next.filledNotionalFen + e.data.notionalFen,
        feeFen: next.feeFen + feeOf(e.data), fills: next.fills + 1, ended: e.data.leavesQty === 0,
      };
    } else if (e.type === 'OrderRejected' || e.type === 'OrderExpired' || e.type === 'OrderCancelled') next = { ...next, ended: true };
  }
  return next;
}

interface Step { readonly lots: number; readonly notional: number; readonly fee: number; readonly itemise: boolean }
interface Scenario {
  readonly lots: number;
  readonly brokerOrderId: string | null;
  /** Whether this broker itemises fills (then its figures move only with a fill, as a real one's do). */
  readonly itemising: boolean;
  readonly steps: readonly Step[];
  readonly last: Omit<Step, 'lots'>;
}

/**
 * An order of `lots` × 100 shares and the increments of its cumulative figures: a step that adds
 * shares adds at least 1 fen a share (a price ≥ 0.010 CNY); with a broker giving cumulative figures
 * only, a step adding none may still move the notional or the fee (the next fill takes them up).
 * The last step fills the rest.
 */
const scenario: fc.Arbitrary<Scenario> = fc.integer({ min: 1, max: 50 }).chain((lots) => fc.record({
  lots: fc.constant(lots),
  brokerOrderId: fc.option(fc.constantFrom('B-1', 'B-77'), { nil: null }),
  itemising: fc.boolean(),
  steps: fc.array(fc.record({
    lots: fc.integer({ min: 0, max: lots }),
    notional: fc.integer({ min: 0, max: 5_000_000 }),
    fee: fc.integer({ min: 0, max: 3_000 }),
    itemise: fc.boolean(),
  }), { maxLength: 8 }),
  last: fc.record({ notional: fc.integer({ min: 0, max: 5_000_000 }), fee: fc.integer({ min: 0, max: 3_000 }), itemise: fc.boolean() }),
}));

/** The cumulative reports of a scenario (the order's quantity is reached only by the last). */
function reportsOf(s: Scenario): { ordered: number; reports: (OrderReport & { itemise: boolean })[] } {
  const ordered = s.lots * 100;
  let qty = 0, notional = 0, fee = 0;
  const reports: (OrderReport & { itemise: boolean })[] = [];
  const push = (status: OrderReport['status'], itemise: boolean) => reports.push({
    kind: 'order', clientOrderId: 'C-1', brokerOrderId: s.brokerOrderId, status, filledQty: qty, filledNotionalFen: notional, feeFen: fee,
    message: '', at: null, lastFill: null, reason: null, itemise,
  });
  push('accepted', false);
  for (const st of s.steps) {
    const dq = Math.min(st.lots * 100, ordered - 100 - qty); // stays below the order's quantity
    if (dq > 0) {
      qty += dq;
      notional += Math.max(st.notional, dq);
      fee += st.fee;
    } else if (!s.itemising) {
      notional += st.notional;
      fee += st.fee;
    }
    push(qty === 0 ? 'accepted' : 'partially_filled', s.itemising && st.itemise);
  }
  const dq = ordered - qty;
  qty = ordered;
  notional += Math.max(s.last.notional, dq);
  fee += s.last.fee;
  push('filled', s.itemising && s.last.itemise);
  return { ordered, reports };
}

/** A broker that itemises gives the fill the report adds in full, as the difference from what it reported before. */
function withLastFill(r: OrderReport & { itemise: boolean }, prev: OrderReport | undefined, n: number): OrderReport {
  const dq = r.filledQty - (prev?.filledQty ?? 0);
  if (!r.itemise || dq === 0) return { ...r, lastFill: null };
  const notionalFen = r.filledNotionalFen - (prev?.filledNotionalFen ?? 0), fee = r.feeFen - (prev?.feeFen ?? 0);
  return {
    ...r, lastFill: {
      fillId: `EX-${n}`, day: '2024-03-01' as TradingDay, qty: dq, priceMilli: Math.max(1, Math.round((notionalFen * 10) / dq)), notionalFen,
      commissionFen: fee, stampDutyFen: 0, transferFeeFen: 0, otherFeesFen: 0,
    },
  };
}

const start = (orderedQty: number): ExecOrderView => ({
  orderId: 'O-1', clientOrderId: 'C-1', symbol: '600000.SH', side: 'sell', orderedQty, acknowledged: false, ended: false,
  filledQty: 0, filledNotionalFen: 0, feeFen: 0, fills: 0, cancelReason: null,
});

/** Applies the reports in order, folding the view forward; `after(i, view)` runs after report i. */
function run(s: Scenario, after: (i: number, view: ExecOrderView, reports: readonly OrderReport[]) => void = () => undefined) {
  const { ordered, reports: raw } = reportsOf(s);
  const reports = raw.map((r, i) => withLastFill(r, raw[i - 1], i));
  let view = start(ordered);
  const all: BrokerAnswer[] = [];
  reports.forEach((r, i) => {
    const out = eventsOfReport(view, r, DAY, split);
    if (out.kind !== 'events') throw new Error(`report ${i} was a problem: ${out.reason}`);
    all.push(...out.events);
    view = fold(view, out.events);
    after(i, view, reports);
  });
  return { ordered, reports, view, all };
}

describe('eventsOfReport (properties)', () => {
  it('fills sum exactly to the last cumulative report (shares, notional, fees)', () => {
    fc.assert(fc.property(scenario, (s) => {
      const { ordered, reports, view, all } = run(s);
      const fills = all.filter((e): e is Extract<BrokerAnswer, { type: 'OrderFilled' }> => e.type === 'OrderFilled').map((e) => e.data);
      const last = reports.at(-1)!;
      expect(fills.reduce((a, f) => a + f.qty, 0)).toBe(last.filledQty);
      expect(fills.reduce((a, f) => a + f.notionalFen, 0)).toBe(last.filledNotionalFen);
      expect(fills.reduce((a, f) => a + feeOf(f), 0)).toBe(last.feeFen);
      expect(fills.at(-1)!.leavesQty).toBe(0);
      expect(new Set(fills.map((f) => f.fillId)).size).toBe(fills.length);
      for (const f of fills) {
        expect(f.qty).toBeGreaterThan(0);
        expect(f.price).toBeGreaterThan(0);
        expect(f.notionalFen).toBeGreaterThan(0);
      }
      // One acknowledgement, first, naming the broker's id (or ours when it gave none).
      expect(all.filter((e) => e.type === 'OrderAccepted')).toEqual([
        { type: 'OrderAccepted', data: { orderId: 'O-1', brokerOrderId: s.brokerOrderId ?? 'C-1' } },
      ]);
      expect(all[0]!.type).toBe('OrderAccepted');
      expect(view).toMatchObject({ ended: true, filledQty: ordered, filledNotionalFen: last.filledNotionalFen, feeFen: last.feeFen });
    }), { numRuns: 300 });
  });

  it('replaying any report already applied adds nothing (idempotence)', () => {
    fc.assert(fc.property(scenario, (s) => {
      let replays = 0;
      run(s, (i, view, reports) => {
        for (let j = 0; j <= i; j++) {
          expect(eventsOfReport(view, reports[j]!, DAY, split)).toEqual({ kind: 'events', events: [] });
          replays++;
        }
      });
      expect(replays).toBeGreaterThan(0);
    }), { numRuns: 300 });
  });
});
