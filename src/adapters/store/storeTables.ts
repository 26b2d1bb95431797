import type { Bar } from '../../domain/bars.js';
import { canonicalJson } from '../../domain/canonicalJson.js';
import type { AdjFactorRow, DividendRow, InstrumentRow } from '../../domain/data/provider.js';
import { FundamentalsReported, type FundamentalValues } from '../../domain/events/fundamentals.js';
import { parseSymbol } from '../../domain/symbol.js';
import { isTradingDayString, type TradingDay } from '../../domain/tradingDay.js';
import type { TableSpec } from './versionedTable.js';

/** An instrument's static data; `board` is the listing board (main, ChiNext, STAR, BSE…). */
export interface InstrumentRecord extends InstrumentRow { readonly board: string | null }

/** A risk-warning state starting on `fromDay` (ST history is dated rows, not a flag). */
export interface StRecord {
  readonly symbol: string;
  readonly fromDay: TradingDay;
  readonly isSt: 0 | 1;
  /** The warning as the exchange names it (`ST`, `*ST`), null when lifted. */
  readonly label: string | null;
}

export interface CalendarRecord { readonly day: TradingDay; readonly isOpen: boolean }

/** One announcement of one report period (`FundamentalsReported` data); its `known_from` is `announcedDay`. */
export interface FundamentalsRecord {
  readonly symbol: string;
  readonly period: string;
  readonly announcedDay: string;
  readonly values: FundamentalValues;
}

const isDay = (d: unknown): boolean => typeof d === 'string' && isTradingDayString(d);
const isDayOrNull = (d: unknown): boolean => d === null || isDay(d);
const isInt = (n: unknown, min: number): boolean => Number.isSafeInteger(n) && (n as number) >= min;
const isTextOrNull = (t: unknown): boolean => t === null || typeof t === 'string';
const badSymbol = (s: unknown): string | undefined =>
  typeof s === 'string' && parseSymbol(s) !== undefined ? undefined : `symbol ${JSON.stringify(s)} is not a suffixed code`;

/** A bar is refused unless its prices are positive integers (0.001 CNY) with low ≤ open, close ≤ high. */
export function whyBadBar(b: Bar): string | undefined {
  const s = badSymbol(b.symbol);
  if (s !== undefined) return s;
  if (!isDay(b.day)) return `day ${JSON.stringify(b.day)} is not a date`;
  for (const f of ['open', 'high', 'low', 'close'] as const) {
    if (!isInt(b[f], 1)) return `${b.symbol} ${b.day}: ${f} ${b[f]} is not a positive integer price`;
  }
  if (b.low > Math.min(b.open, b.close) || b.high < Math.max(b.open, b.close)) return `${b.symbol} ${b.day}: low/high do not bracket open/close`;
  if (!isInt(b.volume, 0) || !isInt(b.amountFen, 0)) return `${b.symbol} ${b.day}: volume and amount must be non-negative integers`;
  if (b.preClose !== null && !isInt(b.preClose, 1)) return `${b.symbol} ${b.day}: preClose must be a positive integer or null`;
  if (b.isSt !== 0 && b.isSt !== 1) return `${b.symbol} ${b.day}: isSt must be 0 or 1`;
  return undefined;
}

export const BARS: TableSpec<Bar> = {
  name: 'bars',
  keyCols: [['symbol', 'TEXT'], ['day', 'TEXT']],
  valueCols: [['open', 'INTEGER'], ['high', 'INTEGER'], ['low', 'INTEGER'], ['close', 'INTEGER'], ['volume', 'INTEGER'],
    ['amount_fen', 'INTEGER'], ['pre_close', 'INTEGER'], ['is_st', 'INTEGER']],
  dayCol: 'day',
  key: (b) => [b.symbol, b.day],
  values: (b) => [b.open, b.high, b.low, b.close, b.volume, b.amountFen, b.preClose, b.isSt],
  validate: whyBadBar,
};

export const ADJ_FACTORS: TableSpec<AdjFactorRow> = {
  name: 'adj_factors',
  keyCols: [['symbol', 'TEXT'], ['day', 'TEXT']],
  valueCols: [['factor', 'REAL']],
  dayCol: 'day',
  key: (r) => [r.symbol, r.day],
  values: (r) => [r.factor],
  validate: (r) => badSymbol(r.symbol) ?? (!isDay(r.day) ? `day ${JSON.stringify(r.day)} is not a date`
    : !(Number.isFinite(r.factor) && r.factor > 0) ? `${r.symbol} ${r.day}: factor ${r.factor} is not a positive number` : undefined),
};

