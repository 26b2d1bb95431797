import { describe, expect, it } from 'vitest';
import { DrawdownReactivationSchema, policyReactivation, type ReactivationInput } from '../../../src/domain/risk/reactivation.js';
import { transitionTradingState } from '../../../src/domain/risk/tradingState.js';

// The re-activation policy as a pure decision: given the risk state at a close (REDUCING since a
// day, equity, peak, trading days since), when the policy is asked, then the change it makes.

const since = { day: '2024-03-04', by: 'risk:maxDrawdown' };
/** REDUCING since 2024-03-04 by the drawdown rule; equity 12% below a 10,000,000 fen peak, 5 trading days on. */
const input = (o: Partial<ReactivationInput> = {}): ReactivationInput => ({
  state: 'REDUCING', lastChange: since, equityFen: 8_800_000, peakFen: 10_000_000, tradingDaysSince: () => 5, maxDrawdownPct: 0.1, ...o,
});

describe('policyReactivation', () => {
  it('given manual, or no policy, when anything happens, then never ACTIVE again', () => {
    for (const policy of ['manual', undefined] as const) {
      expect(policyReactivation(policy, input(), 1)).toBeNull();
      expect(policyReactivation(policy, input({ equityFen: 11_000_000, tradingDaysSince: () => 10_000 }), 1)).toBeNull();
    }
  });

  it('given afterDays 5, when the 5th trading day closes, then REDUCING → ACTIVE by policy:afterDays with the reason; on the 4th nothing', () => {
    expect(policyReactivation({ afterDays: 5 }, input({ tradingDaysSince: () => 4 }), 1)).toBeNull();
    expect(policyReactivation({ afterDays: 5 }, input(), 7)).toEqual({
      from: 'REDUCING', to: 'ACTIVE', by: 'policy:afterDays', atMs: 7,
      why: '5 trading days REDUCING since 2024-03-04 (afterDays 5), drawdown 12.00% (limit 10.00%); the drawdown is measured afresh from this close',
    });
  });

  it('asks for the trading days since the day the limit was reached, and only for afterDays', () => {
    const asked: string[] = [];
    policyReactivation({ afterDays: 5 }, input({ tradingDaysSince: (d) => { asked.push(d); return 0; } }), 1);
    policyReactivation({ onRecovery: 0.05 }, input({ tradingDaysSince: (d) => { asked.push(`x${d}`); return 0; } }), 1);
    expect(asked).toEqual(['2024-03-04']);
  });

  it('given onRecovery 5%, when the drawdown from the peak is under 5%, then ACTIVE by policy:onRecovery; at exactly 5% nothing', () => {
    expect(policyReactivation({ onRecovery: 0.05 }, input({ equityFen: 9_500_000 }), 1)).toBeNull();
    expect(policyReactivation({ onRecovery: 0.05 }, input({ equityFen: 9_500_001 }), 1)).toMatchObject({
      to: 'ACTIVE', by: 'policy:onRecovery', why: 'drawdown 5.00% is under the 5.00% of onRecovery (REDUCING since 2024-03-04, limit 10.00%); the drawdown is measured afresh from this close',
    });
    // A close above the old peak is no drawdown at all.
    expect(policyReactivation({ onRecovery: 0.05 }, input({ equityFen: 10_200_000 }), 1)).toMatchObject({ by: 'policy:onRecovery' });
  });

  it('given both, then whichever comes first; on a close where both hold, the recovery is the reason', () => {
    const both = { afterDays: 20, onRecovery: 0.05 };
    expect(policyReactivation(both, input({ tradingDaysSince: () => 19 }), 1)).toBeNull();
    expect(policyReactivation(both, input({ tradingDaysSince: () => 20 }), 1)).toMatchObject({ by: 'policy:afterDays' });
    expect(policyReactivation(both, input({ equityFen: 9_600_000, tradingDaysSince: () => 2 }), 1)).toMatchObject({ by: 'policy:onRecovery' });
    expect(policyReactivation(both, input({ equityFen: 9_600_000, tradingDaysSince: () => 20 }), 1)).toMatchObject({ by: 'policy:onRecovery' });
  });

  it('lifts only the drawdown rule\'s REDUCING: never HALTED, never a REDUCING a person or another rule set, never ACTIVE', () => {
    const p = { afterDays: 1, onRecovery: 0.05 };
    const recovered = { equityFen: 10_000_000, tradingDaysSince: () => 100 };
    expect(policyReactivation(p, input({ ...recovered, state: 'HALTED', lastChange: { day: '2024-03-04', by: 'risk:reconciliation' } }), 1)).toBeNull();
    expect(policyReactivation(p, input({ ...recovered, state: 'HALTED', lastChange: { day: '2024-03-05', by: 'alice' } }), 1)).toBeNull();
    expect(policyReactivation(p, input({ ...recovered, lastChange: { day: '2024-03-05', by: 'kill-switch-file' } }), 1)).toBeNull();
    expect(policyReactivation(p, input({ ...recovered, lastChange: null }), 1)).toBeNull();
    expect(policyReactivation(p, input({ ...recovered, state: 'ACTIVE' }), 1)).toBeNull();
  });
});

describe('transitionTradingState and the policy', () => {
  it('policy:* may move REDUCING to ACTIVE and nothing else', () => {
    expect(transitionTradingState('REDUCING', 'ACTIVE', 'policy:afterDays', 'x', 1).ok).toBe(true);
    expect(transitionTradingState('HALTED', 'ACTIVE', 'policy:afterDays', 'x', 1).ok).toBe(false);
    expect(transitionTradingState('HALTED', 'REDUCING', 'policy:onRecovery', 'x', 1).ok).toBe(false);
    expect(transitionTradingState('ACTIVE', 'HALTED', 'policy:onRecovery', 'x', 1).ok).toBe(false);
  });
});

describe('DrawdownReactivationSchema (risk.yaml drawdownReactivation)', () => {
  it('takes manual, afterDays, onRecovery or both', () => {
    for (const ok of ['manual', { afterDays: 20 }, { onRecovery: 0.05 }, { afterDays: 20, onRecovery: 0.05 }]) {
      expect(DrawdownReactivationSchema.safeParse(ok).success, JSON.stringify(ok)).toBe(true);
    }
  });
  it('refuses an empty policy, unknown keys, a fractional day count, a percentage written as a whole number, other words', () => {
    for (const bad of [{}, { afterDays: 20, cooldown: 3 }, { afterDays: 2.5 }, { afterDays: 0 }, { onRecovery: 5 }, { onRecovery: 0 }, 'auto', 20, null]) {
      expect(DrawdownReactivationSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
