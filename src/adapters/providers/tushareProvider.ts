import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { Bar } from '../../domain/bars.js';
import type {
  AdjFactorRow, BarQuery, DividendRow, InstrumentRow, LimitRow, MarketDataProvider, ProviderError, SuspensionRow,
} from '../../domain/data/provider.js';
import type { TradingDay } from '../../domain/tradingDay.js';
import { createHttpClient, providerError, type HttpClientOptions } from './httpClient.js';
import { col, mapRows, parseTushareBody, TUSHARE, type TushareRecord } from './tushareWire.js';
import { BadField, calendarDaysBetween, compactDay, dayField, dayOrNull, shiftDecimal, shiftOrNull, splitRange, symbolField } from './vendorFields.js';

export interface TushareOptions {
  /** Tushare Pro token; the caller passes `process.env.TUSHARE_TOKEN` here. Missing = every call fails PROVIDER_AUTH. */
  readonly token: string | undefined;
  readonly url?: string;
  /** Transport options; the limiter defaults to the base tier, 500 calls/min (§11.1). */
  readonly http?: Omit<HttpClientOptions, 'provider'>;
  /** Most rows one `daily` call returns (§11.1: 6,000); `stk_limit` uses min(this, 5,800). */
  readonly maxRowsPerCall?: number;
}

export interface TushareProvider extends Required<MarketDataProvider> {
  /** Any endpoint, rows keyed by field name, values as the vendor sent them (e.g. `daily_basic`, `fina_indicator`). */
  query(apiName: string, params: Record<string, unknown>, fields?: readonly string[]): Promise<Either<ProviderError, TushareRecord[]>>;
}

type R<T> = Promise<Either<ProviderError, T>>;
/** Rows a whole-market call yields per calendar day (≈ listed A-shares; suspensions are far fewer). */
const MARKET_ROWS: Record<string, number> = { daily: 6000, adj_factor: 6000, stk_limit: 6000, suspend_d: 200 };
const DAILY_FIELDS = ['ts_code', 'trade_date', 'open', 'high', 'low', 'close', 'pre_close', 'vol', 'amount'];
const byDaySymbol = <T extends { day: string; symbol: string }>(a: T, b: T): number =>
  a.day < b.day ? -1 : a.day > b.day ? 1 : a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;

