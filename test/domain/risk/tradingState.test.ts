import { describe, expect, it } from 'vitest';
import { drawdownTransition, transitionTradingState } from '../../../src/domain/risk/tradingState.js';

describe('tradingState', () => {
  it('given ACTIVE, when a person halts, then the change records who and why', () => {
    expect(transitionTradingState('ACTIVE', 'HALTED', 'alice', 'broker outage', 5)).toEqual({ ok: true, change: { from: 'ACTIVE', to: 'HALTED', by: 'alice', why: 'broker outage', atMs: 5 } });
  });
  it('given HALTED, when a risk rule tries to re-enable, then refused; a person may', () => {
    expect(transitionTradingState('HALTED', 'ACTIVE', 'risk:maxDrawdown', 'recovered', 5).ok).toBe(false);
    expect(transitionTradingState('HALTED', 'REDUCING', 'alice', 'checked', 5).ok).toBe(true);
  });
  it('given no reason, or the same state, then refused', () => {
    expect(transitionTradingState('ACTIVE', 'HALTED', 'alice', ' ', 5).ok).toBe(false);
    expect(transitionTradingState('ACTIVE', 'ACTIVE', 'alice', 'x', 5).ok).toBe(false);
  });
  it('given a 10% drawdown limit, when equity is 10% below the peak, then ACTIVE → REDUCING by risk:maxDrawdown; at 9.9% nothing', () => {
    expect(drawdownTransition('ACTIVE', 9_000, 10_000, 0.1, 7)).toMatchObject({ from: 'ACTIVE', to: 'REDUCING', by: 'risk:maxDrawdown' });
    expect(drawdownTransition('ACTIVE', 9_010, 10_000, 0.1, 7)).toBeNull();
    expect(drawdownTransition('HALTED', 5_000, 10_000, 0.1, 7)).toBeNull();
  });
});