/** Keyed by symbol and ex-day; a plan without an ex-day yet is stored under ex-day '' until it gets one. */
export const DIVIDENDS: TableSpec<DividendRow> = {
  name: 'dividends',
  keyCols: [['symbol', 'TEXT'], ['ex_day', 'TEXT']],
  valueCols: [['pay_day', 'TEXT'], ['record_day', 'TEXT'], ['cash_micro', 'INTEGER'], ['bonus_micro', 'INTEGER'], ['conversion_micro', 'INTEGER']],
  dayCol: 'ex_day',
  key: (r) => [r.symbol, r.exDay ?? ''],
  values: (r) => [r.payDay, r.recordDay, r.cashPerShareMicro, r.bonusPerShareMicro, r.conversionPerShareMicro],
  validate: (r) => badSymbol(r.symbol) ?? (![r.exDay, r.payDay, r.recordDay].every(isDayOrNull) ? `${r.symbol}: a day is not a date`
    : ![r.cashPerShareMicro, r.bonusPerShareMicro, r.conversionPerShareMicro].every((n) => isInt(n, 0))
      ? `${r.symbol} ${r.exDay}: per-share amounts must be non-negative integers (millionths)` : undefined),
};

export const CALENDAR: TableSpec<CalendarRecord> = {
  name: 'calendar',
  keyCols: [['day', 'TEXT']],
  valueCols: [['is_open', 'INTEGER']],
  dayCol: 'day',
  key: (r) => [r.day],
  values: (r) => [r.isOpen ? 1 : 0],
  validate: (r) => (!isDay(r.day) ? `day ${JSON.stringify(r.day)} is not a date` : typeof r.isOpen !== 'boolean' ? `${r.day}: isOpen must be a boolean` : undefined),
};

export const INSTRUMENTS: TableSpec<InstrumentRecord> = {
  name: 'instruments',
  keyCols: [['symbol', 'TEXT']],
  valueCols: [['name', 'TEXT'], ['list_day', 'TEXT'], ['delist_day', 'TEXT'], ['status', 'TEXT'], ['industry', 'TEXT'], ['board', 'TEXT']],
  dayCol: 'list_day',
  key: (r) => [r.symbol],
  values: (r) => [r.name, r.listDay, r.delistDay, r.status, r.industry, r.board],
  validate: (r) => badSymbol(r.symbol) ?? (typeof r.name !== 'string' ? `${r.symbol}: name must be text`
    : !isDayOrNull(r.listDay) || !isDayOrNull(r.delistDay) ? `${r.symbol}: list/delist day is not a date`
      : ![r.status, r.industry, r.board].every(isTextOrNull) ? `${r.symbol}: status, industry and board must be text or null` : undefined),
};

export const ST_HISTORY: TableSpec<StRecord> = {
  name: 'st_history',
  keyCols: [['symbol', 'TEXT'], ['from_day', 'TEXT']],
  valueCols: [['is_st', 'INTEGER'], ['label', 'TEXT']],
  dayCol: 'from_day',
  key: (r) => [r.symbol, r.fromDay],
  values: (r) => [r.isSt, r.label],
  validate: (r) => badSymbol(r.symbol) ?? (!isDay(r.fromDay) ? `${r.symbol}: fromDay is not a date`
    : r.isSt !== 0 && r.isSt !== 1 ? `${r.symbol} ${r.fromDay}: isSt must be 0 or 1` : !isTextOrNull(r.label) ? `${r.symbol}: label must be text or null` : undefined),
};

const reportSchema = FundamentalsReported.shape.data;

/** Values are stored as canonical JSON (sorted keys), so equal figures compare equal as text. */
export const FUNDAMENTALS: TableSpec<FundamentalsRecord> = {
  name: 'fundamentals',
  keyCols: [['symbol', 'TEXT'], ['period', 'TEXT']],
  valueCols: [['announced_day', 'TEXT'], ['values_json', 'TEXT']],
  dayCol: 'period',
  key: (r) => [r.symbol, r.period],
  values: (r) => [r.announcedDay, canonicalJson(r.values)],
  knownFrom: (r) => r.announcedDay,
  validate: (r) => {
    const p = reportSchema.safeParse(r);
    return p.success ? undefined : `${String(r.symbol)} ${String(r.period)}: ${p.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`;
  },
};

export const ALL_TABLES: readonly TableSpec<never>[] = [BARS, ADJ_FACTORS, DIVIDENDS, CALENDAR, INSTRUMENTS, ST_HISTORY, FUNDAMENTALS];
