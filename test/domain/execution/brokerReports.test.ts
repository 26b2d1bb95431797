import { describe, expect, it } from 'vitest';
import type { BrokerAnswer, ExecOrderView, FeeSplit, OrderReport, ReportOutcome } from '../../../src/domain/index.js';
import { eventsOfReport } from '../../../src/domain/execution/brokerReports.js';

// Given what the journal holds about an order (built from its events), when the broker reports,
// then the events the report adds (or the problem it is).

const DAY = '2024-03-04';
const placed: ExecOrderView = {
  orderId: 'O-1', clientOrderId: 'C-1', symbol: '600000.SH', side: 'buy', orderedQty: 1000, acknowledged: false, ended: false,
  filledQty: 0, filledNotionalFen: 0, feeFen: 0, fills: 0, cancelReason: null,
};

/** The order's view after `events`, folded as the execution projection does. */
function given(events: readonly BrokerAnswer[] = [], start: ExecOrderView = placed): ExecOrderView {
  let v = start;
  for (const e of events) {
    switch (e.type) {
      case 'OrderAccepted': v = { ...v, acknowledged: true }; break;
      case 'OrderFilled': {
        const f = e.data;
        v = {
          ...v, acknowledged: true, filledQty: v.filledQty + f.qty, filledNotionalFen: v.filledNotionalFen + f.notionalFen, fills: v.fills + 1,
          feeFen: v.feeFen + f.commissionFen + f.stampDutyFen + f.transferFeeFen + f.otherFeesFen, ended: f.leavesQty === 0,
        };
        break;
      }
      case 'OrderRejected': case 'OrderExpired': case 'OrderCancelled': v = { ...v, ended: true }; break;
      default: break;
    }
  }
  return v;
}

const report = (r: Partial<OrderReport>): OrderReport => ({
  kind: 'order', clientOrderId: 'C-1', brokerOrderId: 'B-9', status: 'accepted', filledQty: 0, filledNotionalFen: 0, feeFen: 0,
  message: '', at: null, lastFill: null, reason: null, ...r,
});

/** Puts the whole fee into commission, except a tenth as transfer fee; records its calls. */
const calls: Parameters<FeeSplit>[] = [];
const split: FeeSplit = (...args) => {
  calls.push(args);
  const fee = args[3];
  const transferFeeFen = Math.floor(fee / 10);
  return { commissionFen: fee - transferFeeFen, stampDutyFen: 0, transferFeeFen, otherFeesFen: 0 };
};

const when = (v: ExecOrderView | undefined, r: OrderReport): ReportOutcome => eventsOfReport(v, r, DAY, split);
function events(o: ReportOutcome): readonly BrokerAnswer[] {
  if (o.kind !== 'events') throw new Error(`expected events, got the problem: ${o.reason}`);
  return o.events;
}
function problem(o: ReportOutcome): string {
  if (o.kind !== 'problem') throw new Error(`expected a problem, got ${JSON.stringify(o.events)}`);
  return o.reason;
}

const accepted: BrokerAnswer = { type: 'OrderAccepted', data: { orderId: 'O-1', brokerOrderId: 'B-9' } };
const fill = (qty: number, notionalFen: number, fee: number, leavesQty: number, n = 1): BrokerAnswer => ({
  type: 'OrderFilled', data: {
    orderId: 'O-1', fillId: `O-1-F${n}`, day: DAY, symbol: '600000.SH', side: 'buy', qty, price: Math.round((notionalFen * 10) / qty), notionalFen,
    commissionFen: fee, stampDutyFen: 0, transferFeeFen: 0, otherFeesFen: 0, leavesQty,
  },
});

describe('eventsOfReport: acknowledgement', () => {
  it('the first accepted report is OrderAccepted with the broker\'s order id', () => {
    expect(events(when(given(), report({})))).toEqual([{ type: 'OrderAccepted', data: { orderId: 'O-1', brokerOrderId: 'B-9' } }]);
  });

  it('takes the client order id when the broker gives no order id', () => {
    expect(events(when(given(), report({ brokerOrderId: null })))).toEqual([{ type: 'OrderAccepted', data: { orderId: 'O-1', brokerOrderId: 'C-1' } }]);
  });

  it('a repeated accepted report adds nothing', () => {
    expect(events(when(given([accepted]), report({})))).toEqual([]);
  });
});

