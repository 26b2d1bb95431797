import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { BarRules, CashDividend, DataOf, DayBars, DomainEvent, TradingDay } from '../../domain/index.js';
import { asTradingDay, firstBarProblem } from '../../domain/index.js';
import { readDividendCsv, scanBarCsv } from '../../adapters/bars/index.js';
import { openMarketStore } from '../../adapters/store/index.js';
import { generateFundamentals, generateMarket, generateReference } from '../../domain/synthetic/index.js';
import { readInstrumentsCsv } from './instrumentsCsv.js';
import type { AppConfig } from '../config/index.js';
import { AppError } from '../errors.js';

export interface MarketData {
  /** The trading days of the bars, ascending. */
  readonly dayList: readonly string[];
  /** The bars a day at a time, ascending; each call starts again from the first day (a CSV is streamed from the file, not held). */
  feed(): Iterable<DayBars> | AsyncIterable<DayBars>;
  /** Fundamentals reports, in announcement order (journaled on the first trading day on or after it). */
  readonly fundamentals: readonly DataOf<'FundamentalsReported'>[];
  /** First trading day per symbol, where the source knows it (for IPO no-limit days). */
  readonly listDays: ReadonlyMap<string, TradingDay>;
  readonly dividends: readonly CashDividend[];
  /** Sectors and issued shares, journaled with the first day's bars (the risk rules read them). */
  readonly reference: DataOf<'InstrumentsReferenced'> | null;
  readonly symbols: number;
  readonly dataSource: DataOf<'RunStarted'>['dataSource'];
}

