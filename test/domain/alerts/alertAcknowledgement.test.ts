import { describe, expect, it } from 'vitest';
import { ALERT_CODES, ALERT_HISTORY_LIMIT, CONDITION_ALERT_CODES, activeAlerts, allAlerts, isConditionAlertCode } from '../../../src/domain/index.js';
import { MIN, T0, TestJournal } from './alertFixtures.js';

describe('one-shot alerts', () => {
  it('given a BROKER_TIMEOUT the service raised, the engine neither clears nor repeats it; an acknowledgement ends it', () => {
    const j = new TestJournal();
    j.raised('BROKER_TIMEOUT', 'critical', 'no answer from file within 30 s');
    j.raised('BROKER_TIMEOUT', 'critical', 'no answer again');
    expect(j.delta()).toEqual({ raise: [], clear: [] });
    expect(activeAlerts(j.state).map((a) => a.id)).toEqual([1, 2]);
    j.ack(1, 'alice');
    expect(j.delta()).toEqual({ raise: [], clear: [] });
    expect(allAlerts(j.state)).toEqual([
      { id: 1, code: 'BROKER_TIMEOUT', level: 'critical', day: '2024-03-01', message: 'no answer from file within 30 s', at: T0, state: 'cleared', acknowledgedBy: 'alice', clearedAt: T0, clearedWhy: 'acknowledged by alice' },
      { id: 2, code: 'BROKER_TIMEOUT', level: 'critical', day: '2024-03-01', message: 'no answer again', at: T0, state: 'active', acknowledgedBy: null, clearedAt: null, clearedWhy: null },
    ]);
  });

  it('a second acknowledgement changes nothing (the first is kept); an AlertCleared from elsewhere ends an alert too', () => {
    const j = new TestJournal();
    j.raised('STALE_DATA');
    j.ack(1, 'alice');
    const s = j.state;
    j.ack(1, 'bob');
    expect(j.state).toBe(s);
    j.raised('BROKER_UNAVAILABLE');
    j.add('AlertCleared', { alertSeq: 4, code: 'BROKER_UNAVAILABLE', why: 'the broker answers again' }, T0 + MIN);
    expect(allAlerts(j.state)[1]).toMatchObject({ state: 'cleared', clearedAt: T0 + MIN, clearedWhy: 'the broker answers again', acknowledgedBy: null });
  });
});

describe('acknowledging a condition alert', () => {
  it('records who, keeps it active while the condition holds, never raises it again, and the engine clears it when the condition ends', () => {
    const j = new TestJournal();
    j.add('TradingStateChanged', { day: '2024-03-01', from: 'ACTIVE', to: 'HALTED', by: 'alice', why: 'outage' });
    j.sync();
    j.ack(2, 'bob');
    expect(activeAlerts(j.state)).toEqual([expect.objectContaining({ id: 2, code: 'KILL_SWITCH', state: 'active', acknowledgedBy: 'bob' })]);
    expect(j.delta()).toEqual({ raise: [], clear: [] });
    j.add('TradingStateChanged', { day: '2024-03-01', from: 'HALTED', to: 'ACTIVE', by: 'alice', why: 'fixed' });
    expect(j.sync().clear).toEqual([{ alertSeq: 2, code: 'KILL_SWITCH', why: 'trading is ACTIVE by alice on 2024-03-01: fixed' }]);
    expect(allAlerts(j.state)[0]).toMatchObject({ state: 'cleared', acknowledgedBy: 'bob' });
    // The condition again: a new alert.
    j.add('TradingStateChanged', { day: '2024-03-04', from: 'ACTIVE', to: 'HALTED', by: 'alice', why: 'again' });
    expect(j.sync().raise.map((r) => r.message)).toEqual(['trading HALTED by alice on 2024-03-04: again']);
  });

  it('given two active alerts of one condition code (raised elsewhere), both are cleared when the condition stops; neither is duplicated while it holds', () => {
    const j = new TestJournal();
    j.add('ReconciliationBreak', { day: '2024-03-01', symbol: null, field: 'cash', ours: 1, theirs: 2, policy: 'halt' });
    j.raised('RECONCILIATION_BREAK');
    j.raised('RECONCILIATION_BREAK');
    expect(j.delta()).toEqual({ raise: [], clear: [] });
    j.add('ReconciliationPassed', { day: '2024-03-04', positions: 0, cashFen: 2 });
    expect(j.delta().clear.map((c) => c.alertSeq)).toEqual([2, 3]);
  });
});

describe('the bounded history', () => {
  it(`keeps the last ${ALERT_HISTORY_LIMIT} alerts, dropping the oldest cleared ones, and every active one`, () => {
    const j = new TestJournal();
    j.raised('STALE_DATA', 'warning', 'the oldest, never acknowledged');
    for (let i = 0; i < 700; i++) {
      const e = j.raised('BROKER_TIMEOUT');
      j.ack(e.seq);
    }
    const all = allAlerts(j.state);
    expect(all).toHaveLength(ALERT_HISTORY_LIMIT);
    expect(all[0]).toMatchObject({ id: 1, state: 'active' });
    expect(all[1]!.id).toBe(2 + 2 * 201); // the 499 newest BROKER_TIMEOUTs (i = 201…699) are kept
    expect(all.map((a) => a.id)).toEqual([...all.map((a) => a.id)].sort((a, b) => a - b));

    const k = new TestJournal();
    for (let i = 0; i < 600; i++) k.raised('BROKER_TIMEOUT');
    expect(allAlerts(k.state)).toHaveLength(600);
    k.ack(1);
    expect(allAlerts(k.state)).toHaveLength(599);
  });
});

describe('ALERT_CODES', () => {
  it('gives a one-line meaning for every code, the condition codes among them', () => {
    for (const [code, meaning] of Object.entries(ALERT_CODES)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(meaning).toMatch(/^[^\n]{10,200}$/);
    }
    for (const c of CONDITION_ALERT_CODES) expect(Object.keys(ALERT_CODES)).toContain(c);
    expect(isConditionAlertCode('EGRESS_BLOCKED')).toBe(false);
    expect(isConditionAlertCode('DRAWDOWN')).toBe(true);
  });
});
