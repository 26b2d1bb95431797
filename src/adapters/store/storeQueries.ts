import type { Bar } from '../../domain/bars.js';
import type { AdjFactorRow, DividendRow } from '../../domain/data/provider.js';
import type { FundamentalValues } from '../../domain/events/fundamentals.js';
import type { SecuritySymbol } from '../../domain/symbol.js';
import type { TradingDay } from '../../domain/tradingDay.js';
import type { StoreDatabase } from './storeOpen.js';
import {
  ADJ_FACTORS, BARS, CALENDAR, DIVIDENDS, FUNDAMENTALS, INSTRUMENTS, ST_HISTORY,
  type FundamentalsRecord, type InstrumentRecord, type StRecord,
} from './storeTables.js';
import { LATEST, latestVersions } from './versionedTable.js';

/** A day-range query; `asOf` (default: latest) picks the versions known on that day (see `MarketStore`). */
export interface RangeQuery {
  /** Suffixed codes; omitted = every symbol. */
  readonly symbols?: readonly string[];
  readonly from: string;
  readonly to: string;
  readonly asOf?: string;
}

export interface SymbolsQuery {
  readonly symbols?: readonly string[];
  readonly asOf?: string;
}

type Raw = unknown[];
const day = (v: unknown): TradingDay => v as TradingDay;
const dayOrNull = (v: unknown): TradingDay | null => (v === null ? null : (v as TradingDay));

/** WHERE clause and parameters for an optional symbol list (a JSON array, so one statement serves any length). */
function symbolFilter(symbols: readonly string[] | undefined, column = 'symbol'): [string, unknown[]] {
  return symbols === undefined ? ['1', []] : [`${column} IN (SELECT value FROM json_each(?))`, [JSON.stringify(symbols)]];
}

function rangeWhere(q: RangeQuery, dayCol: string): [string, unknown[]] {
  const [sw, sp] = symbolFilter(q.symbols);
  return [`${dayCol} >= ? AND ${dayCol} <= ? AND ${sw}`, [q.from, q.to, ...sp]];
}

export function queryBars(db: StoreDatabase, q: RangeQuery): Bar[] {
  const [w, p] = rangeWhere(q, 'day');
  return latestVersions(db, BARS, w, p, q.asOf ?? LATEST, ['day', 'symbol']).map((r: Raw): Bar => ({
    symbol: r[0] as SecuritySymbol, day: day(r[1]), open: r[2] as number, high: r[3] as number, low: r[4] as number,
    close: r[5] as number, volume: r[6] as number, amountFen: r[7] as number, preClose: r[8] as number | null, isSt: r[9] as 0 | 1,
  }));
}

export function queryAdjFactors(db: StoreDatabase, q: RangeQuery): AdjFactorRow[] {
  const [w, p] = rangeWhere(q, 'day');
  return latestVersions(db, ADJ_FACTORS, w, p, q.asOf ?? LATEST, ['day', 'symbol'])
    .map((r) => ({ symbol: r[0] as string, day: day(r[1]), factor: r[2] as number }));
}

export function queryDividends(db: StoreDatabase, q: SymbolsQuery = {}): DividendRow[] {
  const [w, p] = symbolFilter(q.symbols);
  return latestVersions(db, DIVIDENDS, w, p, q.asOf ?? LATEST, ['symbol', 'ex_day']).map((r) => ({
    symbol: r[0] as string, exDay: r[1] === '' ? null : day(r[1]), payDay: dayOrNull(r[2]), recordDay: dayOrNull(r[3]),
    cashPerShareMicro: r[4] as number, bonusPerShareMicro: r[5] as number, conversionPerShareMicro: r[6] as number,
  }));
}

/** Open days, ascending, as known on `asOf`. */
export function queryCalendar(db: StoreDatabase, asOf = LATEST): TradingDay[] {
  return latestVersions(db, CALENDAR, '1', [], asOf, ['day']).filter((r) => r[1] === 1).map((r) => day(r[0]));
}

export function queryInstruments(db: StoreDatabase, q: SymbolsQuery = {}): InstrumentRecord[] {
  const [w, p] = symbolFilter(q.symbols);
  return latestVersions(db, INSTRUMENTS, w, p, q.asOf ?? LATEST, ['symbol']).map((r) => ({
    symbol: r[0] as string, name: r[1] as string, listDay: dayOrNull(r[2]), delistDay: dayOrNull(r[3]),
    status: r[4] as string | null, industry: r[5] as string | null, board: r[6] as string | null,
  }));
}

export function queryStHistory(db: StoreDatabase, q: SymbolsQuery = {}): StRecord[] {
  const [w, p] = symbolFilter(q.symbols);
  return latestVersions(db, ST_HISTORY, w, p, q.asOf ?? LATEST, ['symbol', 'from_day']).map((r) => ({
    symbol: r[0] as string, fromDay: day(r[1]), isSt: r[2] as 0 | 1, label: r[3] as string | null,
  }));
}

/**
 * Per (symbol, period) the announcement known on `asOf` (announced on or before it), restatements
 * superseding from their own announcement day. The engine's rule that a report is usable only from
 * the day after its announcement is the reader's: ask with `asOf` = the day before the decision day.
 */
export function queryFundamentals(db: StoreDatabase, q: SymbolsQuery = {}): FundamentalsRecord[] {
  const [w, p] = symbolFilter(q.symbols);
  return latestVersions(db, FUNDAMENTALS, w, p, q.asOf ?? LATEST, ['symbol', 'period']).map((r) => ({
    symbol: r[0] as string, period: r[1] as string, announcedDay: r[2] as string, values: JSON.parse(r[3] as string) as FundamentalValues,
  }));
}
