import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { Bar } from '../../../src/domain/bars.js';
import type { SecuritySymbol } from '../../../src/domain/symbol.js';
import type { TradingDay } from '../../../src/domain/tradingDay.js';
import { openMarketStore, type MarketStore, type OpenMarketStoreOptions } from '../../../src/adapters/store/index.js';

export const tempDirs: string[] = [];
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ashare-store-test-'));
  tempDirs.push(d);
  return d;
}
export function cleanTempDirs(): void {
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function openOrThrow(o: OpenMarketStoreOptions): MarketStore {
  const r = openMarketStore(o);
  if (isLeft(r)) throw new Error(r.left.message);
  return r.right;
}

export function unwrap<E extends { message: string }, T>(r: { _tag: 'Left'; left: E } | { _tag: 'Right'; right: T }): T {
  if (r._tag === 'Left') throw new Error(r.left.message);
  return r.right;
}

export const D = (s: string): TradingDay => s as TradingDay;
export const S = (s: string): SecuritySymbol => s as SecuritySymbol;

export function bar(symbol: string, day: string, close: number, extra: Partial<Bar> = {}): Bar {
  return {
    symbol: S(symbol), day: D(day), open: close, high: close + 100, low: close - 100, close,
    volume: 1_000, amountFen: 1_234_500, preClose: null, isSt: 0, ...extra,
  };
}

export const DAYS = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'];
export const SYMBOLS = ['600519.SH', '000001.SZ', '300750.SZ'];
/** 3 symbols × 4 days, deterministic prices. */
export const sampleBars = (): Bar[] => SYMBOLS.flatMap((s, i) => DAYS.map((d, j) => bar(s, d, 10_000 + i * 1_000 + j * 10)));
