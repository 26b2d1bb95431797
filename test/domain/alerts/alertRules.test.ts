import { describe, expect, it } from 'vitest';
import { AlertsConfig, DEFAULT_ALERTS_CONFIG, activeAlerts } from '../../../src/domain/index.js';
import { MIN, T0, TestJournal, runStarted } from './alertFixtures.js';

const noDailyLoss = AlertsConfig.parse({ dailyLossPct: null });
const codes = (j: TestJournal) => activeAlerts(j.state).map((a) => a.code);

describe('DRAWDOWN', () => {
  it('given a peak of 1,000,000 CNY, when a close is 5% below it, then a warning names the drawdown and the peak; once only; cleared on recovery', () => {
    const j = new TestJournal();
    j.add('RunStarted', runStarted(100_000_000));
    j.dayClosed('2024-03-01', 100_000_000);
    j.dayClosed('2024-03-04', 96_000_000);
    expect(j.delta(noDailyLoss).raise).toEqual([]);
    j.dayClosed('2024-03-05', 95_000_000);
    const d = j.sync(noDailyLoss);
    expect(d.raise).toEqual([{ code: 'DRAWDOWN', level: 'warning', day: '2024-03-05', message: expect.stringContaining('drawdown 5.00%') }]);
    expect(d.raise[0]!.message).toContain('peak of 1000000.00 CNY (2024-03-01)');
    expect(j.delta(noDailyLoss)).toEqual({ raise: [], clear: [] });
    j.dayClosed('2024-03-06', 94_000_000);
    expect(j.delta(noDailyLoss)).toEqual({ raise: [], clear: [] });
    j.dayClosed('2024-03-07', 95_000_001);
    const c = j.sync(noDailyLoss);
    expect(c.raise).toEqual([]);
    expect(c.clear).toEqual([{ alertSeq: 5, code: 'DRAWDOWN', why: expect.stringContaining('under the 5.00% threshold') }]);
    expect(codes(j)).toEqual([]);
  });

  it('given only the initial cash as the peak, when the first close is 6% below it, then the peak named is the initial cash', () => {
    const j = new TestJournal();
    j.add('RunStarted', runStarted(1_000_000));
    j.dayClosed('2024-03-01', 940_000);
    expect(j.delta().raise.map((r) => [r.code, r.message.includes('(the initial cash)')])).toEqual([['DRAWDOWN', true], ['DAILY_LOSS', false]]);
  });

  it('given drawdownPct null, then no DRAWDOWN; an active one is cleared saying the rule is off', () => {
    const j = new TestJournal();
    j.dayClosed('2024-03-01', 1_000);
    j.dayClosed('2024-03-04', 900);
    const off = AlertsConfig.parse({ drawdownPct: null, dailyLossPct: null });
    expect(j.delta(off).raise).toEqual([]);
    j.sync();
    expect(codes(j)).toEqual(['DRAWDOWN', 'DAILY_LOSS']);
    expect(j.sync(off).clear.map((c) => [c.code, c.why])).toEqual([
      ['DRAWDOWN', 'the rule is off (alerts.drawdownPct is null)'], ['DAILY_LOSS', 'the rule is off (alerts.dailyLossPct is null)'],
    ]);
  });
});

describe('DAILY_LOSS', () => {
  it('given a close, when the next is 3% lower, then a warning; the next close that does not breach clears it', () => {
    const j = new TestJournal();
    j.dayClosed('2024-03-01', 10_000);
    expect(j.delta().raise).toEqual([]);
    j.dayClosed('2024-03-04', 9_701);
    expect(j.delta().raise).toEqual([]);
    j.dayClosed('2024-03-05', 9_410); // 291 / 9,701 = 2.9997%: just under
    expect(j.delta(AlertsConfig.parse({ drawdownPct: null })).raise).toEqual([]);
    j.dayClosed('2024-03-06', 9_127); // 9_410 × 0.97 = 9127.7: a loss of 3.0074%
    const d = j.sync(AlertsConfig.parse({ drawdownPct: null }));
    expect(d.raise).toEqual([{ code: 'DAILY_LOSS', level: 'warning', day: '2024-03-06', message: expect.stringMatching(/^daily loss 3\.01%: equity closed 2024-03-06 at 91\.27 CNY against 94\.10 CNY/) }]);
    j.dayClosed('2024-03-07', 8_900); // another 2.5%: under the threshold
    const c = j.sync(AlertsConfig.parse({ drawdownPct: null }));
    expect(c).toEqual({ raise: [], clear: [{ alertSeq: 5, code: 'DAILY_LOSS', why: expect.stringContaining('a loss of 2.49%') }] });
  });

  it('at exactly the threshold, it holds (a ratio of integers meets the configured fraction exactly)', () => {
    const j = new TestJournal();
    j.dayClosed('2024-03-01', 10_000);
    j.dayClosed('2024-03-04', 9_700);
    expect(j.delta(AlertsConfig.parse({ drawdownPct: null })).raise.map((r) => r.code)).toEqual(['DAILY_LOSS']);
  });
});

