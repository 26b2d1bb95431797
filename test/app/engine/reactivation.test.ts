import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { DataOf, DomainEvent, NewEvent } from '../../../src/domain/index.js';
import { canonicalHash, exchangeTimeMs } from '../../../src/domain/index.js';
import type { TradingDay } from '../../../src/domain/index.js';
import { base, mr } from './clientConfig.js';
import { createReplayClock } from '../../../src/adapters/clock/clocks.js';
import { createDeterministicIds } from '../../../src/adapters/ids/idGenerators.js';
import { rulesFromConfig, validateConfig } from '../../../src/app/config/index.js';
import { closeStep, type EngineRules } from '../../../src/app/engine/closeStep.js';
import { evolveKernel, initialKernel } from '../../../src/app/engine/kernel.js';
import { requestedChange } from '../../../src/app/engine/riskSteps.js';
import { Stager } from '../../../src/app/engine/stager.js';

// The drawdown re-activation policy in the after-close step the backtest, the service and the audit
// replay all run: given the journal's events (folded into a kernel), when a day closes, then the
// TradingStateChanged the step stages (or none).


/** The backtest config's rules with stops off (they would sell the losing position) and `policy` (undefined: the key left out). */
function rulesWith(policy: unknown): EngineRules<unknown> {
  const c = JSON.parse(JSON.stringify(base.right.config)) as { risk: Record<string, unknown> & { stops: Record<string, unknown> } };
  c.risk.stops = { ...c.risk.stops, fixedPct: null };
  if (policy !== undefined) c.risk['drawdownReactivation'] = policy;
  const v = validateConfig(c, 'test', base.right.baseDir);
  if (!isRight(v)) throw new Error(v.left.problems.join('; '));
  return rulesFromConfig(v.right.config, mr.right);
}

const SH = '600000.SH';
const CASH = 10_000_000; // fen
const run: DomainEvent = {
  type: 'RunStarted', data: {
    runId: 'run-policy', mode: 'backtest', config: { test: true }, configHash: canonicalHash({ test: true }),
    dataSource: { kind: 'test', description: 'hand-made', path: null, sha256: null }, codeVersion: 'ashare@test', initialCashFen: CASH,
  },
};
/** 5,000 × 600000.SH bought at 10.000 CNY with 5.00 CNY commission: cash 4,999,500 fen. */
const bought = (day: string): DomainEvent[] => [
  { type: 'OrderRequested', data: { orderId: 'O-1', day, symbol: SH, side: 'buy', qty: 5000, orderType: 'market', limitPrice: null, timeInForce: 'day', refPrice: 10_000, signalId: null } },
  { type: 'OrderApproved', data: { orderId: 'O-1', ruleVersion: 'test', reservedFen: 5_001_000 } },
  { type: 'OrderSubmitted', data: { orderId: 'O-1', broker: 'sim', clientOrderId: 'C-1' } },
  { type: 'OrderAccepted', data: { orderId: 'O-1', brokerOrderId: 'B-1' } },
  { type: 'OrderFilled', data: {
    orderId: 'O-1', fillId: 'O-1-F1', day, symbol: SH, side: 'buy', qty: 5000, price: 10_000, notionalFen: 5_000_000,
    commissionFen: 500, stampDutyFen: 0, transferFeeFen: 0, otherFeesFen: 0, leavesQty: 0,
  } },
];
const bars = (day: string, closeMilli: number): DataOf<'BarsClosed'> => ({
  day, symbols: [SH], open: [closeMilli], high: [closeMilli], low: [closeMilli], close: [closeMilli], volume: [1_000_000], amountFen: [closeMilli * 100_000], preClose: [null], isSt: [0],
});
/** Equity at a close of `closeMilli` with the 5,000 shares held. */
const equityAt = (closeMilli: number): number => 4_999_500 + (5000 * closeMilli) / 10;
const reducing = (day: string, by = 'risk:maxDrawdown'): DomainEvent =>
  ({ type: 'TradingStateChanged', data: { day, from: 'ACTIVE', to: 'REDUCING', by, why: 'drawdown 12.01% reached the 10.00% limit' } });

/**
 * Given: bought at 10.000 on `day`, closed at 7.600 (equity 8,799,500 fen, 12% below the
 * 10,000,000 start), and the drawdown rule's REDUCING on that close.
 */
