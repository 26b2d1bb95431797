import type { Either } from 'fp-ts/lib/Either.js';
import type { Bar } from '../bars.js';
import type { TradingDay } from '../tradingDay.js';

/** Stable codes for a data provider's expected failures. */
export type ProviderErrorCode =
  | 'PROVIDER_TIMEOUT' | 'PROVIDER_RATE_LIMITED' | 'PROVIDER_AUTH' | 'PROVIDER_PERMISSION' | 'PROVIDER_BAD_RESPONSE'
  | 'PROVIDER_UNAVAILABLE' | 'PROVIDER_NOT_FOUND' | 'PROVIDER_BAD_REQUEST';

export interface ProviderError {
  readonly code: ProviderErrorCode;
  /** One sentence for the user, naming the provider and the call. */
  readonly message: string;
  readonly provider: string;
  /** True when trying again later (or another provider) may succeed. */
  readonly retryable: boolean;
}

/** Forward/backward adjustment factor of a symbol on a day (Tushare `adj_factor` convention, §7.4). */
export interface AdjFactorRow { readonly symbol: string; readonly day: TradingDay; readonly factor: number }

export interface InstrumentRow {
  readonly symbol: string;
  readonly name: string;
  readonly listDay: TradingDay | null;
  readonly delistDay: TradingDay | null;
  /** Vendor status, e.g. Tushare L / D / P / G. */
  readonly status: string | null;
  readonly industry: string | null;
}

export interface SuspensionRow { readonly symbol: string; readonly day: TradingDay }

/** Vendor limit prices of a day (0.001 CNY); null where the vendor marks no limit. */
export interface LimitRow { readonly symbol: string; readonly day: TradingDay; readonly up: number | null; readonly down: number | null }

export interface DividendRow {
  readonly symbol: string;
  readonly exDay: TradingDay | null;
  readonly payDay: TradingDay | null;
  readonly recordDay: TradingDay | null;
  /** Cash per share, 0.000001 CNY, pre-tax. */
  readonly cashPerShareMicro: number;
  /** Bonus + conversion shares per share, millionths. */
  readonly bonusPerShareMicro: number;
  readonly conversionPerShareMicro: number;
}

export interface BarQuery {
  /** Suffixed codes; omitted = every symbol the provider has for the days (where it supports that). */
  readonly symbols?: readonly string[];
  readonly from: TradingDay;
  readonly to: TradingDay;
}

/**
 * A source of market data (Tushare Pro, JQData, local files…). Everything comes back in the canonical
 * units (prices 0.001 CNY, volume shares, amount fen), suffixed codes, and as typed errors — never a
 * thrown exception for an expected failure. Optional methods are those a vendor does not offer.
 */
export interface MarketDataProvider {
  readonly name: string;
  dailyBars(q: BarQuery): Promise<Either<ProviderError, Bar[]>>;
  tradeCalendar?(q: { from: TradingDay; to: TradingDay }): Promise<Either<ProviderError, TradingDay[]>>;
  adjFactors?(q: BarQuery): Promise<Either<ProviderError, AdjFactorRow[]>>;
  instruments?(): Promise<Either<ProviderError, InstrumentRow[]>>;
  suspensions?(q: BarQuery): Promise<Either<ProviderError, SuspensionRow[]>>;
  limits?(q: BarQuery): Promise<Either<ProviderError, LimitRow[]>>;
  dividends?(q: { symbols: readonly string[] }): Promise<Either<ProviderError, DividendRow[]>>;
}
