import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { Bar } from '../../domain/bars.js';
import type { SecuritySymbol } from '../../domain/symbol.js';
import type { TradingDay } from '../../domain/tradingDay.js';
import type { JournalKey } from '../journal/journalKey.js';
import { openMarketStore } from './marketStore.js';

export interface StoreImportFigures {
  readonly rows: number;
  /** First import: every row a new key. */
  readonly importRowsPerSec: number;
  /** The same rows again: every row an unchanged no-op. */
  readonly reimportRowsPerSec: number;
  /** Reading every bar back (`bars` over the whole range). */
  readonly readRowsPerSec: number;
  readonly fileBytes: number;
}

export interface StoreBenchResult {
  readonly nSymbols: number;
  readonly nDays: number;
  /** Symbols per write call (one transaction each), as a per-file import would be. */
  readonly symbolsPerCall: number;
  readonly plain: StoreImportFigures;
  readonly encrypted: StoreImportFigures;
}

const weekdays = (n: number): TradingDay[] => {
  const out: TradingDay[] = [];
  for (let t = Date.UTC(2020, 0, 1); out.length < n; t += 86_400_000) {
    const d = new Date(t);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) out.push(d.toISOString().slice(0, 10) as TradingDay);
  }
  return out;
};

/** Deterministic random-walk bars for symbols [first, first + n). */
function syntheticBars(first: number, n: number, days: readonly TradingDay[]): Bar[] {
  const out: Bar[] = [];
  for (let s = first; s < first + n; s++) {
    const symbol = `${String(600000 + s).padStart(6, '0')}.SH` as SecuritySymbol;
    let close = 10_000 + (s % 50) * 100, seed = s * 2654435761 >>> 0;
    for (const day of days) {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      const pre = close;
      close = Math.max(1_000, pre + ((seed % 601) - 300));
      const open = pre, high = Math.max(open, close) + 10, low = Math.min(open, close) - 10;
      out.push({ symbol, day, open, high, low, close, volume: 100 * (seed % 10_000), amountFen: seed % 100_000_000, preClose: pre, isSt: 0 });
    }
  }
  return out;
}

function runOne(dir: string, name: string, key: JournalKey | undefined, nSymbols: number, days: readonly TradingDay[], per: number): StoreImportFigures {
  const path = join(dir, name);
  const opened = openMarketStore({ path, key, create: true });
  if (isLeft(opened)) throw new Error(opened.left.message);
  const store = opened.right;
  let importMs = 0, reimportMs = 0;
  for (const pass of [0, 1]) {
    for (let s = 0; s < nSymbols; s += per) {
      const rows = syntheticBars(s, Math.min(per, nSymbols - s), days);
      const t0 = performance.now();
      const r = store.upsertBars(rows, { source: 'bench', knownFrom: '2025-01-01' });
      const ms = performance.now() - t0;
      if (isLeft(r)) throw new Error(r.left.message);
      if (pass === 0) importMs += ms; else reimportMs += ms;
    }
  }
  const t0 = performance.now();
  const read = store.bars({ from: days[0]!, to: days[days.length - 1]! }).length;
  const readMs = performance.now() - t0;
  store.close();
  const rows = nSymbols * days.length;
  if (read !== rows) throw new Error(`read back ${read} bars, expected ${rows}`);
  return {
    rows,
    importRowsPerSec: Math.round(rows / (importMs / 1000)),
    reimportRowsPerSec: Math.round(rows / (reimportMs / 1000)),
    readRowsPerSec: Math.round(rows / (readMs / 1000)),
    fileBytes: statSync(path).size,
  };
}

/**
 * Throughput of the store's bulk path: `nSymbols` × `nDays` synthetic bars imported in calls of
 * `symbolsPerCall` symbols (one transaction each), then imported again (all unchanged), then read
 * back, into a plain and an encrypted (SQLCipher 4, raw key) store in a temp directory. Timings
 * cover the store calls only, not the generation of the rows. For `npm run bench`, not for tests.
 */
export function benchStoreImport(nSymbols: number, nDays: number, symbolsPerCall = 100): StoreBenchResult {
  const dir = mkdtempSync(join(tmpdir(), 'ashare-store-bench-'));
  try {
    const keyPath = join(dir, 'store.key');
    writeFileSync(keyPath, 'cd'.repeat(32) + '\n', { mode: 0o600 });
    const days = weekdays(nDays);
    return {
      nSymbols, nDays, symbolsPerCall,
      plain: runOne(dir, 'plain.sqlite', undefined, nSymbols, days, symbolsPerCall),
      encrypted: runOne(dir, 'encrypted.sqlite', { kind: 'keyFile', path: keyPath }, nSymbols, days, symbolsPerCall),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
