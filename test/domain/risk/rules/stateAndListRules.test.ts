import { describe, expect, it } from 'vitest';
import { killSwitch, noShort, restrictedList, stFilter } from '../../../../src/domain/risk/rules/index.js';
import { A, B, config, ctx, order, pos } from './riskFixtures.js';

describe('killSwitch', () => {
  it('given ACTIVE, when a buy, then it passes', () => {
    expect(killSwitch(order(), ctx(), config)).toEqual({ ok: true });
  });
  it('given HALTED, when a buy or a sell, then TRADING_HALTED', () => {
    const c = ctx({ state: 'HALTED', positions: { [A]: pos(1000) } });
    expect(killSwitch(order(), c, config)).toMatchObject({ ok: false, reason: 'TRADING_HALTED' });
    expect(killSwitch(order({ side: 'sell' }), c, config)).toMatchObject({ ok: false, reason: 'TRADING_HALTED' });
  });
  it('given REDUCING, when a sell within holdings, then it passes; a buy or an oversell is REDUCING_ONLY', () => {
    const c = ctx({ state: 'REDUCING', positions: { [A]: pos(1000) } });
    expect(killSwitch(order({ side: 'sell', qty: 1000 }), c, config)).toEqual({ ok: true });
    expect(killSwitch(order({ side: 'sell', qty: 1100 }), c, config)).toMatchObject({ ok: false, reason: 'REDUCING_ONLY' });
    expect(killSwitch(order(), c, config)).toMatchObject({ ok: false, reason: 'REDUCING_ONLY' });
  });
});

describe('restrictedList', () => {
  const c = { ...config, restrictedSymbols: [A] };
  it('given a restricted symbol, when any order, then RESTRICTED_SYMBOL', () => {
    expect(restrictedList(order(), ctx(), c)).toMatchObject({ ok: false, reason: 'RESTRICTED_SYMBOL' });
    expect(restrictedList(order({ side: 'sell' }), ctx(), c)).toMatchObject({ ok: false, reason: 'RESTRICTED_SYMBOL' });
  });
  it('given another symbol, then it passes', () => {
    expect(restrictedList(order({ symbol: B }), ctx(), c)).toEqual({ ok: true });
  });
});

describe('stFilter', () => {
  const st = ctx({ st: [A] });
  it('given allowSt false, when buying an ST stock, then ST_NOT_ALLOWED; a non-ST buy passes', () => {
    expect(stFilter(order(), st, config)).toMatchObject({ ok: false, reason: 'ST_NOT_ALLOWED' });
    expect(stFilter(order({ symbol: B }), st, config)).toEqual({ ok: true });
  });
  it('given allowSt false, when selling an ST stock, then it passes (exits stay open)', () => {
    expect(stFilter(order({ side: 'sell' }), st, config)).toEqual({ ok: true });
  });
  it('given allowSt true, when buying an ST stock, then it passes', () => {
    expect(stFilter(order(), st, { ...config, allowSt: true })).toEqual({ ok: true });
  });
});

describe('noShort', () => {
  const c = ctx({ positions: { [A]: pos(500, 0) } });
  it('given 500 held, when selling 500, then it passes (T+1 is availability\'s concern)', () => {
    expect(noShort(order({ side: 'sell', qty: 500 }), c, config)).toEqual({ ok: true });
  });
  it('given 500 held, when selling 600 or selling an unheld symbol, then SHORT_SALE', () => {
    expect(noShort(order({ side: 'sell', qty: 600 }), c, config)).toMatchObject({ ok: false, reason: 'SHORT_SALE' });
    expect(noShort(order({ side: 'sell', symbol: B }), c, config)).toMatchObject({ ok: false, reason: 'SHORT_SALE' });
  });
});