describe('eventsOfReport: fills from cumulative figures', () => {
  it('a fill without a prior acknowledgement is OrderAccepted then OrderFilled', () => {
    const out = events(when(given(), report({ status: 'partially_filled', filledQty: 400, filledNotionalFen: 409_200, feeFen: 500 })));
    expect(out.map((e) => e.type)).toEqual(['OrderAccepted', 'OrderFilled']);
    expect(out[1]!.data).toEqual({
      orderId: 'O-1', fillId: 'O-1-F1', day: DAY, symbol: '600000.SH', side: 'buy', qty: 400, price: 10_230, notionalFen: 409_200,
      commissionFen: 450, stampDutyFen: 0, transferFeeFen: 50, otherFeesFen: 0, leavesQty: 600,
    });
  });

  it('two partial fills: the second is the difference of the cumulative figures', () => {
    const v = given([accepted, fill(400, 409_200, 500, 600)]);
    calls.length = 0;
    const out = events(when(v, report({ status: 'filled', filledQty: 1000, filledNotionalFen: 1_024_000, feeFen: 600 })));
    expect(out).toHaveLength(1);
    // 614,800 fen for 600 shares = 10.246666… CNY: 10,247 in 0.001 CNY, half up.
    expect(out[0]).toEqual({ type: 'OrderFilled', data: {
      orderId: 'O-1', fillId: 'O-1-F2', day: DAY, symbol: '600000.SH', side: 'buy', qty: 600, price: 10_247, notionalFen: 614_800,
      commissionFen: 90, stampDutyFen: 0, transferFeeFen: 10, otherFeesFen: 0, leavesQty: 0,
    } });
    expect(calls).toEqual([['buy', '600000.SH', 614_800, 100, DAY]]);
  });

  it('rounds the fill price half up (x.5 goes up)', () => {
    // 204,510 fen × 10 / 200 = 10,225.5
    const out = events(when(given([accepted]), report({ status: 'partially_filled', filledQty: 200, filledNotionalFen: 204_510, feeFen: 500 })));
    expect(out[0]!.data).toMatchObject({ qty: 200, price: 10_226, notionalFen: 204_510 });
  });

  it('uses the itemised last fill as it is when its quantity is the increase', () => {
    const lastFill = {
      fillId: 'EX-77', day: '2024-03-01', qty: 400, priceMilli: 10_230, notionalFen: 409_200,
      commissionFen: 102, stampDutyFen: 0, transferFeeFen: 4, otherFeesFen: 1,
    } as const;
    calls.length = 0;
    const out = events(when(given([accepted]), report({ status: 'partially_filled', filledQty: 400, filledNotionalFen: 409_200, feeFen: 107, lastFill: lastFill as OrderReport['lastFill'] })));
    expect(out).toEqual([{ type: 'OrderFilled', data: {
      orderId: 'O-1', fillId: 'EX-77', day: '2024-03-01', symbol: '600000.SH', side: 'buy', qty: 400, price: 10_230, notionalFen: 409_200,
      commissionFen: 102, stampDutyFen: 0, transferFeeFen: 4, otherFeesFen: 1, leavesQty: 600,
    } }]);
    expect(calls).toEqual([]); // the broker's own split, not ours
  });

  it('falls back to the cumulative figures when the itemised fill is not the whole increase (a report was missed)', () => {
    const lastFill = {
      fillId: 'EX-78', day: '2024-03-01', qty: 300, priceMilli: 10_000, notionalFen: 300_000,
      commissionFen: 100, stampDutyFen: 0, transferFeeFen: 0, otherFeesFen: 0,
    } as OrderReport['lastFill'];
    const out = events(when(given([accepted]), report({ status: 'partially_filled', filledQty: 700, filledNotionalFen: 710_000, feeFen: 500, lastFill })));
    expect(out).toEqual([expect.objectContaining({ type: 'OrderFilled', data: expect.objectContaining({ fillId: 'O-1-F1', day: DAY, qty: 700, notionalFen: 710_000, leavesQty: 300 }) })]);
  });

  it('a report with a lower cumulative quantity than journaled (a stale one) adds nothing', () => {
    const v = given([accepted, fill(400, 409_200, 500, 600)]);
    expect(events(when(v, report({ status: 'partially_filled', filledQty: 200, filledNotionalFen: 204_600, feeFen: 500 })))).toEqual([]);
    expect(events(when(v, report({ status: 'accepted' })))).toEqual([]);
    expect(events(when(v, report({ status: 'partially_filled', filledQty: 400, filledNotionalFen: 409_200, feeFen: 500 })))).toEqual([]);
  });
});