/** Tushare Pro over HTTP (§11.1): POST `{api_name, token, params, fields}` → `{code, msg, data: {fields, items}}`. */
export function createTushareProvider(o: TushareOptions): TushareProvider {
  const url = o.url ?? 'https://api.tushare.pro';
  const http = createHttpClient({ rateLimit: { calls: 500, windowMs: 60_000 }, ...o.http, provider: TUSHARE });
  const maxRows = o.maxRowsPerCall ?? 6000;

  const query = async (api: string, params: Record<string, unknown>, fields: readonly string[] = []): R<TushareRecord[]> => {
    if (!o.token) return left(providerError(TUSHARE, 'PROVIDER_AUTH', `tushare ${api}: no token configured (set TUSHARE_TOKEN)`));
    const body = { api_name: api, token: o.token, params, fields: fields.join(',') };
    return http.postJson(url, body, api, (res) => parseTushareBody(api, res.text));
  };

  /**
   * Date-ranged endpoints, split so no call can exceed the row cap: a range spans ⌊cap / rows-per-day⌋
   * calendar days (≥ trading days, so conservative). An answer that still fills the cap is bisected, and a
   * single day that fills it is paged with `offset`/`limit`, so a silently truncated answer is never kept.
   */
  async function ranged(api: string, fields: readonly string[], q: BarQuery, cap = maxRows): R<TushareRecord[]> {
    const groups = q.symbols ? chunk(q.symbols, cap) : [undefined];
    const out: TushareRecord[] = [];
    for (const g of groups) {
      const span = Math.floor(cap / (g ? g.length : MARKET_ROWS[api] ?? cap));
      let ranges = splitRange(q.from, q.to, span);
      if (!g && span <= 1) {
        const cal = await tradeCalendar({ from: q.from, to: q.to });
        if (isLeft(cal)) return cal;
        ranges = cal.right.map((d) => [d, d]);
      }
      for (const [a, b] of ranges) {
        const r = await fetchRange(api, fields, g, a, b, cap);
        if (isLeft(r)) return r;
        out.push(...r.right);
      }
    }
    return right(out);
  }

  async function fetchRange(api: string, fields: readonly string[], g: readonly string[] | undefined, a: TradingDay, b: TradingDay, cap: number): R<TushareRecord[]> {
    const base: Record<string, unknown> = g ? { ts_code: g.join(',') } : {};
    const params = a === b && !g ? { ...base, trade_date: compactDay(a) } : { ...base, start_date: compactDay(a), end_date: compactDay(b) };
    const r = await query(api, params, fields);
    if (isLeft(r) || r.right.length < cap) return r;
    if (a < b) {
      const mid = splitRange(a, b, Math.ceil(calendarDaysBetween(a, b) / 2));
      const out: TushareRecord[] = [];
      for (const [x, y] of mid) {
        const part = await fetchRange(api, fields, g, x, y, cap);
        if (isLeft(part)) return part;
        out.push(...part.right);
      }
      return right(out);
    }
    const out = [...r.right];
    for (let offset = cap; ; offset += cap) {
      const page = await query(api, { ...params, offset, limit: cap }, fields);
      if (isLeft(page)) return page;
      out.push(...page.right);
      if (page.right.length < cap) return right(out);
    }
  }

  async function tradeCalendar(q: { from: TradingDay; to: TradingDay }): R<TradingDay[]> {
    const r = await query('trade_cal', { exchange: 'SSE', start_date: compactDay(q.from), end_date: compactDay(q.to) }, ['cal_date', 'is_open']);
    if (isLeft(r)) return r;
    const days = mapRows('trade_cal', r.right, (x) => (String(col(x, 'is_open')) === '1' ? dayField(col(x, 'cal_date'), 'cal_date') : undefined));
    return isLeft(days) ? days : right(days.right.sort());
  }

  /** Unadjusted daily bars; vol lots → shares (×100), amount thousand CNY → fen (×100,000), exactly. No rows on suspended days (§8). `isSt` is 0: `daily` does not say. */
  async function dailyBars(q: BarQuery): R<Bar[]> {
    const r = await ranged('daily', DAILY_FIELDS, q);
    if (isLeft(r)) return r;
    const bars = mapRows('daily', r.right, (x): Bar => ({
      symbol: symbolField(col(x, 'ts_code'), 'ts_code'), day: dayField(col(x, 'trade_date'), 'trade_date'),
      open: shiftDecimal(col(x, 'open'), 3, 'open'), high: shiftDecimal(col(x, 'high'), 3, 'high'),
      low: shiftDecimal(col(x, 'low'), 3, 'low'), close: shiftDecimal(col(x, 'close'), 3, 'close'),
      preClose: shiftOrNull(col(x, 'pre_close'), 3, 'pre_close'),
      volume: shiftDecimal(col(x, 'vol'), 2, 'vol'), amountFen: shiftDecimal(col(x, 'amount'), 5, 'amount'), isSt: 0,
    }));
    return isLeft(bars) ? bars : right(bars.right.sort(byDaySymbol));
  }

  async function adjFactors(q: BarQuery): R<AdjFactorRow[]> {
    const r = await ranged('adj_factor', ['ts_code', 'trade_date', 'adj_factor'], q);
    if (isLeft(r)) return r;
    const rows = mapRows('adj_factor', r.right, (x): AdjFactorRow => {
      const factor = Number(col(x, 'adj_factor'));
      if (!(factor > 0)) throw new BadField(`adj_factor: not a positive number (${JSON.stringify(x['adj_factor'])})`);
      return { symbol: symbolField(col(x, 'ts_code'), 'ts_code'), day: dayField(col(x, 'trade_date'), 'trade_date'), factor };
    });
    return isLeft(rows) ? rows : right(rows.right.sort(byDaySymbol));
  }

  /** Listed, delisted and paused listings (L, D, P): the default L alone would bias a backtest towards survivors (§11.1). */
  async function instruments(): R<InstrumentRow[]> {
    const fields = ['ts_code', 'name', 'industry', 'list_date', 'delist_date', 'list_status'];
    const out: InstrumentRow[] = [];
    for (const status of ['L', 'D', 'P']) {
      const r = await query('stock_basic', { list_status: status }, fields);
      if (isLeft(r)) return r;
      const rows = mapRows('stock_basic', r.right, (x): InstrumentRow => ({
        symbol: symbolField(col(x, 'ts_code'), 'ts_code'), name: String(col(x, 'name') ?? ''),
        listDay: dayOrNull(col(x, 'list_date'), 'list_date'), delistDay: dayOrNull(x['delist_date'], 'delist_date'),
        status: (x['list_status'] as string | null | undefined) ?? status, industry: (x['industry'] as string | null | undefined) ?? null,
      }));
      if (isLeft(rows)) return rows;
      out.push(...rows.right);
    }
    return right(out.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0)));
  }

  async function suspensions(q: BarQuery): R<SuspensionRow[]> {
    const r = await ranged('suspend_d', ['ts_code', 'trade_date', 'suspend_type'], q);
    if (isLeft(r)) return r;
    // suspend_type R rows are resumptions, not suspended days (§8).
    const rows = mapRows('suspend_d', r.right, (x): SuspensionRow | undefined => (x['suspend_type'] === 'R' ? undefined
      : { symbol: symbolField(col(x, 'ts_code'), 'ts_code'), day: dayField(col(x, 'trade_date'), 'trade_date') }));
    return isLeft(rows) ? rows : right(rows.right.sort(byDaySymbol));
  }

  /** Up/down limits in 0.001 CNY; Tushare's 99999.99 (no upper limit) and 0 (no lower limit) sentinels become null. */
  async function limits(q: BarQuery): R<LimitRow[]> {
    const r = await ranged('stk_limit', ['ts_code', 'trade_date', 'up_limit', 'down_limit'], q, Math.min(maxRows, 5800));
    if (isLeft(r)) return r;
    const sentinel = (v: number | null): number | null => (v === null || v === 0 || v === 99_999_990 ? null : v);
    const rows = mapRows('stk_limit', r.right, (x): LimitRow => ({
      symbol: symbolField(col(x, 'ts_code'), 'ts_code'), day: dayField(col(x, 'trade_date'), 'trade_date'),
      up: sentinel(shiftOrNull(col(x, 'up_limit'), 3, 'up_limit')), down: sentinel(shiftOrNull(col(x, 'down_limit'), 3, 'down_limit')),
    }));
    return isLeft(rows) ? rows : right(rows.right.sort(byDaySymbol));
  }

  /** Implemented (`div_proc` 实施) dividends only: plans and AGM stages repeat the same event without dates. Per share, pre-tax. */
  async function dividends(q: { symbols: readonly string[] }): R<DividendRow[]> {
    const fields = ['ts_code', 'div_proc', 'stk_bo_rate', 'stk_co_rate', 'cash_div_tax', 'record_date', 'ex_date', 'pay_date'];
    const out: DividendRow[] = [];
    for (const s of q.symbols) {
      const r = await query('dividend', { ts_code: s }, fields);
      if (isLeft(r)) return r;
      const rows = mapRows('dividend', r.right, (x): DividendRow | undefined => (col(x, 'div_proc') !== '实施' ? undefined : {
        symbol: symbolField(col(x, 'ts_code'), 'ts_code'), exDay: dayOrNull(col(x, 'ex_date'), 'ex_date'),
        payDay: dayOrNull(x['pay_date'], 'pay_date'), recordDay: dayOrNull(x['record_date'], 'record_date'),
        cashPerShareMicro: shiftOrNull(col(x, 'cash_div_tax'), 6, 'cash_div_tax') ?? 0,
        bonusPerShareMicro: shiftOrNull(x['stk_bo_rate'], 6, 'stk_bo_rate') ?? 0,
        conversionPerShareMicro: shiftOrNull(x['stk_co_rate'], 6, 'stk_co_rate') ?? 0,
      }));
      if (isLeft(rows)) return rows;
      out.push(...rows.right);
    }
    return right(out);
  }

  return { name: TUSHARE, query, dailyBars, tradeCalendar, adjFactors, instruments, suspensions, limits, dividends };
}

function chunk<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}
