import type { DomainEvent } from '../../src/domain/events/domainEvent.js';

// Events the risk-projection tests fold: a run, fills and bars of one symbol.
export const SYM = '600000.SH';
type FillData = Extract<DomainEvent, { type: 'OrderFilled' }>['data'];
export const run: DomainEvent = {
  type: 'RunStarted',
  data: { runId: 'r', mode: 'backtest', config: {}, configHash: '0'.repeat(64), dataSource: { kind: 't', description: '', path: null, sha256: null }, codeVersion: 't', initialCashFen: 10_000_000 },
};
export const fill = (d: Pick<FillData, 'side' | 'qty' | 'price' | 'day'>, fees = 500): DomainEvent => ({
  type: 'OrderFilled',
  data: { orderId: 'o', fillId: `f-${d.day}-${d.side}`, symbol: SYM, notionalFen: (d.qty * d.price) / 10, commissionFen: fees, stampDutyFen: 0, transferFeeFen: 0, otherFeesFen: 0, leavesQty: 0, ...d },
});
/** One bar of SYM at `close` (all prices), `preClose` null unless given. */
export const bar = (day: string, close: number, preClose: number | null = null): DomainEvent => ({
  type: 'BarsClosed', data: { day, symbols: [SYM], open: [close], high: [close], low: [close], close: [close], volume: [1], amountFen: [1], preClose: [preClose], isSt: [0] },
});
