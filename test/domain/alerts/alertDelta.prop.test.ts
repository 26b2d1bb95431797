import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlertsConfig as Config } from '../../../src/domain/index.js';
import {
  AlertCleared, AlertRaised, AlertsConfig, CONDITION_ALERT_CODES, activeAlerts, addCalendarDays, alertDelta, allAlerts, foldAlerts, type TradingDay,
} from '../../../src/domain/index.js';
import { MIN, T0, TestJournal, barsClosed, runStarted } from './alertFixtures.js';

/*
 * Invariants defended:
 * - idempotence: journaling the delta (new seqs) and folding it back makes the delta at the same
 *   instant empty, whatever the journal held before (alerts raised, acknowledged or cleared by others);
 * - a service that journals the delta after every event never holds two active alerts of one
 *   condition code, and holds one exactly while its condition holds;
 * - determinism: the same events give the same alerts and the same delta, byte for byte.
 */

const ONE_SHOT = ['BROKER_TIMEOUT', 'STALE_DATA', 'EGRESS_BLOCKED'] as const;

const op = fc.oneof(
  fc.record({ k: fc.constant('run' as const), cash: fc.integer({ min: 0, max: 2_000 }) }),
  fc.record({ k: fc.constant('day' as const), equity: fc.integer({ min: -100, max: 2_000 }) }),
  fc.record({ k: fc.constant('deny' as const), rule: fc.constantFrom('orderRate', 'dailyLoss', 'positionSize'), dt: fc.integer({ min: 0, max: 4 * MIN }) }),
  fc.record({ k: fc.constant('state' as const), to: fc.constantFrom('ACTIVE', 'REDUCING', 'HALTED') }),
  fc.record({ k: fc.constant('break' as const), cash: fc.boolean(), halt: fc.boolean() }),
  fc.record({ k: fc.constant('pass' as const) }),
  fc.record({ k: fc.constant('egress' as const) }),
  fc.record({ k: fc.constant('raise' as const), code: fc.constantFrom(...CONDITION_ALERT_CODES, ...ONE_SHOT) }),
  fc.record({ k: fc.constant('ack' as const), pick: fc.nat() }),
  fc.record({ k: fc.constant('clear' as const), pick: fc.nat() }),
  fc.record({ k: fc.constant('noise' as const) }),
  fc.record({ k: fc.constant('tick' as const), dt: fc.integer({ min: 0, max: 30 * MIN }) }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

const config: fc.Arbitrary<Config> = fc.record({
  drawdownPct: fc.option(fc.double({ min: 0.01, max: 0.5, noNaN: true }), { nil: null }),
  dailyLossPct: fc.option(fc.double({ min: 0.01, max: 0.5, noNaN: true }), { nil: null }),
  denialBurst: fc.option(fc.record({ count: fc.integer({ min: 1, max: 6 }), withinMinutes: fc.integer({ min: 1, max: 20 }) }), { nil: null }),
}).map((c) => AlertsConfig.parse(c));

function play(j: TestJournal, o: Op, day: { n: number }): void {
  const d = (): string => addCalendarDays('2024-03-01' as TradingDay, day.n);
  const raisedSeqs = (): number[] => allAlerts(j.state).map((a) => a.id);
  switch (o.k) {
    case 'run': j.add('RunStarted', runStarted(o.cash)); break;
    case 'day': day.n++; j.dayClosed(d(), o.equity); break;
    case 'deny': j.denied(o.rule, j.at + o.dt); break;
    case 'state': j.add('TradingStateChanged', { day: d(), from: j.state.trading.state, to: o.to, by: 'alice', why: 'test' }); break;
    case 'break': j.add('ReconciliationBreak', { day: d(), symbol: o.cash ? null : '600519.SH', field: o.cash ? 'cash' : 'quantity', ours: 1, theirs: 2, policy: o.halt ? 'halt' : 'adopt' }); break;
    case 'pass': j.add('ReconciliationPassed', { day: d(), positions: 0, cashFen: 0 }); break;
    case 'egress': j.add('EgressBlocked', { target: `h${j.seq}.example:443`, caller: 'feed' }); break;
    case 'raise': j.raised(o.code); break;
    case 'ack': { const s = raisedSeqs(); j.ack(s.length ? s[o.pick % s.length]! : o.pick + 1); break; }
    case 'clear': { const s = raisedSeqs(); j.add('AlertCleared', { alertSeq: s.length ? s[o.pick % s.length]! : o.pick + 1, code: 'X', why: 'elsewhere' }); break; }
    case 'noise': j.add('BarsClosed', barsClosed(d())); break;
    case 'tick': j.at += o.dt; break;
  }
}

const build = (ops: readonly Op[]): TestJournal => {
  const j = new TestJournal();
  const day = { n: 0 };
  for (const o of ops) play(j, o, day);
  return j;
};

describe('alertDelta properties', () => {
  it('journaling the delta and folding it back leaves nothing to journal at that instant', () => {
    const seen = new Set<string>();
    fc.assert(fc.property(fc.array(op, { maxLength: 60 }), config, fc.integer({ min: 0, max: 30 * MIN }), (ops, c, later) => {
      const j = build(ops);
      const now = j.at + later;
      const d = j.sync(c, now);
      for (const r of d.raise) { AlertRaised.shape.data.parse(r); seen.add(`raise ${r.code}`); }
      for (const x of d.clear) { AlertCleared.shape.data.parse(x); seen.add(`clear ${x.code}`); }
      expect(j.delta(c, now)).toEqual({ raise: [], clear: [] });
    }), { numRuns: 300 });
    // Not vacuous: every rule raised and (but the one-shot) cleared somewhere in the runs.
    expect([...seen].sort()).toEqual([
      ...CONDITION_ALERT_CODES.map((k) => `clear ${k}`), ...CONDITION_ALERT_CODES.map((k) => `raise ${k}`), 'raise EGRESS_BLOCKED',
    ].sort());
  });

  it('a service that journals the delta after every event keeps one active alert per condition code, exactly while the condition holds', () => {
    const serviceOp = op.filter((o) => o.k !== 'raise' || !CONDITION_ALERT_CODES.includes(o.code as never));
    fc.assert(fc.property(fc.array(serviceOp, { maxLength: 60 }), config, (ops, c) => {
      const j = new TestJournal();
      const day = { n: 0 };
      for (const o of ops) {
        play(j, o, day);
        j.sync(c);
        expect(alertDelta(j.state, c, j.at)).toEqual({ raise: [], clear: [] });
        const active = activeAlerts(j.state).filter((a) => (CONDITION_ALERT_CODES as readonly string[]).includes(a.code)).map((a) => a.code);
        expect(new Set(active).size).toBe(active.length);
      }
    }), { numRuns: 200 });
  });

  it('the same events give the same alerts and the same delta, byte for byte', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 60 }), config, (ops, c) => {
      const j = build(ops);
      const again = foldAlerts(structuredClone(j.events));
      expect(JSON.stringify(allAlerts(again))).toBe(JSON.stringify(allAlerts(j.state)));
      expect(JSON.stringify(alertDelta(again, c, j.at))).toBe(JSON.stringify(alertDelta(j.state, c, j.at)));
    }), { numRuns: 200 });
  });
});

describe('alertDelta, shrunk cases', () => {
  it('a denial burst judged later than its denials is not raised (the condition is judged at nowMs)', () => {
    const j = new TestJournal();
    for (let i = 0; i < 5; i++) j.denied('orderRate', T0);
    expect(j.delta(undefined, T0 + 11 * MIN)).toEqual({ raise: [], clear: [] });
  });
});
