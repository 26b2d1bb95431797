import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/domain/index.js';
import { emptyExecution, ENDED_MEMORY, evolveExecution, execViewOf, ordersAtBroker, ordersToRelease } from '../../src/projections/execution.js';

const id = (n: number) => `O-2024-03-01-${String(n).padStart(4, '0')}`;
const cid = (n: number) => `abcd1234-20240301-${String(n).padStart(4, '0')}`;
const lifecycle = (n: number, end: boolean): DomainEvent[] => [
  { type: 'OrderRequested', data: { orderId: id(n), day: '2024-03-01', symbol: '600000.SH', side: 'buy', qty: 200, orderType: 'market', limitPrice: null, timeInForce: 'day', refPrice: 10_000, signalId: null } },
  { type: 'OrderApproved', data: { orderId: id(n), ruleVersion: 'v', reservedFen: 0 } },
  { type: 'OrderSubmitted', data: { orderId: id(n), broker: 'paper', clientOrderId: cid(n) } },
  { type: 'OrderAccepted', data: { orderId: id(n), brokerOrderId: `B${n}` } },
  ...(end ? [{ type: 'OrderFilled', data: {
    orderId: id(n), fillId: `F${n}`, day: '2024-03-01', symbol: '600000.SH', side: 'buy', qty: 200, price: 10_000, notionalFen: 200_000,
    commissionFen: 500, stampDutyFen: 0, transferFeeFen: 2, otherFeesFen: 0, leavesQty: 0,
  } } as DomainEvent] : []),
];
const fold = (events: readonly DomainEvent[]) => events.reduce(evolveExecution, emptyExecution);

describe('execution projection', () => {
  it('tracks an order from approval to the broker: released once, then at the broker, acknowledged, then ended with its fill', () => {
    const approved = fold(lifecycle(1, false).slice(0, 2));
    expect(ordersToRelease(approved, () => true).map((o) => o.orderId)).toEqual([id(1)]);
    const atBroker = fold(lifecycle(1, false));
    expect(ordersToRelease(atBroker, () => true)).toEqual([]);
    expect(ordersAtBroker(atBroker)).toMatchObject([{ orderId: id(1), clientOrderId: cid(1), acknowledged: true }]);
    const ended = fold(lifecycle(1, true));
    expect(ended.open.size).toBe(0);
    expect(ended.byClient.size).toBe(0);
    expect(execViewOf(ended, cid(1))).toMatchObject({ ended: true, filledQty: 200 });
  });

  it('remembers only the most recently ended orders, so its maps stay small over a long run', () => {
    const n = 2 * ENDED_MEMORY + 50;
    const s = fold(Array.from({ length: n }, (_, i) => lifecycle(i + 1, true)).flat());
    // Two generations: the last 50 ended and the ENDED_MEMORY before them.
    expect(s.ended.size).toBe(50);
    expect(s.endedBefore.size).toBe(ENDED_MEMORY);
    expect(s.open.size + s.byClient.size).toBe(0);
    for (let i = n - ENDED_MEMORY + 1; i <= n; i++) expect(execViewOf(s, cid(i))).toMatchObject({ ended: true });
    expect(execViewOf(s, cid(n - ENDED_MEMORY - 50))).toBeUndefined(); // forgotten: a report about it now is a journaled problem
    expect(execViewOf(s, cid(1))).toBeUndefined();
  });
});
