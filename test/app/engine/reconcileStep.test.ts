import { describe, expect, it } from 'vitest';
import type { DataOf, DomainEvent, NewEvent } from '../../../src/domain/index.js';
import { canonicalHash, smaCrossover } from '../../../src/domain/index.js';
import { createReplayClock } from '../../../src/adapters/clock/clocks.js';
import { createDeterministicIds } from '../../../src/adapters/ids/idGenerators.js';
import { evolveKernel, initialKernel } from '../../../src/app/engine/kernel.js';
import { reconcileStep, reconcileWhy } from '../../../src/app/engine/reconcileStep.js';
import type { ReconcilePolicy } from '../../../src/app/engine/reconcileStep.js';
import { Stager } from '../../../src/app/engine/stager.js';

// Given the journal's events (folded into a kernel), when the broker reports its positions and
// cash at the close, then the events the reconciliation stages (and the kernel they leave).

const strategy = smaCrossover({ fast: 3, slow: 8 });
const DAY = '2024-03-04';
const AT = Date.parse('2024-03-04T15:05:00+08:00');
const SH = '600000.SH', SZ = '000001.SZ';

const runStarted: DomainEvent = {
  type: 'RunStarted', data: {
    runId: 'run-rec', mode: 'paper', config: { test: true }, configHash: canonicalHash({ test: true }),
    dataSource: { kind: 'test', description: 'hand-made', path: null, sha256: null }, codeVersion: 'ashare@test', initialCashFen: 1_000_000,
  },
};
/** A buy of 100 × 600000.SH at 10.000 CNY, 5.00 CNY commission: cash 1,000,000 → 899,500 fen, cost 100,500 fen. */
const bought: DomainEvent[] = [
  { type: 'OrderRequested', data: { orderId: 'O-1', day: '2024-03-01', symbol: SH, side: 'buy', qty: 100, orderType: 'market', limitPrice: null, timeInForce: 'day', refPrice: 10_000, signalId: null } },
  { type: 'OrderApproved', data: { orderId: 'O-1', ruleVersion: 'test', reservedFen: 101_000 } },
  { type: 'OrderSubmitted', data: { orderId: 'O-1', broker: 'paper', clientOrderId: 'C-1' } },
  { type: 'OrderAccepted', data: { orderId: 'O-1', brokerOrderId: 'B-1' } },
  { type: 'OrderFilled', data: {
    orderId: 'O-1', fillId: 'O-1-F1', day: DAY, symbol: SH, side: 'buy', qty: 100, price: 10_000, notionalFen: 100_000,
    commissionFen: 500, stampDutyFen: 0, transferFeeFen: 0, otherFeesFen: 0, leavesQty: 0,
  } },
];
const halted: DomainEvent = { type: 'TradingStateChanged', data: { day: DAY, from: 'ACTIVE', to: 'HALTED', by: 'alice', why: 'checking' } };

function given(events: readonly DomainEvent[]): Stager<ReturnType<typeof strategy.init>> {
  let k = initialKernel(strategy);
  for (const e of events) k = evolveKernel(k, e, strategy);
  return new Stager(k, strategy, { ids: createDeterministicIds('reconcile-test'), clock: createReplayClock(AT) });
}

type Pos = DataOf<'BrokerStateReported'>['positions'][number];
const brokerSays = (positions: Pos[], cashFen: number, frozenCashFen = 0): DataOf<'BrokerStateReported'> => ({
  day: DAY, occasion: 'close', positions, cashFen, frozenCashFen, totalAssetFen: cashFen + frozenCashFen,
});
const sh = (quantity: number, avgCostMilli: number | null = 10_050): Pos => ({ symbol: SH, quantity, sellable: 0, avgCostMilli });

const types = (events: readonly NewEvent[]) => events.map((e) => e.type);
const dataOf = <T extends DomainEvent['type']>(events: readonly NewEvent[], type: T): DataOf<T>[] =>
  events.filter((e) => e.type === type).map((e) => e.data as DataOf<T>);

