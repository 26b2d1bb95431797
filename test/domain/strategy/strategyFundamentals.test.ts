import { describe, expect, it } from 'vitest';
import type { FundamentalsView } from '../../../src/domain/fundamentals/fundamentalsView.js';
import { strategyFundamentals } from '../../../src/domain/strategy/strategyFundamentals.js';
import { closesOn } from './fixtures.js';

describe('strategyFundamentals', () => {
  it('asks the ratios view at the day and the close, and attaches the industry', () => {
    const calls: [string, string, number][] = [];
    const view: FundamentalsView = (s, d, p) => {
      calls.push([s, d, p]);
      return s === '600000.SH' ? { pe: 8, pb: 0.6, ps: null, roe: 0.1, dividendYield: null, marketCapFen: null } : undefined;
    };
    const f = strategyFundamentals(view, closesOn('2024-03-04', { '600000.SH': 7.5, '000001.SZ': 10 }), (s) => (s === '600000.SH' ? 'bank' : null));
    expect(f.get('600000.SH')).toEqual({ pe: 8, pb: 0.6, roe: 0.1, industry: 'bank' });
    expect(f.get('000001.SZ')).toBeUndefined();
    expect(f.get('600519.SH')).toBeUndefined(); // did not trade: the view is not asked
    expect(calls).toEqual([['600000.SH', '2024-03-04', 7_500], ['000001.SZ', '2024-03-04', 10_000]]);
  });
});