describe('DENIAL_BURST', () => {
  it('given 4 denials in 10 minutes, no alert; the 5th raises one listing the top rules; no double raise; clears when the window empties', () => {
    const j = new TestJournal();
    for (const [i, rule] of ['orderRate', 'orderRate', 'dailyLoss', 'orderRate'].entries()) j.denied(rule, T0 + i * MIN);
    expect(j.delta().raise).toEqual([]);
    j.denied('dailyLoss', T0 + 10 * MIN);
    const d = j.sync();
    expect(d.raise).toEqual([{ code: 'DENIAL_BURST', level: 'warning', day: '2024-03-01', message: '5 orders denied within 10 minutes (threshold 5); top rules: orderRate ×3, dailyLoss ×2' }]);
    j.denied('orderSize', T0 + 10 * MIN);
    expect(j.delta()).toEqual({ raise: [], clear: [] });
    // At T0+10:30 the first denial has left the window: 5 remain, still a burst.
    expect(j.delta(DEFAULT_ALERTS_CONFIG, T0 + 10.5 * MIN)).toEqual({ raise: [], clear: [] });
    // At T0+11:30 the first two have left: 4 remain.
    expect(j.delta(DEFAULT_ALERTS_CONFIG, T0 + 11.5 * MIN).clear).toEqual([{ alertSeq: 6, code: 'DENIAL_BURST', why: '4 orders denied in the last 10 minutes, fewer than 5' }]);
  });

  it('given denials spread wider than the window, then no burst', () => {
    const j = new TestJournal();
    for (let i = 0; i < 20; i++) j.denied('orderRate', T0 + i * 3 * MIN);
    expect(j.delta().raise).toEqual([]);
    expect(j.delta(AlertsConfig.parse({ denialBurst: { count: 4 } })).raise.map((r) => r.code)).toEqual(['DENIAL_BURST']);
    expect(j.delta(AlertsConfig.parse({ denialBurst: null })).raise).toEqual([]);
  });

  it('keeps a bounded window: thousands of denials fold into a list of at most 2 × MAX_DENIAL_BURST_COUNT', () => {
    const j = new TestJournal();
    for (let i = 0; i < 5_000; i++) j.denied('orderRate', T0 + i);
    expect(j.state.denials.length).toBeLessThanOrEqual(1_000);
    expect(j.delta(AlertsConfig.parse({ denialBurst: { count: 500, withinMinutes: 1 } })).raise[0]!.message).toMatch(/^500 orders denied within 1 minute /);
  });
});

describe('KILL_SWITCH', () => {
  it('given ACTIVE, when HALTED, then a critical alert naming by whom and why; none twice; cleared when the state leaves HALTED', () => {
    const j = new TestJournal();
    j.add('TradingStateChanged', { day: '2024-03-01', from: 'ACTIVE', to: 'REDUCING', by: 'risk:maxDrawdown', why: 'drawdown 10%' });
    expect(j.delta().raise).toEqual([]);
    j.add('TradingStateChanged', { day: '2024-03-01', from: 'REDUCING', to: 'HALTED', by: 'alice', why: 'broker outage' });
    expect(j.sync().raise).toEqual([{ code: 'KILL_SWITCH', level: 'critical', day: '2024-03-01', message: 'trading HALTED by alice on 2024-03-01: broker outage' }]);
    expect(j.delta()).toEqual({ raise: [], clear: [] });
    j.add('TradingStateChanged', { day: '2024-03-04', from: 'HALTED', to: 'REDUCING', by: 'bob', why: 'checked' });
    expect(j.sync().clear).toEqual([{ alertSeq: 3, code: 'KILL_SWITCH', why: 'trading is REDUCING by bob on 2024-03-04: checked' }]);
  });
});

