import { describe, expect, it } from 'vitest';
import { availability, orderSize, priceCollar } from '../../../../src/domain/risk/rules/index.js';
import { A, config, ctx, order, pos, workingOrder } from './riskFixtures.js';

describe('availability', () => {
  it('given 100,000 fen free, when a buy costs exactly that, then it passes; one fen more is INSUFFICIENT_CASH', () => {
    expect(availability(order({ qty: 100 }), ctx({ cashFen: 100_000 }), config)).toEqual({ ok: true });
    expect(availability(order({ qty: 100 }), ctx({ cashFen: 100_000, feeFen: 1 }), config)).toMatchObject({ ok: false, reason: 'INSUFFICIENT_CASH' });
  });
  it('given cash reserved by a working buy, then the reserve is not free', () => {
    const c = ctx({ cashFen: 150_000, working: [workingOrder('000001.SZ', 'buy', 100, 100_000)] });
    expect(availability(order({ qty: 100 }), c, config)).toMatchObject({ ok: false, reason: 'INSUFFICIENT_CASH' });
  });
  it('given 1000 held of which 600 sellable (T+1), when selling 600, then it passes; 700 is T1_NOT_SELLABLE', () => {
    const c = ctx({ positions: { [A]: pos(1000, 600) } });
    expect(availability(order({ side: 'sell', qty: 600 }), c, config)).toEqual({ ok: true });
    expect(availability(order({ side: 'sell', qty: 700 }), c, config)).toMatchObject({ ok: false, reason: 'T1_NOT_SELLABLE' });
  });
  it('given 1000 held with 500 already for sale, when selling 600, then INSUFFICIENT_POSITION', () => {
    const c = ctx({ positions: { [A]: pos(1000) }, working: [workingOrder(A, 'sell', 500)] });
    expect(availability(order({ side: 'sell', qty: 500 }), c, config)).toEqual({ ok: true });
    expect(availability(order({ side: 'sell', qty: 600 }), c, config)).toMatchObject({ ok: false, reason: 'INSUFFICIENT_POSITION' });
  });
});

describe('orderSize', () => {
  it('given maxOrderQty 100,000, when 100,000 shares, then it passes; 100,100 is ORDER_QTY_CAP', () => {
    const c = { ...config, maxOrderNotionalCny: 1e9 };
    expect(orderSize(order({ qty: 100_000 }), ctx(), c)).toEqual({ ok: true });
    expect(orderSize(order({ qty: 100_100 }), ctx(), c)).toMatchObject({ ok: false, reason: 'ORDER_QTY_CAP' });
  });
  it('given maxOrderNotionalCny 200,000, when 20,000 shares at 10 CNY, then it passes; at 10.01 it is ORDER_NOTIONAL_CAP', () => {
    expect(orderSize(order({ qty: 20_000 }), ctx(), config)).toEqual({ ok: true });
    expect(orderSize(order({ qty: 20_000, limitPrice: 10_010 }), ctx(), config)).toMatchObject({ ok: false, reason: 'ORDER_NOTIONAL_CAP' });
  });
  it('given a market order, then the notional uses the reference price, sells included', () => {
    expect(orderSize(order({ side: 'sell', qty: 20_000, orderType: 'market', limitPrice: null, refPrice: 10_010 }), ctx(), config))
      .toMatchObject({ ok: false, reason: 'ORDER_NOTIONAL_CAP' });
  });
});

describe('priceCollar', () => {
  it('given last 10.000 and a 3% collar, when limit 10.300 or 9.700, then it passes; 10.310 or 9.690 is PRICE_COLLAR', () => {
    expect(priceCollar(order({ limitPrice: 10_300 }), ctx(), config)).toEqual({ ok: true });
    expect(priceCollar(order({ limitPrice: 9_700 }), ctx(), config)).toEqual({ ok: true });
    expect(priceCollar(order({ limitPrice: 10_310 }), ctx(), config)).toMatchObject({ ok: false, reason: 'PRICE_COLLAR' });
    expect(priceCollar(order({ side: 'sell', limitPrice: 9_690 }), ctx(), config)).toMatchObject({ ok: false, reason: 'PRICE_COLLAR' });
  });
  it('given a band 9.800…10.200, when limit 10.200, then it passes; 10.210 is OUTSIDE_DAILY_BAND', () => {
    const c = ctx({ band: { [A]: { up: 10_200, down: 9_800 } } });
    expect(priceCollar(order({ limitPrice: 10_200 }), c, config)).toEqual({ ok: true });
    expect(priceCollar(order({ limitPrice: 10_210 }), c, config)).toMatchObject({ ok: false, reason: 'OUTSIDE_DAILY_BAND' });
    expect(priceCollar(order({ limitPrice: 9_790 }), c, config)).toMatchObject({ ok: false, reason: 'OUTSIDE_DAILY_BAND' });
  });
  it('given withinDailyBand false or a no-limit day, then only the collar applies', () => {
    const c = ctx({ band: { [A]: { up: 10_200, down: 9_800 } } });
    expect(priceCollar(order({ limitPrice: 10_210 }), c, { ...config, withinDailyBand: false })).toEqual({ ok: true });
    expect(priceCollar(order({ limitPrice: 10_210 }), ctx({ band: { [A]: null } }), config)).toEqual({ ok: true });
  });
  it('given no last price, then MISSING_RISK_DATA', () => {
    const c = { ...ctx(), lastPrice: () => undefined };
    expect(priceCollar(order(), c, config)).toMatchObject({ ok: false, reason: 'MISSING_RISK_DATA' });
  });
});