describe('eventsOfReport: contradictions are problems', () => {
  it('filled with fewer shares than ordered', () => {
    expect(problem(when(given([accepted]), report({ status: 'filled', filledQty: 900, filledNotionalFen: 900_000, feeFen: 500 })))).toBe('says filled with 900 of 1000 shares');
  });

  it('more shares than ordered, whatever the status', () => {
    expect(problem(when(given([accepted]), report({ status: 'filled', filledQty: 1100, filledNotionalFen: 1_100_000, feeFen: 500 })))).toBe('reports 1100 filled of 1000 ordered');
    expect(problem(when(given([accepted]), report({ status: 'partially_filled', filledQty: 1100, filledNotionalFen: 1_100_000, feeFen: 500 })))).toMatch(/1100 filled of 1000/);
  });

  it('partially filled with nothing or with everything filled', () => {
    expect(problem(when(given([accepted]), report({ status: 'partially_filled', filledQty: 0 })))).toMatch(/partially filled with 0 of 1000/);
    expect(problem(when(given([accepted]), report({ status: 'partially_filled', filledQty: 1000, filledNotionalFen: 1_000_000, feeFen: 500 })))).toMatch(/partially filled with 1000 of 1000/);
  });

  it('a rejection after a fill', () => {
    const v = given([accepted, fill(400, 409_200, 500, 600)]);
    expect(problem(when(v, report({ status: 'rejected', filledQty: 400, filledNotionalFen: 409_200, feeFen: 500 })))).toBe('rejects an order that has fills');
    expect(problem(when(given([accepted]), report({ status: 'rejected', filledQty: 100, filledNotionalFen: 100_000 })))).toBe('rejects an order that has fills');
    // …also when it claims fewer shares than the journal holds (it is not a stale progress report: it ends the order).
    expect(problem(when(v, report({ status: 'rejected', filledQty: 0, filledNotionalFen: 0, feeFen: 0 })))).toBe('rejects an order that has fills');
  });

  it('an itemised fill that is not what the cumulative figures add is not trusted: the cumulative difference is journaled', () => {
    const lastFill = {
      fillId: 'EX-79', day: '2024-03-01', qty: 400, priceMilli: 10_230, notionalFen: 409_200,
      commissionFen: -5, stampDutyFen: 0, transferFeeFen: 0, otherFeesFen: 0,
    } as OrderReport['lastFill'];
    const out = events(when(given([accepted]), report({ status: 'partially_filled', filledQty: 400, filledNotionalFen: 409_200, feeFen: 500, lastFill })));
    expect(out[0]!.data).toMatchObject({ fillId: 'O-1-F1', qty: 400, notionalFen: 409_200 });
    const fees = out[0]!.data as { commissionFen: number; stampDutyFen: number; transferFeeFen: number; otherFeesFen: number };
    expect(fees.commissionFen + fees.stampDutyFen + fees.transferFeeFen + fees.otherFeesFen).toBe(500);
  });

  it('an end with fewer shares than journaled', () => {
    const v = given([accepted, fill(400, 409_200, 500, 600)]);
    expect(problem(when(v, report({ status: 'expired', filledQty: 200, filledNotionalFen: 204_600, feeFen: 500 })))).toMatch(/ends the order with 200 filled, but 400/);
    expect(problem(when(v, report({ status: 'cancelled', filledQty: 0 })))).toMatch(/ends the order with 0 filled/);
  });

  it('fees going down', () => {
    const v = given([accepted, fill(400, 409_200, 500, 600)]);
    expect(problem(when(v, report({ status: 'filled', filledQty: 1000, filledNotionalFen: 1_024_000, feeFen: 400 })))).toBe('lowers the order\'s fees from 500 to 400 fen');
  });

  it('shares added at no value', () => {
    const v = given([accepted, fill(400, 409_200, 500, 600)]);
    expect(problem(when(v, report({ status: 'filled', filledQty: 1000, filledNotionalFen: 409_200, feeFen: 600 })))).toBe('adds 600 shares worth 0 fen');
  });

  it('a report about an order this run does not have', () => {
    expect(problem(when(undefined, report({ clientOrderId: 'C-404' })))).toMatch(/C-404/);
  });

  it('an ended order: a repeat adds nothing, more fills are a problem', () => {
    const done = given([accepted, fill(400, 409_200, 500, 600), { type: 'OrderExpired', data: { orderId: 'O-1', reason: 'END_OF_DAY', details: 'expired' } }]);
    expect(done.ended).toBe(true);
    expect(events(when(done, report({ status: 'expired', filledQty: 400, filledNotionalFen: 409_200, feeFen: 500 })))).toEqual([]);
    expect(events(when(done, report({ status: 'partially_filled', filledQty: 400, filledNotionalFen: 409_200, feeFen: 500 })))).toEqual([]);
    expect(problem(when(done, report({ status: 'filled', filledQty: 1000, filledNotionalFen: 1_024_000, feeFen: 600 })))).toBe('reports 1000 filled after the order ended with 400');
  });

  it('a fully filled order: the final report repeated adds nothing', () => {
    const done = given([accepted, fill(1000, 1_000_000, 500, 0)]);
    expect(events(when(done, report({ status: 'filled', filledQty: 1000, filledNotionalFen: 1_000_000, feeFen: 500 })))).toEqual([]);
  });
});