describe('RECONCILIATION_BREAK', () => {
  it("given breaks, then one critical alert summarising the day's breaks; an alert the service raised itself counts; the next pass clears it", () => {
    const j = new TestJournal();
    j.add('ReconciliationBreak', { day: '2024-03-01', symbol: '600519.SH', field: 'quantity', ours: 100, theirs: 200, policy: 'adopt' });
    j.add('ReconciliationBreak', { day: '2024-03-01', symbol: null, field: 'cash', ours: 100_000, theirs: 99_950, policy: 'halt' });
    expect(j.sync().raise).toEqual([{
      code: 'RECONCILIATION_BREAK', level: 'critical', day: '2024-03-01',
      message: '2 difference(s) with the broker on 2024-03-01 (policy halt): 600519.SH quantity ours 100, broker 200; cash ours 1000.00 CNY, broker 999.50 CNY',
    }]);
    j.add('ReconciliationBreak', { day: '2024-03-04', symbol: '000001.SZ', field: 'quantity', ours: 1, theirs: 2, policy: 'halt' });
    expect(j.delta()).toEqual({ raise: [], clear: [] });
    j.add('ReconciliationPassed', { day: '2024-03-05', positions: 1, cashFen: 5 });
    expect(j.sync().clear).toEqual([{ alertSeq: 3, code: 'RECONCILIATION_BREAK', why: 'the reconciliation passed' }]);

    const k = new TestJournal();
    k.add('ReconciliationBreak', { day: '2024-03-01', symbol: null, field: 'cash', ours: 1, theirs: 2, policy: 'halt' });
    k.raised('RECONCILIATION_BREAK'); // as the reconcile step does
    expect(k.delta()).toEqual({ raise: [], clear: [] });
  });
});

describe('EGRESS_BLOCKED', () => {
  it('given a block, then a critical one-shot alert; further blocks while it is active join it; after acknowledgement a new block raises again', () => {
    const j = new TestJournal();
    j.add('EgressBlocked', { target: 'evil.example:443', caller: 'llm-adapter' });
    j.add('EgressBlocked', { target: 'other.example:80', caller: 'feed' });
    expect(j.sync().raise).toEqual([{ code: 'EGRESS_BLOCKED', level: 'critical', day: '2024-03-01', message: 'outbound connection to evil.example:443 blocked (caller llm-adapter) (and 1 more block since)' }]);
    j.add('EgressBlocked', { target: 'evil.example:443', caller: 'llm-adapter' });
    expect(j.delta()).toEqual({ raise: [], clear: [] });
    j.ack(3);
    expect(activeAlerts(j.state)).toEqual([]);
    expect(j.delta()).toEqual({ raise: [], clear: [] });
    j.add('EgressBlocked', { target: 'x.example:443', caller: 'feed' }, T0 + MIN);
    expect(j.sync().raise.map((r) => r.message)).toEqual(['outbound connection to x.example:443 blocked (caller feed)']);
  });
});

describe('events the engine does not read', () => {
  it('return the same state object', () => {
    const j = new TestJournal();
    j.dayClosed('2024-03-01', 1_000);
    const before = j.state;
    j.add('StepCompleted', { day: '2024-03-01', step: 'close', note: '' });
    j.add('OrderApproved', { orderId: 'O-1', ruleVersion: 'v1', reservedFen: 0 });
    j.add('ReconciliationPassed', { day: '2024-03-01', positions: 0, cashFen: 0 });
    j.add('AlertAcknowledged', { alertSeq: 99, by: 'alice', commandId: 'c' });
    j.add('AlertCleared', { alertSeq: 99, code: 'X', why: 'unknown alert' });
    expect(j.state).toBe(before);
  });
});
