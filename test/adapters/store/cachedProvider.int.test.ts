import { join } from 'node:path';
import { isRight, left, type Either } from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { MarketDataProvider, ProviderError } from '../../../src/domain/data/provider.js';
import { cachedStore, countingProvider, measureCache, withCache } from '../../../src/adapters/store/index.js';
import { D, cleanTempDirs, openOrThrow, sampleBars, tempDir, unwrap } from './storeFixtures.js';

afterEach(cleanTempDirs);

const right = <T>(r: Either<ProviderError, T>): T => {
  if (!isRight(r)) throw new Error(r.left.message);
  return r.right;
};

describe('withCache', () => {
  it('serves a sub-range (and a symbol subset) of a cached answer by filtering it', async () => {
    const inner = countingProvider();
    const p = withCache(inner, { max: 10 });
    const wide = { symbols: ['600519.SH', '000001.SZ'], from: D('2024-01-01'), to: D('2024-03-31') };
    const narrow = { symbols: ['000001.SZ'], from: D('2024-02-01'), to: D('2024-02-29') };
    right(await p.dailyBars(wide));
    const served = right(await p.dailyBars(narrow));
    expect(served).toEqual(right(await inner.dailyBars(narrow)));
    expect(served.length).toBe(21);
    // Same symbols in another order: the canonical key makes it an exact hit.
    right(await p.dailyBars({ ...wide, symbols: ['000001.SZ', '600519.SH', '000001.SZ'] }));
    // Wider than anything cached, or another method: misses.
    right(await p.dailyBars({ ...wide, to: D('2024-04-30') }));
    right(await p.adjFactors!(narrow));
    expect(p.stats()).toEqual({ hits: 2, misses: 3, calls: 3 });
  });

  it('does not cache failures', async () => {
    let calls = 0;
    const failing: MarketDataProvider = {
      name: 'down',
      dailyBars: async () => { calls++; return left({ code: 'PROVIDER_TIMEOUT', message: 'down timed out', provider: 'down', retryable: true }); },
    };
    const p = withCache(failing, { max: 10 });
    const q = { symbols: ['600519.SH'], from: D('2024-01-01'), to: D('2024-01-31') };
    await p.dailyBars(q);
    await p.dailyBars(q);
    expect(calls).toBe(2);
    expect(p.stats()).toEqual({ hits: 0, misses: 2, calls: 2 });
    expect(p.tradeCalendar).toBeUndefined();
  });

  it('measures the research session: never more calls than without, identical answers', async () => {
    const m = await measureCache();
    console.log(`cache measurement (research session): ${m.callsWithout} calls without, ${m.callsWith} with, `
      + `reduction ${(m.reduction * 100).toFixed(1)}% (client claim: 40%)`);
    expect(m.callsWith).toBeLessThanOrEqual(m.callsWithout);
    expect(m.identical).toBe(true);
    expect(await measureCache()).toEqual(m); // deterministic
  });
});

describe('cachedStore', () => {
  it('caches bars reads per asOf, serves sub-ranges, and empties on writes through it', () => {
    const store = cachedStore(openOrThrow({ path: join(tempDir(), 'm.sqlite'), create: true }), { max: 8 });
    unwrap(store.upsertBars(sampleBars(), { source: 'csv', knownFrom: '2024-01-06' }));
    const all = store.bars({ from: '2024-01-01', to: '2024-01-31' });
    const sub = store.bars({ symbols: ['600519.SH'], from: '2024-01-03', to: '2024-01-04' });
    expect(sub).toEqual(all.filter((b) => b.symbol === '600519.SH' && b.day >= '2024-01-03' && b.day <= '2024-01-04'));
    expect(store.dayBars({ from: '2024-01-02', to: '2024-01-02' })[0]!.symbols).toHaveLength(3);
    expect(store.stats()).toEqual({ hits: 2, misses: 1, calls: 1 });
    store.bars({ from: '2024-01-01', to: '2024-01-31', asOf: '2024-01-05' }); // another asOf: a miss
    unwrap(store.upsertBars([{ ...sampleBars()[0]!, close: 10_050 }], { source: 'fix', knownFrom: '2024-01-08' }));
    expect(store.bars({ symbols: ['600519.SH'], from: '2024-01-02', to: '2024-01-02' })[0]!.close).toBe(10_050);
    expect(store.stats()).toEqual({ hits: 2, misses: 3, calls: 3 });
    store.close();
  });
});
