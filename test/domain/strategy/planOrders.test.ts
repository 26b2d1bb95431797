import { describe, expect, it } from 'vitest';
import { isRight } from 'fp-ts/lib/Either.js';
import { planOrders as plan, type SignalForSizing, type SizingParams } from '../../../src/domain/strategy/planOrders.js';
import { loadMarketRules } from '../../../src/adapters/market/marketRulesFile.js';

const loaded = loadMarketRules('config/market');
if (!isRight(loaded)) throw new Error('config/market does not load');
const rules = loaded.right;
/** planOrders with the lot rules of config/market. */
const planOrders = (...a: [Parameters<typeof plan>[0], Parameters<typeof plan>[1], Parameters<typeof plan>[2], Parameters<typeof plan>[3], Parameters<typeof plan>[4]]) =>
  plan(...a, (s) => rules.lotRule(s));
import type { PortfolioView, PositionView, WorkingOrderView } from '../../../src/domain/views/portfolioView.js';
import type { TradingDay } from '../../../src/domain/tradingDay.js';

const DAY = '2024-03-01' as TradingDay;

function portfolio(equityFen: number, positions: readonly PositionView[] = []): PortfolioView {
  const m = new Map(positions.map((p) => [p.symbol, p]));
  return { day: DAY, cashFen: equityFen, positionCount: m.size, position: (s) => m.get(s), equityFen: () => equityFen };
}
const pos = (symbol: string, qty: number, sellable: number, lastPrice = 10_000): PositionView => ({ symbol, qty, sellable, costFen: 0, lastPrice });
const buy = (symbol: string, strength: number): SignalForSizing => ({ signalId: `s-${symbol}`, symbol, side: 'buy', strength });
const sell = (symbol: string): SignalForSizing => ({ signalId: `s-${symbol}`, symbol, side: 'sell', strength: 1 });
const wo = (o: Partial<WorkingOrderView> & Pick<WorkingOrderView, 'symbol' | 'side'>): WorkingOrderView =>
  ({ orderId: `w-${o.symbol}-${o.side}`, qty: 100, filledQty: 0, reservedFen: 0, day: DAY, ...o });

/** 1,000,000 CNY of equity, 10% per position: a 100,000 CNY target. */
const EQUITY = 100_000_000;
const P: SizingParams = { maxPositions: 20, positionWeight: 0.1 };

describe('planOrders', () => {
  it.each([
    // symbol, price milli, expected qty (target 100,000 CNY)
    ['600000.SH', 10_000, 10_000], // exactly 10,000 shares
    ['600000.SH', 37_000, 2_700], // 2,702.7 → 2,702 → main board lots of 100 → 2,700
    ['000001.SZ', 33_330, 3_000], // 3,000.3 → 3,000
    ['300750.SZ', 37_000, 2_700], // ChiNext: lots of 100
    ['688001.SH', 37_000, 2_702], // STAR: ≥ 200, then single shares
    ['688001.SH', 500_000, 200], // exactly the STAR minimum
    ['688001.SH', 600_000, null], // 166 < 200: no order
    ['600000.SH', 1_500_000, null], // 66 < 100: no order
  ])('target weight → lot-rounded quantity: %s at %d milli → %s', (symbol, price, qty) => {
    const out = planOrders([buy(symbol, 0.5)], portfolio(EQUITY), [], () => price, P);
    if (qty === null) expect(out).toEqual([]);
    else expect(out).toEqual([{ symbol, side: 'buy', qty, refPrice: price, signalId: `s-${symbol}` }]);
  });

  it('takes buys strongest first, ties by symbol, while slots remain', () => {
    const signals = [buy('600003.SH', 0.2), buy('600001.SH', 0.9), buy('600004.SH', 0.5), buy('600002.SH', 0.5)];
    // 20 slots − 17 held − 0 working = 3 slots.
    const held = Array.from({ length: 17 }, (_, i) => pos(`601${String(i).padStart(3, '0')}.SH`, 100, 100));
    const out = planOrders(signals, portfolio(EQUITY, held), [], () => 10_000, P);
    expect(out.map((o) => o.symbol)).toEqual(['600001.SH', '600002.SH', '600004.SH']);
  });

  it('working buys take slots and are not bought again', () => {
    const signals = [buy('600001.SH', 0.9), buy('600002.SH', 0.8), buy('600003.SH', 0.7)];
    const working = [wo({ symbol: '600001.SH', side: 'buy' })];
    const out = planOrders(signals, portfolio(EQUITY), working, () => 10_000, { maxPositions: 2, positionWeight: 0.1 });
    expect(out.map((o) => o.symbol)).toEqual(['600002.SH']);
  });

  it('no slots, no buys', () => {
    const out = planOrders([buy('600001.SH', 1)], portfolio(EQUITY, [pos('600002.SH', 100, 100)]), [], () => 10_000, { maxPositions: 1, positionWeight: 0.1 });
    expect(out).toEqual([]);
  });

  it('skips a buy without a price', () => {
    const out = planOrders([buy('600001.SH', 1), buy('600002.SH', 0.5)], portfolio(EQUITY), [],
      (s) => (s === '600001.SH' ? undefined : 10_000), P);
    expect(out.map((o) => o.symbol)).toEqual(['600002.SH']);
  });

  it('a sell closes the sellable quantity minus pending sells, at the last price', () => {
    // 1,000 held, 400 bought today → 600 sellable; a working sell of 300 with 100 filled leaves 200 pending.
    const p = portfolio(EQUITY, [pos('600001.SH', 1_000, 600, 9_000)]);
    const w = [wo({ symbol: '600001.SH', side: 'sell', qty: 300, filledQty: 100 })];
    const out = planOrders([sell('600001.SH')], p, w, () => 9_500, P);
    expect(out).toEqual([{ symbol: '600001.SH', side: 'sell', qty: 400, refPrice: 9_500, signalId: 's-600001.SH' }]);
  });

  it('a sell falls back to the position\'s last price when the symbol has no bar today', () => {
    const out = planOrders([sell('600001.SH')], portfolio(EQUITY, [pos('600001.SH', 500, 500, 9_000)]), [], () => undefined, P);
    expect(out).toEqual([{ symbol: '600001.SH', side: 'sell', qty: 500, refPrice: 9_000, signalId: 's-600001.SH' }]);
  });

  it('no sell for a symbol not held, nor when everything is bought today or already for sale', () => {
    expect(planOrders([sell('600001.SH')], portfolio(EQUITY), [], () => 10_000, P)).toEqual([]);
    expect(planOrders([sell('600001.SH')], portfolio(EQUITY, [pos('600001.SH', 500, 0)]), [], () => 10_000, P)).toEqual([]);
    const w = [wo({ symbol: '600001.SH', side: 'sell', qty: 500 })];
    expect(planOrders([sell('600001.SH')], portfolio(EQUITY, [pos('600001.SH', 500, 500)]), w, () => 10_000, P)).toEqual([]);
  });

  it('sells come before buys in the plan', () => {
    const p = portfolio(EQUITY, [pos('600009.SH', 500, 500)]);
    const out = planOrders([buy('600001.SH', 1), sell('600009.SH')], p, [], () => 10_000, P);
    expect(out.map((o) => `${o.side} ${o.symbol}`)).toEqual(['sell 600009.SH', 'buy 600001.SH']);
  });
});