describe('eventsOfReport: the order\'s end', () => {
  it('expired with the rest: OrderExpired, the reason END_OF_DAY when the report has none and the message as details', () => {
    const v = given([accepted, fill(400, 409_200, 500, 600)]);
    expect(events(when(v, report({ status: 'expired', filledQty: 400, filledNotionalFen: 409_200, feeFen: 500, message: 'no volume left' })))).toEqual([
      { type: 'OrderExpired', data: { orderId: 'O-1', reason: 'END_OF_DAY', details: 'no volume left' } },
    ]);
    expect(events(when(v, report({ status: 'expired', filledQty: 400, filledNotionalFen: 409_200, feeFen: 500, reason: 'VOLUME_LIMIT' })))).toEqual([
      { type: 'OrderExpired', data: { orderId: 'O-1', reason: 'VOLUME_LIMIT', details: 'expired' } },
    ]);
  });

  it('an expiry that also reports a new fill: acknowledgement, fill, expiry', () => {
    const out = events(when(given(), report({ status: 'expired', filledQty: 400, filledNotionalFen: 409_200, feeFen: 500, message: 'day ended' })));
    expect(out.map((e) => e.type)).toEqual(['OrderAccepted', 'OrderFilled', 'OrderExpired']);
    expect(out[1]!.data).toMatchObject({ qty: 400, leavesQty: 600 });
  });

  it('cancelled with the rest: OrderCancelled by the broker, for the reason we asked, else EXCHANGE', () => {
    const v = given([accepted, fill(400, 409_200, 500, 600)]);
    expect(events(when({ ...v, cancelReason: 'USER' }, report({ status: 'cancelled', filledQty: 400, filledNotionalFen: 409_200, feeFen: 500, message: '撤单成功' })))).toEqual([
      { type: 'OrderCancelled', data: { orderId: 'O-1', reason: 'USER', by: 'broker', details: '撤单成功' } },
    ]);
    expect(events(when(v, report({ status: 'cancelled', filledQty: 400, filledNotionalFen: 409_200, feeFen: 500 })))).toEqual([
      { type: 'OrderCancelled', data: { orderId: 'O-1', reason: 'EXCHANGE', by: 'broker', details: 'cancelled by the broker' } },
    ]);
  });

  it('cancelled after everything filled: only the fill', () => {
    const v = given([accepted, fill(400, 409_200, 500, 600)]);
    const out = events(when(v, report({ status: 'cancelled', filledQty: 1000, filledNotionalFen: 1_024_000, feeFen: 600 })));
    expect(out.map((e) => e.type)).toEqual(['OrderFilled']);
    expect(out[0]!.data).toMatchObject({ qty: 600, leavesQty: 0 });
  });

  it('rejected: OrderRejected, BROKER_ERROR unless a reason is given, the broker\'s message verbatim, no acknowledgement first', () => {
    const message = '资金不足, available 12.34 CNY  (code -150906130)';
    expect(events(when(given(), report({ status: 'rejected', message })))).toEqual([
      { type: 'OrderRejected', data: { orderId: 'O-1', reason: 'BROKER_ERROR', details: message } },
    ]);
    expect(events(when(given([accepted]), report({ status: 'rejected', reason: 'INSUFFICIENT_CASH', message: 'no cash' })))).toEqual([
      { type: 'OrderRejected', data: { orderId: 'O-1', reason: 'INSUFFICIENT_CASH', details: 'no cash' } },
    ]);
    expect(events(when(given(), report({ status: 'rejected' })))).toEqual([
      { type: 'OrderRejected', data: { orderId: 'O-1', reason: 'BROKER_ERROR', details: 'rejected by the broker' } },
    ]);
  });

  it('a sell keeps its side and passes it to the fee split', () => {
    calls.length = 0;
    const sell = given([accepted], { ...placed, side: 'sell' });
    const out = events(when(sell, report({ status: 'filled', filledQty: 1000, filledNotionalFen: 1_000_000, feeFen: 1_510 })));
    expect(out[0]!.data).toMatchObject({ side: 'sell', qty: 1000, price: 10_000, leavesQty: 0 });
    expect(calls).toEqual([['sell', '600000.SH', 1_000_000, 1_510, DAY]]);
  });
});
