import { describe, expect, it } from 'vitest';
import { applyPoint, parseGrid, pointLabel } from '../../../src/app/sweep/grid.js';

describe('parseGrid', () => {
  it('expands axes into their cartesian product, last axis fastest; bare keys are strategy params', () => {
    const g = parseGrid('fast=5,10,20;slow=60,120');
    expect(g).toEqual({
      ok: true, keys: ['strategy.params.fast', 'strategy.params.slow'],
      points: [5, 10, 20].flatMap((f) => [60, 120].map((s) => ({ 'strategy.params.fast': f, 'strategy.params.slow': s }))),
    });
  });

  it('keeps dotted config paths and string values', () => {
    const g = parseGrid('portfolio.maxPositions=10; execution.slippage=none,bps:5');
    expect(g.ok && g.points).toEqual([
      { 'portfolio.maxPositions': 10, 'execution.slippage': 'none' },
      { 'portfolio.maxPositions': 10, 'execution.slippage': 'bps:5' },
    ]);
  });

  it.each([
    ['', 'empty'], ['fast', 'key=v1,v2'], ['fast=', 'no values'], ['fast=1;fast=2', 'twice'], ['1x=2', 'not a config key'],
  ])('refuses %j with a sentence mentioning %s', (spec, words) => {
    const g = parseGrid(spec);
    expect(g.ok).toBe(false);
    if (!g.ok) expect(g.message).toContain(words);
  });

  it('refuses grids larger than the cap', () => {
    expect(parseGrid('a=1,2,3;b=1,2,3', 8)).toMatchObject({ ok: false });
  });
});

describe('applyPoint / pointLabel', () => {
  it('sets each dotted path on a deep copy', () => {
    const base = { strategy: { params: { fast: 5, slow: 20 } }, portfolio: { maxPositions: 10 } };
    const out = applyPoint(base, { 'strategy.params.fast': 8, 'portfolio.maxPositions': 3 });
    expect(out).toEqual({ strategy: { params: { fast: 8, slow: 20 } }, portfolio: { maxPositions: 3 } });
    expect(base.strategy.params.fast).toBe(5);
  });

  it('labels are file-name safe', () => {
    expect(pointLabel({ 'strategy.params.fast': 5, 'execution.slippage': 'bps:5' })).toBe('fast-5_slippage-bps5');
  });
});