const reducedOn = (day: string, by?: string): DomainEvent[] => [
  run, ...bought(day), { type: 'BarsClosed', data: bars(day, 7_600) },
  { type: 'DayClosed', data: { day, cashFen: 4_999_500, positionsValueFen: 3_800_000, equityFen: equityAt(7_600), positions: 1 } }, reducing(day, by),
];

function given(rules: EngineRules<unknown>, events: readonly DomainEvent[]): Stager<unknown> {
  let k = initialKernel(rules.strategy, rules.risk?.config.stops.atrPeriod);
  for (const e of events) k = evolveKernel(k, e, rules.strategy);
  return new Stager(k, rules.strategy, { ids: createDeterministicIds('policy-test'), clock: createReplayClock(0) });
}

/** When `day` closes at `closeMilli`: the step's TradingStateChanged events. */
function close(st: Stager<unknown>, rules: EngineRules<unknown>, day: string, closeMilli: number): DataOf<'TradingStateChanged'>[] {
  const from = st.events.length;
  const d = day as TradingDay;
  closeStep(st, rules, { bars: bars(day, closeMilli), marketEvents: [], closeAt: exchangeTimeMs(d, 15, 0), at: exchangeTimeMs(d, 15, 5), requests: [] });
  return st.events.slice(from).filter((e: NewEvent) => e.type === 'TradingStateChanged').map((e) => e.data as DataOf<'TradingStateChanged'>);
}

