import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { toDayBars, type Bar, type DayBars } from '../../domain/bars.js';
import type { AdjFactorRow, DividendRow } from '../../domain/data/provider.js';
import type { TradingDay } from '../../domain/tradingDay.js';
import type { JournalKey } from '../journal/journalKey.js';
import { storeError, type StoreError } from './storeError.js';
import { openStoreFile, storeIoError } from './storeOpen.js';
import {
  queryAdjFactors, queryBars, queryCalendar, queryDividends, queryFundamentals, queryInstruments, queryStHistory,
  type RangeQuery, type SymbolsQuery,
} from './storeQueries.js';
import { ensureSchema } from './storeSchema.js';
import { storeStatus, type StoreStatus } from './storeStatus.js';
import {
  ADJ_FACTORS, BARS, CALENDAR, DIVIDENDS, FUNDAMENTALS, INSTRUMENTS, ST_HISTORY,
  type CalendarRecord, type FundamentalsRecord, type InstrumentRecord, type StRecord,
} from './storeTables.js';
import { versionedWriter, type UpsertCounts, type WriteOptions } from './versionedTable.js';

export interface OpenMarketStoreOptions {
  readonly path: string;
  /** The journal's key scheme (SQLCipher 4); omit for a plain file. See `keyFromEnvironment`. */
  readonly key?: JournalKey;
  /** Create the file (and schema) when missing; default false. */
  readonly create?: boolean;
  readonly readonly?: boolean;
}

/** Fundamentals carry their own `known_from` (the announcement day); `knownFrom` here only dates the write log. */
export type FundamentalsWriteOptions = Omit<WriteOptions, 'knownFrom'> & { readonly knownFrom?: string };

type Write<R> = (rows: readonly R[], o: WriteOptions) => Either<StoreError, UpsertCounts>;

/**
 * A local, optionally encrypted, point-in-time market database.
 *
 * Point-in-time rule: every stored row is one version of the value of its key (bars: symbol and
 * day; fundamentals: symbol and period; …), known from `known_from` (the import day, or for
 * fundamentals the announcement day). A query `asOf` D sees, per key, the version with the latest
 * `known_from` ≤ D (the later write winning on the same day); omitted `asOf` = the latest version.
 * A key with no version known on D is absent. Writes never overwrite: an identical value is a
 * no-op, a different one is a new version. Each write call is one transaction; a batch with an
 * invalid row is refused whole (`STORE_BAD_ROW`) and writes nothing.
 */
export interface MarketStore {
  readonly path: string;
  readonly isEncrypted: boolean;
  readonly upsertBars: Write<Bar>;
  readonly upsertAdjFactors: Write<AdjFactorRow>;
  readonly upsertDividends: Write<DividendRow>;
  /** Days with `isOpen`; a provider's open-day list maps to `{ day, isOpen: true }`. */
  readonly upsertCalendar: Write<CalendarRecord>;
  readonly upsertInstruments: Write<InstrumentRecord>;
  readonly upsertStHistory: Write<StRecord>;
  upsertFundamentals(rows: readonly FundamentalsRecord[], o: FundamentalsWriteOptions): Either<StoreError, UpsertCounts>;
  /** Bars ordered by day then symbol. */
  bars(q: RangeQuery): Bar[];
  dayBars(q: RangeQuery): DayBars[];
  /** Last bar day stored (for `symbol`, or any symbol), whatever its version. */
  lastDay(symbol?: string): TradingDay | undefined;
  /** First bar day stored (for `symbol`, or any symbol), whatever its version. */
  firstDay(symbol?: string): TradingDay | undefined;
  /** Symbols with at least one bar, ascending. */
  symbols(): string[];
  status(): StoreStatus;
  instruments(asOf?: string): InstrumentRecord[];
  stHistory(q?: SymbolsQuery): StRecord[];
  adjFactors(q: RangeQuery): AdjFactorRow[];
  dividends(q?: SymbolsQuery): DividendRow[];
  /** Open days, ascending. */
  calendar(asOf?: string): TradingDay[];
  fundamentals(asOf?: string): FundamentalsRecord[];
  close(): void;
}