/** SHA-256 of a file read in 1 MiB chunks (a full-market CSV is hundreds of MB: never held whole). */
function fileSha256(path: string): string {
  const h = createHash('sha256');
  const buf = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(path, 'r');
  try {
    for (let n = readSync(fd, buf, 0, buf.length, null); n > 0; n = readSync(fd, buf, 0, buf.length, null)) h.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

/**
 * The bars (and dividends) a backtest runs on: generated from the config's seed, or read from CSV or
 * the market store. Read bars must pass the market rules (`rules`: boards, calendar, ticks) before
 * anything trades on them — codes on a board, trading days (closed days
 * with `market.allowNonTradingDays`), prices on the tick — else BARS_INVALID (exit 3) names where.
 */
export async function loadMarket(
  market: AppConfig['market'], baseDir: string, rules: () => BarRules, barsOverride?: string, instrumentsOverride?: string,
): Promise<MarketData> {
  if (market.source === 'synthetic' && !barsOverride) {
    const s = market.synthetic!;
    const m = generateMarket({ symbols: s.symbols, days: s.days, seed: s.seed, startDay: asTradingDay(s.startDay), calendar: rules().calendar });
    const days = [...m.days];
    return {
      dayList: days.map((d) => d.day), feed: () => days, dividends: m.dividends, symbols: m.instruments.length,
      listDays: new Map(m.instruments.map((i) => [i.symbol, i.listDay])),
      reference: days.length > 0 ? generateReference(m.instruments.map((i) => i.symbol), days[0]!.day as TradingDay, s.seed) : null,
      fundamentals: s.fundamentals && days.length > 0
        ? generateFundamentals(m.instruments.map((i) => i.symbol), days[0]!.day as TradingDay, days[days.length - 1]!.day as TradingDay, s.seed)
        : [],
      dataSource: {
        kind: 'synthetic', path: null, sha256: null,
        description: `synthetic market: ${s.symbols} symbols × ${s.days} days from ${s.startDay}, seed ${s.seed}`,
      },
    };
  }
  const reference = (days: readonly string[]) => {
    const path = instrumentsOverride ?? (market.instruments ? resolve(baseDir, market.instruments) : undefined);
    const d = days[0] as TradingDay | undefined;
    return path && d ? readInstrumentsCsv(path, d) : null;
  };
  // Every code needs a board here, even one an instruments file lists: the engine prices and sizes
  // orders by the board's tick, lot and band, and a code without them would stop the run mid-way.
  const admission = market.allowNonTradingDays === true ? { allowNonTradingDays: true } : {};
  if (market.source === 'store' && !barsOverride) {
    const { days, ...m } = loadFromStore(market, baseDir);
    const bad = firstBarProblem(days, rules(), admission);
    if (bad) throw new AppError('BARS_INVALID', `market store ${m.dataSource.path}: ${bad.symbol} ${bad.day}: ${bad.problem}.`, 3);
    const dayList = days.map((d) => d.day);
    return { ...m, dayList, feed: () => days, reference: reference(dayList) };
  }
  const barsPath = barsOverride ?? resolve(baseDir, market.bars!);
  // Checked whole before anything trades on it, then streamed a day at a time into the run.
  const r = await scanBarCsv(barsPath, { rules: rules(), ...admission });
  if (isLeft(r)) throw new AppError('BARS_INVALID', r.left.message, 3);
  let dividends: readonly CashDividend[] = [];
  if (market.dividends && !barsOverride) {
    const d = await readDividendCsv(resolve(baseDir, market.dividends));
    if (isLeft(d)) throw new AppError('BARS_INVALID', d.left.message, 3);
    dividends = d.right;
  }
  const scanned = r.right;
  return {
    dayList: scanned.dayList, feed: () => scanned.days(), dividends, symbols: scanned.symbols, listDays: new Map(), fundamentals: [], reference: reference(scanned.dayList),
    dataSource: { kind: 'csv', path: barsPath, sha256: fileSha256(barsPath), description: `canonical bar CSV, ${r.right.rows} bars` },
  };
}

/** Market events per trading day: each report goes with the first trading day on or after its announcement. */
export function marketEventsByDay(m: Pick<MarketData, 'dayList' | 'reference' | 'fundamentals'>): Map<string, DomainEvent[]> {
  const out = new Map<string, DomainEvent[]>();
  const days = m.dayList;
  if (m.reference && days.length > 0) out.set(days[0]!, [{ type: 'InstrumentsReferenced', data: m.reference }]);
  let d = 0;
  for (const f of m.fundamentals) {
    while (d < days.length && days[d]! < f.announcedDay) d++;
    if (d >= days.length) break;
    const day = days[d]!;
    out.set(day, [...(out.get(day) ?? []), { type: 'FundamentalsReported', data: f }]);
  }
  return out;
}

/** Bars and cash dividends from the local market store (latest versions), read-only. */
function loadFromStore(market: AppConfig['market'], baseDir: string): Omit<MarketData, 'dayList' | 'feed'> & { readonly days: readonly DayBars[] } {
  const path = resolve(baseDir, market.store!);
  const key = market.storeKeyFile ? { kind: 'keyFile' as const, path: resolve(baseDir, market.storeKeyFile) } : undefined;
  const s = openMarketStore({ path, key, readonly: true });
  if (isLeft(s)) throw new AppError(s.left.code, s.left.message, 4);
  try {
    const q = { ...(market.symbols ? { symbols: market.symbols } : {}), from: market.from ?? '0000-01-01', to: market.to ?? '9999-12-31' };
    const days = s.right.dayBars(q);
    const dividends: CashDividend[] = s.right.dividends(market.symbols ? { symbols: market.symbols } : undefined)
      .filter((d) => d.exDay !== null && d.cashPerShareMicro > 0)
      .map((d) => ({ symbol: d.symbol as CashDividend['symbol'], exDay: d.exDay!, cashPerShareMicro: d.cashPerShareMicro }));
    const symbols = new Set(days.flatMap((d) => d.symbols)).size;
    return {
      days, dividends, symbols, listDays: new Map(), fundamentals: [], reference: null,
      dataSource: { kind: 'store', path, sha256: null, description: `market store ${path}, ${days.length} days, ${symbols} symbols (latest versions)` },
    };
  } finally {
    s.right.close();
  }
}