describe('the drawdown re-activation policy in the after-close step', () => {
  it('manual (written, or the key left out): REDUCING stays, a year on and above the old peak', () => {
    for (const policy of ['manual', undefined]) {
      const rules = rulesWith(policy);
      const st = given(rules, reducedOn('2024-03-04'));
      for (const [day, price] of [['2024-03-05', 7_600], ['2024-06-03', 9_900], ['2025-03-04', 12_000]] as const) expect(close(st, rules, day, price)).toEqual([]);
      expect(st.kernel.projections.risk.state).toBe('REDUCING');
    }
  });

  it('afterDays 3: nothing on the 1st and 2nd trading day after; ACTIVE by policy:afterDays at the 3rd close, right after its DayClosed', () => {
    const rules = rulesWith({ afterDays: 3 });
    const st = given(rules, reducedOn('2024-03-04'));
    expect(close(st, rules, '2024-03-05', 7_600)).toEqual([]);
    expect(close(st, rules, '2024-03-06', 7_600)).toEqual([]);
    const from = st.events.length;
    expect(close(st, rules, '2024-03-07', 7_600)).toEqual([{
      day: '2024-03-07', from: 'REDUCING', to: 'ACTIVE', by: 'policy:afterDays',
      why: '3 trading days REDUCING since 2024-03-04 (afterDays 3), drawdown 12.01% (limit 10.00%); the drawdown is measured afresh from this close',
    }]);
    const step = st.events.slice(from);
    expect(step.map((e) => e.type)).toEqual(['BarsClosed', 'DayClosed', 'TradingStateChanged']);
    expect(step[2]!.causationId).toBe(step[1]!.eventId);
    expect(st.kernel.projections.risk.state).toBe('ACTIVE');
  });

  it('afterDays counts the exchange\'s trading days: the Spring Festival closure is not a cooling-off day', () => {
    const rules = rulesWith({ afterDays: 3 });
    // REDUCING on Thursday 2024-02-08; the exchanges were closed 2024-02-09 … 02-16 (holidays.yaml).
    expect(close(given(rules, reducedOn('2024-02-08')), rules, '2024-02-20', 7_600)).toEqual([]);
    expect(close(given(rules, reducedOn('2024-02-08')), rules, '2024-02-21', 7_600)).toMatchObject([{ by: 'policy:afterDays', why: expect.stringMatching(/^3 trading days/) }]);
    // A service that missed closes (down for days) still counts the days the exchange traded.
    expect(close(given(rules, reducedOn('2024-02-08')), rules, '2024-03-01', 7_600)).toMatchObject([{ by: 'policy:afterDays', why: expect.stringMatching(/^10 trading days/) }]);
  });

  it('onRecovery 5%: at a close 5% or more below the 10,000,000 peak nothing; under 5% ACTIVE by policy:onRecovery', () => {
    const rules = rulesWith({ onRecovery: 0.05 });
    const st = given(rules, reducedOn('2024-03-04'));
    expect(equityAt(9_000)).toBe(9_499_500);
    expect(close(st, rules, '2024-03-05', 9_000)).toEqual([]); // 5.005% below
    expect(close(st, rules, '2024-03-06', 9_101)).toEqual([{
      day: '2024-03-06', from: 'REDUCING', to: 'ACTIVE', by: 'policy:onRecovery',
      why: 'drawdown 4.50% is under the 5.00% of onRecovery (REDUCING since 2024-03-04, limit 10.00%); the drawdown is measured afresh from this close',
    }]);
  });

  it('both: whichever comes first', () => {
    const rules = rulesWith({ afterDays: 3, onRecovery: 0.05 });
    expect(close(given(rules, reducedOn('2024-03-04')), rules, '2024-03-05', 9_100)).toMatchObject([{ by: 'policy:onRecovery' }]);
    expect(close(given(rules, reducedOn('2024-03-04')), rules, '2024-03-07', 7_600)).toMatchObject([{ by: 'policy:afterDays' }]);
    expect(close(given(rules, reducedOn('2024-03-04')), rules, '2024-03-06', 7_600)).toEqual([]);
  });

  it('the peak resets to the equity of the close that re-activated: the limit applies afresh from there', () => {
    const rules = rulesWith({ afterDays: 3 });
    const st = given(rules, reducedOn('2024-03-04'));
    for (const day of ['2024-03-05', '2024-03-06']) close(st, rules, day, 7_600);
    expect(close(st, rules, '2024-03-07', 7_600)).toMatchObject([{ to: 'ACTIVE' }]);
    expect(st.kernel.projections.risk).toMatchObject({ state: 'ACTIVE', peakEquityFen: equityAt(7_600) });
    // 12% below the old peak but at the new one: no new REDUCING (a kept peak would move it back at once).
    expect(close(st, rules, '2024-03-08', 7_600)).toEqual([]);
    // 9.99% below the new peak of 8,799,500: nothing; 10.0006% below: REDUCING by the drawdown rule again.
    expect(close(st, rules, '2024-03-11', 5_850)).toEqual([]);
    expect(close(st, rules, '2024-03-12', 5_840)).toMatchObject([{ from: 'ACTIVE', to: 'REDUCING', by: 'risk:maxDrawdown', why: 'drawdown 10.00% reached the 10.00% limit' }]);
    // …and the policy runs its cooling-off again from that day.
    expect(close(st, rules, '2024-03-14', 5_840)).toEqual([]);
    expect(close(st, rules, '2024-03-15', 5_840)).toMatchObject([{ by: 'policy:afterDays', why: expect.stringContaining('since 2024-03-12') }]);
  });

  it('never lifts what it did not set: a person\'s REDUCING, a HALTED, a REDUCING a person re-confirmed', () => {
    const rules = rulesWith({ afterDays: 1, onRecovery: 0.05 });
    expect(close(given(rules, reducedOn('2024-03-04', 'alice')), rules, '2024-03-11', 10_000)).toEqual([]);
    const halted: DomainEvent = { type: 'TradingStateChanged', data: { day: '2024-03-04', from: 'REDUCING', to: 'HALTED', by: 'risk:reconciliation', why: 'break' } };
    expect(close(given(rules, [...reducedOn('2024-03-04'), halted]), rules, '2024-03-11', 10_000)).toEqual([]);
    const person: DomainEvent[] = [
      { type: 'TradingStateChanged', data: { day: '2024-03-05', from: 'REDUCING', to: 'HALTED', by: 'alice', why: 'checking' } },
      { type: 'TradingStateChanged', data: { day: '2024-03-06', from: 'HALTED', to: 'REDUCING', by: 'alice', why: 'sells only until reviewed' } },
    ];
    expect(close(given(rules, [...reducedOn('2024-03-04'), ...person]), rules, '2024-03-11', 10_000)).toEqual([]);
  });

  it('a person\'s request cannot speak as the policy (nor as a risk rule)', () => {
    expect(requestedChange('REDUCING', { to: 'ACTIVE', by: 'policy:afterDays', why: 'x' }, '2024-03-05', 1)).toBeNull();
    expect(requestedChange('REDUCING', { to: 'ACTIVE', by: 'risk:maxDrawdown', why: 'x' }, '2024-03-05', 1)).toBeNull();
    expect(requestedChange('REDUCING', { to: 'ACTIVE', by: 'alice', why: 'reviewed' }, '2024-03-05', 1)).toMatchObject({ by: 'alice' });
  });
});
