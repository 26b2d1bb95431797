import { describe, expect, it } from 'vitest';
import { dailyLoss, disclosure, maxDrawdown, positionCount, positionSize, sectorConcentration } from '../../../../src/domain/risk/rules/index.js';
import { A, B, C, config, ctx, order, pos, workingOrder } from './riskFixtures.js';

// Equity 10,000,000 fen; 5% = 500,000 fen = 500 shares at 10 CNY.
describe('positionSize', () => {
  it('given 300 held and 100 being bought, when buying 100, then 500 shares is exactly 5% and passes', () => {
    const c = ctx({ positions: { [A]: pos(300) }, working: [workingOrder(A, 'buy', 100)] });
    expect(positionSize(order({ qty: 100 }), c, config)).toEqual({ ok: true });
  });
  it('given the same, when buying 200, then POSITION_SIZE', () => {
    const c = ctx({ positions: { [A]: pos(300) }, working: [workingOrder(A, 'buy', 100)] });
    expect(positionSize(order({ qty: 200 }), c, config)).toMatchObject({ ok: false, reason: 'POSITION_SIZE' });
  });
  it('given an oversized position, when selling, then it passes', () => {
    expect(positionSize(order({ side: 'sell', qty: 100 }), ctx({ positions: { [A]: pos(5000) } }), config)).toEqual({ ok: true });
  });
});

describe('positionCount', () => {
  const c2 = { ...config, maxPositions: 2 };
  it('given 1 held and 1 being bought with maxPositions 2, when buying a third symbol, then MAX_POSITIONS', () => {
    const c = ctx({ positions: { [A]: pos(100) }, working: [workingOrder(B, 'buy', 100)] });
    expect(positionCount(order({ symbol: C }), c, c2)).toMatchObject({ ok: false, reason: 'MAX_POSITIONS' });
  });
  it('given the same, when adding to a held or pending symbol, then it passes', () => {
    const c = ctx({ positions: { [A]: pos(100) }, working: [workingOrder(B, 'buy', 100)] });
    expect(positionCount(order({ symbol: A }), c, c2)).toEqual({ ok: true });
    expect(positionCount(order({ symbol: B }), c, c2)).toEqual({ ok: true });
  });
  it('given 1 held, when buying a second symbol, then it passes', () => {
    expect(positionCount(order({ symbol: B }), ctx({ positions: { [A]: pos(100), [C]: pos(0) } }), c2)).toEqual({ ok: true });
  });
});

describe('sectorConcentration', () => {
  // 25% = 2,500,000 fen = 2500 shares at 10 CNY.
  const sector = { [A]: 'bank', [B]: 'bank', [C]: 'battery' };
  it('given 2000 bank shares held, when buying 500 more bank shares, then exactly 25% passes', () => {
    const c = ctx({ sector, positions: { [B]: pos(2000), [C]: pos(5000) } });
    expect(sectorConcentration(order({ qty: 500 }), c, config)).toEqual({ ok: true });
  });
  it('given the same, when buying 600, then SECTOR_CONCENTRATION', () => {
    const c = ctx({ sector, positions: { [B]: pos(2000), [C]: pos(5000) } });
    expect(sectorConcentration(order({ qty: 600 }), c, config)).toMatchObject({ ok: false, reason: 'SECTOR_CONCENTRATION' });
  });
  it('given no sector for the symbol, when buying, then MISSING_RISK_DATA; selling passes', () => {
    const c = ctx({ sector: { [B]: 'bank' } });
    expect(sectorConcentration(order(), c, config)).toMatchObject({ ok: false, reason: 'MISSING_RISK_DATA' });
    expect(sectorConcentration(order({ side: 'sell' }), c, config)).toEqual({ ok: true });
  });
});

describe('dailyLoss', () => {
  it('given equity 1.99% below the start of day, when buying, then it passes', () => {
    expect(dailyLoss(order(), ctx({ startOfDayEquityFen: 10_000_000, equityFen: 9_801_000 }), config)).toEqual({ ok: true });
  });
  it('given equity 2% below, when buying, then DAILY_LOSS_LIMIT; selling passes', () => {
    const c = ctx({ startOfDayEquityFen: 10_000_000, equityFen: 9_800_000 });
    expect(dailyLoss(order(), c, config)).toMatchObject({ ok: false, reason: 'DAILY_LOSS_LIMIT' });
    expect(dailyLoss(order({ side: 'sell' }), c, config)).toEqual({ ok: true });
  });
});

describe('maxDrawdown', () => {
  it('given equity 9.99% below its peak, when buying, then it passes', () => {
    expect(maxDrawdown(order(), ctx({ peakEquityFen: 10_000_000, equityFen: 9_001_000 }), config)).toEqual({ ok: true });
  });
  it('given equity 10% below its peak, when buying, then MAX_DRAWDOWN; selling passes', () => {
    const c = ctx({ peakEquityFen: 10_000_000, equityFen: 9_000_000 });
    expect(maxDrawdown(order(), c, config)).toMatchObject({ ok: false, reason: 'MAX_DRAWDOWN' });
    expect(maxDrawdown(order({ side: 'sell' }), c, config)).toEqual({ ok: true });
  });
});

describe('disclosure', () => {
  // 5% of 100,000 issued = 5000 shares.
  const issued = { [A]: 100_000 };
  it('given 4800 held, when buying 100, then 4.9% passes', () => {
    expect(disclosure(order({ qty: 100 }), ctx({ issued, positions: { [A]: pos(4800) } }), config)).toEqual({ ok: true });
  });
  it('given 4800 held, when buying 200, then reaching 5% is DISCLOSURE_THRESHOLD', () => {
    expect(disclosure(order({ qty: 200 }), ctx({ issued, positions: { [A]: pos(4800) } }), config)).toMatchObject({ ok: false, reason: 'DISCLOSURE_THRESHOLD' });
  });
  it('given issued shares unknown, when buying, then MISSING_RISK_DATA', () => {
    expect(disclosure(order({ symbol: B }), ctx({ issued }), config)).toMatchObject({ ok: false, reason: 'MISSING_RISK_DATA' });
  });
});
