import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LifecycleErrorCode, LifecycleStatus, OrderEvent, OrderLifecycle } from '../../../src/domain/orders/index.js';
import { LIFECYCLE_STATUSES, applyOrderEvent, isTerminalStatus } from '../../../src/domain/orders/index.js';
import { notionalFen, priceMilli, shares } from '../../../src/domain/money.js';

/*
 * Model-based test of the order lifecycle. Any sequence of commands (legal or not, in any order)
 * is applied both to the state machine and to a deliberately simple model written from the
 * diagram in orderLifecycle.ts. After every command:
 *   I1 the machine's state is one of the eight legal statuses, and `end` is set exactly for
 *      Rejected, Expired and Cancelled;
 *   I2 0 ≤ filled ≤ ordered and filled + leaves = ordered;
 *   I3 a refused command leaves the state unchanged (the very same object) and is refused
 *      exactly when the model says it is illegal, with a coded error;
 *   I4 model and machine agree on status, approval, filled quantity and filled notional;
 *   I5 final states are absorbing: once final, the status never changes again;
 *   I6 an order past New was approved, and an order with fills had been accepted.
 */

type ModelStatus = LifecycleStatus | 'None';
interface Model { status: ModelStatus; approved: boolean; ordered: number; filled: number; notional: number; accepted: boolean }
interface Real { state: OrderLifecycle | undefined; finalStatus: LifecycleStatus | null }

const ID = 'o1';
const OPEN_AT_BROKER: readonly ModelStatus[] = ['Submitted', 'Accepted', 'PartiallyFilled'];
/** Statuses only a submitted order can be in. */
const SUBMITTED_ONLY: readonly LifecycleStatus[] = ['Submitted', 'Accepted', 'PartiallyFilled', 'Filled', 'Expired'];
const isFinal = (s: ModelStatus): boolean => s === 'Filled' || s === 'Rejected' || s === 'Expired' || s === 'Cancelled';
/** Statuses (with the two kinds of Rejected) reached anywhere in the run: guards against a vacuous pass. */
const reached = new Set<string>();

abstract class OrderCommand implements fc.Command<Model, Real> {
  check(): boolean { return true; } // illegal commands are run too: refusing them is part of the contract
  /** The event to apply, built from the model (the fill commands size themselves on what is open). */
  abstract event(m: Readonly<Model>): OrderEvent;
  /** How the model moves when the model deems the command legal; `false` when it is illegal. */
  abstract next(m: Readonly<Model>, e: OrderEvent): Partial<Model> | false;
  abstract toString(): string;

  run(m: Model, r: Real): void {
    const e = this.event(m);
    const before = r.state;
    const res = applyOrderEvent(before, e);
    const legal = m.status !== 'None' || e.type === 'OrderRequested' ? (isFinal(m.status) ? false : this.next(m, e)) : false;
    if (legal === false) {
      expect(res.ok, `${this.toString()} from ${m.status} should be refused`).toBe(false);
      if (!res.ok) expect(res.error.code).toBe(expectedCode(m, e));
      expect(r.state).toBe(before); // I3: the wrapper only ever stores an accepted result
    } else {
      expect(res.ok, `${this.toString()} from ${m.status}: ${res.ok ? '' : res.error.message}`).toBe(true);
      if (res.ok) r.state = res.state;
      Object.assign(m, legal);
    }
    checkInvariants(m, r);
  }
}

function expectedCode(m: Readonly<Model>, e: OrderEvent): LifecycleErrorCode {
  if (m.status === 'None') return 'UNKNOWN_ORDER';
  if (isFinal(m.status)) return 'ALREADY_FINAL';
  if (e.type === 'OrderFilled' && (m.status === 'Accepted' || m.status === 'PartiallyFilled')) {
    return m.filled + e.data.qty > m.ordered ? 'OVERFILL' : 'LEAVES_MISMATCH';
  }
  return 'ILLEGAL_TRANSITION';
}

function checkInvariants(m: Readonly<Model>, r: Real): void {
  const s = r.state;
  if (s === undefined) { expect(m.status).toBe('None'); return; }
  expect(LIFECYCLE_STATUSES).toContain(s.status); // I1
  expect(s.end !== null).toBe(s.status === 'Rejected' || s.status === 'Expired' || s.status === 'Cancelled');
  expect(s.filledQty).toBeGreaterThanOrEqual(0); // I2
  expect(s.filledQty).toBeLessThanOrEqual(s.orderedQty);
  expect(s.filledQty + s.leavesQty).toBe(s.orderedQty);
  expect({ status: s.status, approved: s.approved, ordered: s.orderedQty, filled: s.filledQty, notional: s.filledNotionalFen }) // I4
    .toEqual({ status: m.status, approved: m.approved, ordered: m.ordered, filled: m.filled, notional: m.notional });
  if (r.finalStatus !== null) expect(s.status).toBe(r.finalStatus); // I5
  if (isTerminalStatus(s.status)) r.finalStatus = s.status;
  if (SUBMITTED_ONLY.includes(s.status) || s.end?.by === 'broker') expect(s.approved).toBe(true); // I6
  if (s.filledQty > 0) expect(m.accepted).toBe(true);
  reached.add(s.status === 'Rejected' ? `Rejected/${s.end.by}` : s.status);
}

const simple = (name: string, make: () => OrderEvent, next: (m: Readonly<Model>) => Partial<Model> | false): fc.Arbitrary<OrderCommand> =>
  fc.constant(new (class extends OrderCommand {
    event = make;
    next = next;
    toString = () => name;
  })());