/** Opens (or creates) a market store; wrong key, wrong file or wrong schema is one sentence with a stable code. */
export function openMarketStore(o: OpenMarketStoreOptions): Either<StoreError, MarketStore> {
  const opened = openStoreFile(o);
  if (isLeft(opened)) return opened;
  const db = opened.right;
  const ro = o.readonly === true;
  try {
    if (!ro) db.pragma('journal_mode = WAL');
    // Market data can be re-imported: NORMAL keeps WAL consistent on a crash without an fsync per commit.
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -131072'); // 128 MiB of pages: the bulk import's B-tree stays in memory
    db.pragma('temp_store = MEMORY');
    const schema = ensureSchema(db, o.path, !ro);
    if (isLeft(schema)) { db.close(); return schema; }
  } catch (e) {
    db.close();
    return left(storeIoError(e, o.path, 'open'));
  }

  const guard = <R>(w: Write<R>): Write<R> => (rows, wo) => {
    if (ro) return left(storeError('STORE_READONLY', `market store ${o.path} was opened read-only`));
    try {
      return w(rows, wo);
    } catch (e) {
      return left(storeIoError(e, o.path, 'write'));
    }
  };
  const fundamentalsWriter = guard(versionedWriter(db, FUNDAMENTALS));
  const pluck = (sql: string, ...p: unknown[]): unknown => db.prepare(sql).pluck().get(...p);

  return right({
    path: o.path,
    isEncrypted: o.key !== undefined,
    upsertBars: guard(versionedWriter(db, BARS)),
    upsertAdjFactors: guard(versionedWriter(db, ADJ_FACTORS)),
    upsertDividends: guard(versionedWriter(db, DIVIDENDS)),
    upsertCalendar: guard(versionedWriter(db, CALENDAR)),
    upsertInstruments: guard(versionedWriter(db, INSTRUMENTS)),
    upsertStHistory: guard(versionedWriter(db, ST_HISTORY)),
    upsertFundamentals: (rows, fo) => {
      const latest = rows.reduce((m, r) => (typeof r.announcedDay === 'string' && r.announcedDay > m ? r.announcedDay : m), '0000-01-01');
      return fundamentalsWriter(rows, { source: fo.source, knownFrom: fo.knownFrom ?? latest });
    },
    bars: (q) => queryBars(db, q),
    dayBars: (q) => toDayBars(queryBars(db, q)),
    lastDay: (symbol) => (symbol === undefined
      ? pluck('SELECT max(day) FROM bars') : pluck('SELECT max(day) FROM bars WHERE symbol = ?', symbol)) as TradingDay | undefined ?? undefined,
    firstDay: (symbol) => (symbol === undefined
      ? pluck('SELECT min(day) FROM bars') : pluck('SELECT min(day) FROM bars WHERE symbol = ?', symbol)) as TradingDay | undefined ?? undefined,
    symbols: () => db.prepare(`WITH RECURSIVE s(x) AS (
        SELECT min(symbol) FROM bars UNION ALL SELECT (SELECT min(symbol) FROM bars WHERE symbol > x) FROM s WHERE x IS NOT NULL
      ) SELECT x FROM s WHERE x IS NOT NULL`).pluck().all() as string[],
    status: () => storeStatus(db),
    instruments: (asOf) => queryInstruments(db, asOf === undefined ? {} : { asOf }),
    stHistory: (q) => queryStHistory(db, q),
    adjFactors: (q) => queryAdjFactors(db, q),
    dividends: (q) => queryDividends(db, q),
    calendar: (asOf) => queryCalendar(db, asOf),
    fundamentals: (asOf) => queryFundamentals(db, asOf === undefined ? {} : { asOf }),
    close: () => { if (db.open) db.close(); },
  });
}
