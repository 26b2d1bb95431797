import { describe, expect, it } from 'vitest';
import { evaluateOrder } from '../../../src/domain/risk/riskGate.js';
import { A, config, ctx, order } from './rules/riskFixtures.js';

describe('evaluateOrder', () => {
  it('given an order within every limit, then approved', () => {
    expect(evaluateOrder(order(), ctx(), config)).toEqual({ approved: true });
  });
  it('given an order breaking two rules, then the first in ruleOrder decides and is named', () => {
    const c = { ...config, restrictedSymbols: [A] };
    const halted = ctx({ state: 'HALTED' });
    expect(evaluateOrder(order(), halted, c)).toMatchObject({ approved: false, reason: 'TRADING_HALTED', rule: 'killSwitch' });
    const reordered = { ...c, ruleOrder: ['restrictedList', ...c.ruleOrder.filter((r) => r !== 'restrictedList')] as typeof c.ruleOrder };
    expect(evaluateOrder(order(), halted, reordered)).toMatchObject({ approved: false, reason: 'RESTRICTED_SYMBOL', rule: 'restrictedList' });
  });
});
