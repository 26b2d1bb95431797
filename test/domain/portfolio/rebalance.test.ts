import { describe, expect, it } from 'vitest';
import { isoWeekKey, isRebalanceDue, rebalance, type RebalanceInput } from '../../../src/domain/portfolio/index.js';
import { portfolioOf } from './fixtures.js';

const A = '600000.SH', B = '000001.SZ', S = '688001.SH';
const lots = (s: string) => (s === S ? { minBuy: 200, step: 1 } : { minBuy: 100, step: 100 });
const prices = new Map([[A, 10_000], [B, 20_000], [S, 50_000]]); // 10, 20, 50 CNY

function input(over: Partial<RebalanceInput>): RebalanceInput {
  const portfolio = over.portfolio ?? portfolioOf(100_000_00, []);
  return {
    targets: new Map(), portfolio, held: [], prices: (s) => prices.get(s), equityFen: portfolio.equityFen(),
    lotRuleOf: lots, schedule: 'daily', lastRebalanceDay: null, day: '2024-03-04', turnoverThreshold: 0, ...over,
  };
}

describe('rebalance', () => {
  it('from cash: buys rounded DOWN to lots; the larger shortfall first', () => {
    // Equity 100 000 CNY. A 50% → 50 000 / 10 = 5 000 sh; B 33% → 33 000 / 20 = 1 650 → 1 600 sh;
    // STAR 15% → 15 000 / 50 = 300 sh (min 200, step 1 → 300). Distance ½(0.98 names + 0.98 cash).
    const r = rebalance(input({ targets: new Map([[A, 0.5], [B, 0.33], [S, 0.15]]) }));
    expect(r.outcome).toBe('Rebalanced');
    expect(r.distance).toBeCloseTo(0.98, 12);
    expect(r.orders.map((o) => [o.symbol, o.side, o.qty])).toEqual([[A, 'buy', 5_000], [B, 'buy', 1_600], [S, 'buy', 300]]);
  });

  it('sells come first; a name bought today keeps its unsellable shares (T+1)', () => {
    // Cash 0; A 10 000 sh (100 000 CNY) of which 4 000 bought today; B 0. Equity 100 000.
    // Target A 0, B 1: A sells only its 6 000 sellable; proceeds 60 000 CNY buy 3 000 B.
    const pf = portfolioOf(0, [{ symbol: A, qty: 10_000, sellable: 6_000, lastPrice: 10_000 }]);
    const r = rebalance(input({ portfolio: pf, held: [A], targets: new Map([[B, 1]]) }));
    expect(r.orders.map((o) => [o.symbol, o.side, o.qty])).toEqual([[A, 'sell', 6_000], [B, 'buy', 3_000]]);
  });

  it('a full exit sells the odd lot too; a partial sell is rounded DOWN to the lot', () => {
    // A 1 050 sh @10 = 10 500 CNY, B 1 000 sh @20 = 20 000, cash 9 500 → equity 40 000.
    // Target A 0 → sell all 1 050. Target B 0.3 → 12 000 CNY = 600 sh; excess 400 → sell 400.
    const pf = portfolioOf(9_500_00, [
      { symbol: A, qty: 1_050, sellable: 1_050, lastPrice: 10_000 }, { symbol: B, qty: 1_000, sellable: 1_000, lastPrice: 20_000 },
    ]);
    const r = rebalance(input({ portfolio: pf, held: [A, B], targets: new Map([[B, 0.3]]) }));
    expect(r.orders.map((o) => [o.symbol, o.side, o.qty])).toEqual([[B, 'sell', 400], [A, 'sell', 1_050]]); // symbol order
  });

  it('partial sell excess 250 → 200 (lot of 100)', () => {
    // A 1 000 sh @10, cash 0, equity 10 000; target 0.75 → 750 sh, excess 250 → sell 200.
    const pf = portfolioOf(0, [{ symbol: A, qty: 1_000, sellable: 1_000, lastPrice: 10_000 }]);
    const r = rebalance(input({ portfolio: pf, held: [A], targets: new Map([[A, 0.75]]) }));
    expect(r.orders).toEqual([{ symbol: A, side: 'sell', qty: 200, refPrice: 10_000, targetWeight: 0.75 }]);
  });

  it('buys are limited by the cash left (reserve included)', () => {
    // Equity 100 000 (all cash) but reserve 80 100 CNY leaves 19 900. Shortfalls tie at 50 000 CNY, so
    // symbol order: B (000001.SZ) gets 19 900 / 20 = 995 → 900 sh (18 000), A the last 1 900 / 10 → 100 sh.
    const r = rebalance(input({ targets: new Map([[A, 0.5], [B, 0.5]]), reserveFen: 80_100_00 }));
    expect(r.orders.map((o) => [o.symbol, o.qty])).toEqual([[B, 900], [A, 100]]);
  });

  it('turnover threshold: distance below it → no orders', () => {
    // A 5 000 sh @10 = 50 000 of 100 000 equity; target 0.52 → distance ½(|ΔA| 0.02 + |Δcash| 0.02) = 0.02.
    const pf = portfolioOf(50_000_00, [{ symbol: A, qty: 5_000, sellable: 5_000, lastPrice: 10_000 }]);
    const base = { portfolio: pf, held: [A], targets: new Map([[A, 0.52]]) };
    const skip = rebalance(input({ ...base, turnoverThreshold: 0.05 }));
    expect(skip).toMatchObject({ due: true, outcome: 'BelowThreshold', orders: [] });
    expect(skip.distance).toBeCloseTo(0.02, 12);
    expect(rebalance(input({ ...base, turnoverThreshold: 0.01 })).orders).toEqual([{ symbol: A, side: 'buy', qty: 200, refPrice: 10_000, targetWeight: 0.52 }]);
  });

  it('schedules: weekly on a new ISO week, monthly on a new month', () => {
    const t = new Map([[A, 0.5]]);
    expect(rebalance(input({ targets: t, schedule: 'weekly', lastRebalanceDay: '2024-03-04', day: '2024-03-08' })).outcome).toBe('NotDue');
    expect(rebalance(input({ targets: t, schedule: 'weekly', lastRebalanceDay: '2024-03-08', day: '2024-03-12' })).outcome).toBe('Rebalanced');
    expect(rebalance(input({ targets: t, schedule: 'monthly', lastRebalanceDay: '2024-03-01', day: '2024-03-29' })).outcome).toBe('NotDue');
    expect(rebalance(input({ targets: t, schedule: 'monthly', lastRebalanceDay: '2024-03-29', day: '2024-04-01' })).due).toBe(true);
  });

  it('rejects weights that are negative or sum above 1', () => {
    expect(() => rebalance(input({ targets: new Map([[A, -0.1]]) }))).toThrow(RangeError);
    expect(() => rebalance(input({ targets: new Map([[A, 0.6], [B, 0.5]]) }))).toThrow(RangeError);
  });
});

describe('isRebalanceDue / isoWeekKey', () => {
  it('ISO weeks across the year end: 2024-12-30 is in 2025-W01; 2021-01-03 in 2020-W53', () => {
    expect(isoWeekKey('2024-12-30')).toBe('2025-W01');
    expect(isoWeekKey('2021-01-03')).toBe('2020-W53');
    expect(isRebalanceDue('weekly', '2024-12-27', '2024-12-30')).toBe(true);
    expect(isRebalanceDue('weekly', '2024-12-30', '2025-01-03')).toBe(false);
  });
  it('a holiday Monday moves the weekly day to Tuesday; daily is every new day; null is always due', () => {
    expect(isRebalanceDue('weekly', '2024-09-13', '2024-09-18')).toBe(true); // Mid-Autumn: Mon 16, Tue 17 closed
    expect(isRebalanceDue('daily', '2024-09-13', '2024-09-18')).toBe(true);
    expect(isRebalanceDue('monthly', null, '2024-09-18')).toBe(true);
  });
});