const fill = (name: string, qtyOf: (m: Readonly<Model>) => number, leavesSkew: number, price: number): OrderCommand =>
  new (class extends OrderCommand {
    event(m: Readonly<Model>): OrderEvent {
      const qty = qtyOf(m);
      return {
        type: 'OrderFilled',
        data: {
          orderId: ID, fillId: 'f', day: '2024-03-04', symbol: '600000.SH', side: 'buy', qty, price, notionalFen: notionalFen(priceMilli(price), shares(qty)),
          commissionFen: 0, stampDutyFen: 0, transferFeeFen: 0, otherFeesFen: 0, leavesQty: Math.max(0, m.ordered - m.filled - qty) + leavesSkew,
        },
      };
    }
    next(m: Readonly<Model>, e: OrderEvent): Partial<Model> | false {
      if (e.type !== 'OrderFilled' || (m.status !== 'Accepted' && m.status !== 'PartiallyFilled')) return false;
      const filled = m.filled + e.data.qty;
      if (filled > m.ordered || e.data.leavesQty !== m.ordered - filled) return false;
      return { filled, notional: m.notional + e.data.notionalFen, status: filled === m.ordered ? 'Filled' : 'PartiallyFilled' };
    }
    toString = () => `${name}(skew ${leavesSkew}, @${price})`;
  })();

const priceArb = fc.integer({ min: 1, max: 200_000 });
/** Weights favour the forward path so that walks get past acceptance before something ends them. */
const WEIGHTS = [2, 3, 1, 3, 3, 1, 1, 1, 1, 4, 2, 1];
const commandArbs = [
  fc.integer({ min: 1, max: 100_000 }).map((qty) => new (class extends OrderCommand {
    event = (): OrderEvent => ({
      type: 'OrderRequested',
      data: { orderId: ID, day: '2024-03-01', symbol: '600000.SH', side: 'buy', qty, orderType: 'market', limitPrice: null, timeInForce: 'day', refPrice: 10_000, signalId: null },
    });
    next = (m: Readonly<Model>): Partial<Model> | false => (m.status === 'None' ? { status: 'New', ordered: qty } : false);
    toString = () => `Request(${qty})`;
  })()),
  simple('Approve', () => ({ type: 'OrderApproved', data: { orderId: ID, ruleVersion: 'v', reservedFen: 0 } }),
    (m) => (m.status === 'New' && !m.approved ? { approved: true } : false)),
  simple('Deny', () => ({ type: 'OrderDenied', data: { orderId: ID, reason: 'INSUFFICIENT_CASH', rule: 'availability', details: '', ruleVersion: 'v' } }),
    (m) => (m.status === 'New' && !m.approved ? { status: 'Rejected' } : false)),
  simple('Submit', () => ({ type: 'OrderSubmitted', data: { orderId: ID, broker: 'sim', clientOrderId: ID } }),
    (m) => (m.status === 'New' && m.approved ? { status: 'Submitted' } : false)),
  simple('Accept', () => ({ type: 'OrderAccepted', data: { orderId: ID, brokerOrderId: 'b' } }),
    (m) => (m.status === 'Submitted' ? { status: 'Accepted', accepted: true } : false)),
  simple('Reject', () => ({ type: 'OrderRejected', data: { orderId: ID, reason: 'PRICE_LIMIT', details: '' } }),
    (m) => (m.status === 'Submitted' || m.status === 'Accepted' ? { status: 'Rejected' } : false)),
  simple('Expire', () => ({ type: 'OrderExpired', data: { orderId: ID, reason: 'END_OF_DAY', details: '' } }),
    (m) => (OPEN_AT_BROKER.includes(m.status) ? { status: 'Expired' } : false)),
  simple('Cancel', () => ({ type: 'OrderCancelled', data: { orderId: ID, reason: 'USER', by: 'u', details: '' } }),
    (m) => (m.status === 'New' || OPEN_AT_BROKER.includes(m.status) ? { status: 'Cancelled' } : false)),
  // Fill(qty): any quantity, often too much; PartialFill: a share of what is open; FillRest: all of it;
  // a non-zero skew makes leavesQty disagree with ordered − filled.
  fc.tuple(fc.integer({ min: 1, max: 120_000 }), priceArb).map(([q, p]) => fill('Fill', () => q, 0, p)),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), priceArb).map(([f, p]) =>
    fill('PartialFill', (m) => Math.max(1, Math.floor((m.ordered - m.filled) * f)), 0, p)),
  priceArb.map((p) => fill('FillRest', (m) => Math.max(1, m.ordered - m.filled), 0, p)),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: -3, max: 3 }).filter((d) => d !== 0), priceArb).map(([f, d, p]) =>
    fill('SkewedFill', (m) => Math.max(1, Math.floor((m.ordered - m.filled) * f)), d, p)),
].map((arbitrary, i) => ({ arbitrary, weight: WEIGHTS[i]! }));

const initial = (): { model: Model; real: Real } => ({
  model: { status: 'None', approved: false, ordered: 0, filled: 0, notional: 0, accepted: false },
  real: { state: undefined, finalStatus: null },
});

describe('order lifecycle against a model', () => {
  it('any command sequence keeps I1–I6', () => {
    fc.assert(fc.property(fc.commands([fc.oneof(...commandArbs)], { maxCommands: 40, size: 'medium' }), (cmds) => { fc.modelRun(initial, cmds); }), { numRuns: 1_000 });
    // Not vacuous: the random walks reached every status, and both kinds of rejection.
    expect([...reached].sort()).toEqual(
      ['Accepted', 'Cancelled', 'Expired', 'Filled', 'New', 'PartiallyFilled', 'Rejected/broker', 'Rejected/gate', 'Submitted']);
  });
});