describe('reconcileStep', () => {
  it('the same positions and cash: the broker state, then ReconciliationPassed caused by it', () => {
    const st = given([runStarted, ...bought]);
    const broker = brokerSays([sh(100)], 899_500);
    expect(reconcileStep(st, broker, 'halt', AT, reconcileWhy('close'))).toBe(0);
    expect(types(st.events)).toEqual(['BrokerStateReported', 'ReconciliationPassed']);
    expect(st.events[0]).toMatchObject({ stream: 'reconciliation', occurredAt: AT, data: broker });
    expect(st.events[1]).toMatchObject({ causationId: st.events[0]!.eventId, data: { day: DAY, positions: 1, cashFen: 899_500 } });
  });

  it('compares cash as the broker\'s available plus frozen cash', () => {
    const st = given([runStarted, ...bought]);
    expect(reconcileStep(st, brokerSays([sh(100)], 800_000, 99_500), 'halt', AT, 'at the close')).toBe(0);
    expect(types(st.events)).toEqual(['BrokerStateReported', 'ReconciliationPassed']);
  });

  it('policy halt: a break per difference, one critical alert, and the account HALTED by risk:reconciliation', () => {
    const st = given([runStarted, ...bought]);
    const before = st.kernel.projections.portfolio;
    expect(reconcileStep(st, brokerSays([sh(200)], 900_000), 'halt', AT, reconcileWhy('close'))).toBe(2);
    expect(types(st.events)).toEqual(['BrokerStateReported', 'ReconciliationBreak', 'ReconciliationBreak', 'AlertRaised', 'TradingStateChanged']);
    expect(dataOf(st.events, 'ReconciliationBreak')).toEqual([
      { day: DAY, symbol: SH, field: 'quantity', ours: 100, theirs: 200, policy: 'halt' },
      { day: DAY, symbol: null, field: 'cash', ours: 899_500, theirs: 900_000, policy: 'halt' },
    ]);
    const [alert] = dataOf(st.events, 'AlertRaised');
    expect(alert).toMatchObject({ code: 'RECONCILIATION_BREAK', level: 'critical', day: DAY });
    expect(alert!.message).toContain('2 difference(s) with the broker at the close');
    expect(dataOf(st.events, 'TradingStateChanged')).toEqual([expect.objectContaining({ day: DAY, from: 'ACTIVE', to: 'HALTED', by: 'risk:reconciliation' })]);
    for (const e of st.events.slice(1)) expect(e.causationId).toBe(st.events[0]!.eventId);
    // The account stops; the portfolio is left as the journal has it.
    expect(st.kernel.projections.risk.state).toBe('HALTED');
    expect(st.kernel.projections.portfolio.cashFen).toBe(before.cashFen);
    expect(st.kernel.projections.portfolio.positions.get(SH)?.qty).toBe(100);
    expect(types(st.events)).not.toContain('PositionAdjusted');
    expect(types(st.events)).not.toContain('CashAdjusted');
  });

  it('policy halt on an account already HALTED: breaks and the alert, no state change', () => {
    const st = given([runStarted, ...bought, halted]);
    expect(reconcileStep(st, brokerSays([sh(100)], 900_000), 'halt', AT, reconcileWhy('resume'))).toBe(1);
    expect(types(st.events)).toEqual(['BrokerStateReported', 'ReconciliationBreak', 'AlertRaised']);
    expect(dataOf(st.events, 'AlertRaised')[0]!.message).toContain('on resume');
    expect(st.kernel.projections.risk.state).toBe('HALTED');
  });

  it('policy adopt: adjustments that make the portfolio the broker\'s, cost from the broker\'s average cost', () => {
    const st = given([runStarted, ...bought]);
    expect(reconcileStep(st, brokerSays([sh(200, 10_123)], 900_000), 'adopt', AT, 'at the close')).toBe(2);
    expect(types(st.events)).toEqual(['BrokerStateReported', 'ReconciliationBreak', 'ReconciliationBreak', 'AlertRaised', 'PositionAdjusted', 'CashAdjusted']);
    expect(dataOf(st.events, 'ReconciliationBreak').map((b) => b.policy)).toEqual(['adopt', 'adopt']);
    expect(dataOf(st.events, 'PositionAdjusted')).toEqual([expect.objectContaining({ day: DAY, symbol: SH, fromQty: 100, toQty: 200, costFen: 202_460 })]);
    expect(dataOf(st.events, 'CashAdjusted')).toEqual([expect.objectContaining({ day: DAY, fromFen: 899_500, toFen: 900_000 })]);
    const p = st.kernel.projections.portfolio;
    expect(p.cashFen).toBe(900_000);
    expect(p.positions.get(SH)).toMatchObject({ qty: 200, costFen: 202_460 }); // 10.123 CNY × 200, in fen
    expect(st.kernel.projections.risk.state).toBe('ACTIVE');
    expect(types(st.events)).not.toContain('TradingStateChanged');
  });

  it('policy adopt: a symbol only the broker holds appears, a symbol only we hold is removed', () => {
    const st = given([runStarted, ...bought]);
    const theirs: Pos = { symbol: SZ, quantity: 300, sellable: 300, avgCostMilli: 12_345 };
    expect(reconcileStep(st, brokerSays([theirs], 899_500), 'adopt', AT, 'at the close')).toBe(2);
    // Breaks in symbol order.
    expect(dataOf(st.events, 'ReconciliationBreak').map((b) => [b.symbol, b.ours, b.theirs])).toEqual([[SZ, 0, 300], [SH, 100, 0]]);
    expect(dataOf(st.events, 'PositionAdjusted')).toEqual([
      expect.objectContaining({ symbol: SZ, fromQty: 0, toQty: 300, costFen: 370_350 }),
      expect.objectContaining({ symbol: SH, fromQty: 100, toQty: 0, costFen: 0 }),
    ]);
    const p = st.kernel.projections.portfolio;
    expect([...p.positions.keys()]).toEqual([SZ]);
    expect(p.positions.get(SZ)).toMatchObject({ qty: 300, costFen: 370_350 });
    expect(p.cashFen).toBe(899_500);
    expect(types(st.events)).not.toContain('CashAdjusted');
  });

  it('policy adopt without the broker\'s average cost: our cost scaled pro rata, nothing for a holding new to us', () => {
    const st = given([runStarted, ...bought]);
    reconcileStep(st, brokerSays([sh(300, null), { symbol: SZ, quantity: 100, sellable: 0, avgCostMilli: null }], 899_500), 'adopt', AT, 'at the close');
    expect(dataOf(st.events, 'PositionAdjusted').map((a) => [a.symbol, a.toQty, a.costFen])).toEqual([[SZ, 100, 0], [SH, 300, 301_500]]);
  });

  it('after adopting, the same broker state reconciles clean', () => {
    const st = given([runStarted, ...bought]);
    const broker = brokerSays([sh(200, 10_123), { symbol: SZ, quantity: 300, sellable: 300, avgCostMilli: 12_345 }], 700_000, 50_000);
    expect(reconcileStep(st, broker, 'adopt', AT, 'at the close')).toBe(3);
    st.take();
    expect(reconcileStep(st, broker, 'halt', AT, 'at the close')).toBe(0);
    expect(types(st.events)).toEqual(['BrokerStateReported', 'ReconciliationPassed']);
    expect(dataOf(st.events, 'ReconciliationPassed')).toEqual([{ day: DAY, positions: 2, cashFen: 750_000 }]);
  });

  it('returns the number of breaks under either policy', () => {
    for (const policy of ['halt', 'adopt'] as ReconcilePolicy[]) {
      const st = given([runStarted]);
      expect(reconcileStep(st, brokerSays([], 1_000_000), policy, AT, 'at the close')).toBe(0);
      expect(reconcileStep(given([runStarted]), brokerSays([], 999_999), policy, AT, 'at the close')).toBe(1);
    }
  });
});
