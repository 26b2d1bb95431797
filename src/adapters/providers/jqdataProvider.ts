import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { Bar } from '../../domain/bars.js';
import type { BarQuery, MarketDataProvider, ProviderError, SuspensionRow } from '../../domain/data/provider.js';
import type { TradingDay } from '../../domain/tradingDay.js';
import { createHttpClient, providerError, type HttpClientOptions, type HttpResponse } from './httpClient.js';
import { fromJqCode, isJqError, isTokenTrouble, JQDATA, jqErrorOf, parseJqCsv, toJqCode } from './jqdataWire.js';
import { addDays, BadField, calendarDaysBetween, dayField, shiftDecimal, shiftOrNull } from './vendorFields.js';

/** Phone + password (a token is fetched with `get_token` and re-fetched once when it expires), or a fixed token. */
export type JqdataAuth = { readonly mob: string; readonly pwd: string } | { readonly token: string };

export interface JqdataOptions {
  readonly http?: Omit<HttpClientOptions, 'provider'>;
  /** Bars per `get_price` call, at most 5,000 (§11.2). */
  readonly maxCount?: number;
}

/** Bars plus the suspended days JQData returned as `paused=1` rows (dropped from the bars, §8). */
export interface JqdataDaily { readonly bars: Bar[]; readonly paused: SuspensionRow[] }

export interface JqdataProvider extends Omit<MarketDataProvider, 'tradeCalendar' | 'suspensions'>, Required<Pick<MarketDataProvider, 'tradeCalendar' | 'suspensions'>> {
  dailyBarsDetailed(q: BarQuery): Promise<Either<ProviderError, JqdataDaily>>;
}

type R<T> = Promise<Either<ProviderError, T>>;
const PRICE_COLUMNS = ['date', 'open', 'close', 'high', 'low', 'volume', 'money'];
const text = (method: string) => (res: HttpResponse): Either<ProviderError, string> =>
  (isJqError(res.text) ? left(jqErrorOf(method, res.text)) : right(res.text));

/** JQData over HTTP (§11.2): POST JSON `{method, token, …}` → CSV or plain text; errors as `error:` text. */
export function createJqdataProvider(auth: JqdataAuth, url = 'https://dataapi.joinquant.com/apis', o: JqdataOptions = {}): JqdataProvider {
  const http = createHttpClient({ ...o.http, provider: JQDATA });
  const maxCount = Math.min(o.maxCount ?? 5000, 5000);
  let token: string | undefined = 'token' in auth ? auth.token : undefined;

  async function fetchToken(): R<string> {
    if (!('mob' in auth)) return left(providerError(JQDATA, 'PROVIDER_AUTH', 'jqdata: the configured token was refused and no phone/password is set to get a new one'));
    const r = await http.postJson(url, { method: 'get_token', mob: auth.mob, pwd: auth.pwd }, 'get_token', text('get_token'));
    if (isLeft(r)) return r;
    const t = r.right.trim();
    if (t === '' || /[\s,]/.test(t)) return left(providerError(JQDATA, 'PROVIDER_BAD_RESPONSE', 'jqdata get_token: the answer is not a token'));
    token = t;
    return right(t);
  }

  /** One method call; on a token complaint the token is fetched again and the call repeated, once. */
  async function call(method: string, params: Record<string, unknown>): R<string> {
    for (let attempt = 0; ; attempt++) {
      const had = token;
      const tk = had !== undefined ? right(had) : await fetchToken();
      if (isLeft(tk)) return tk;
      let tokenTrouble = false;
      const r = await http.postJson(url, { method, token: tk.right, ...params }, method, (res) => {
        tokenTrouble = isJqError(res.text) && isTokenTrouble(res.text);
        return text(method)(res);
      });
      if (!isLeft(r) || !tokenTrouble || attempt > 0 || !('mob' in auth)) return r;
      token = undefined;
    }
  }

  /** Pages backwards from `to` in `count`-bar steps (count is in trading days, so calendar days bound it). */
  async function priceRows(symbol: string, from: TradingDay, to: TradingDay): R<Array<Record<string, string>>> {
    const code = toJqCode(symbol);
    if (code === undefined) return left(providerError(JQDATA, 'PROVIDER_BAD_REQUEST', `jqdata get_price: not a suffixed A-share code: ${symbol}`));
    const out: Array<Record<string, string>> = [];
    for (let end = to; end >= from;) {
      const count = Math.min(maxCount, calendarDaysBetween(from, end));
      const r = await call('get_price', { code, count, unit: '1d', end_date: end });
      if (isLeft(r)) return r;
      const rows = parseJqCsv('get_price', r.right, PRICE_COLUMNS);
      if (isLeft(rows)) return rows;
      const dates = rows.right.map((x) => (x['date'] ?? '').slice(0, 10)).sort();
      out.push(...rows.right.filter((x) => { const d = (x['date'] ?? '').slice(0, 10); return d >= from && d <= end; }));
      if (rows.right.length < count || dates.length === 0 || dates[0]! <= from) break;
      end = addDays(dates[0]!, -1);
    }
    return right(out);
  }

  /** Unadjusted bars (no `fq_ref_date`); volume already shares, money CNY → fen. `paused=1` rows are suspensions, not bars. */
  async function dailyBarsDetailed(q: BarQuery): R<JqdataDaily> {
    if (!q.symbols) return left(providerError(JQDATA, 'PROVIDER_BAD_REQUEST', 'jqdata get_price: needs the symbols (no whole-market query)'));
    const bars: Bar[] = [];
    const paused: SuspensionRow[] = [];
    for (const s of q.symbols) {
      const rows = await priceRows(s, q.from, q.to);
      if (isLeft(rows)) return rows;
      const symbol = fromJqCode(toJqCode(s)!)!;
      for (let i = 0; i < rows.right.length; i++) {
        const x = rows.right[i]!;
        try {
          const day = dayField((x['date'] ?? '').slice(0, 10), 'date');
          if (x['paused'] !== undefined && Number(x['paused']) === 1) { paused.push({ symbol, day }); continue; }
          bars.push({
            symbol, day, open: shiftDecimal(x['open'], 3, 'open'), high: shiftDecimal(x['high'], 3, 'high'),
            low: shiftDecimal(x['low'], 3, 'low'), close: shiftDecimal(x['close'], 3, 'close'),
            preClose: shiftOrNull(x['pre_close'], 3, 'pre_close'),
            volume: shiftDecimal(x['volume'], 0, 'volume'), amountFen: shiftDecimal(x['money'], 2, 'money'), isSt: 0,
          });
        } catch (e) {
          if (!(e instanceof BadField)) throw e;
          return left(providerError(JQDATA, 'PROVIDER_BAD_RESPONSE', `jqdata get_price ${s}: CSV row ${i + 1}: ${e.message}`));
        }
      }
    }
    const order = (a: { day: string; symbol: string }, b: { day: string; symbol: string }): number =>
      a.day < b.day ? -1 : a.day > b.day ? 1 : a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;
    return right({ bars: bars.sort(order), paused: paused.sort(order) });
  }

  async function tradeCalendar(q: { from: TradingDay; to: TradingDay }): R<TradingDay[]> {
    const r = await call('get_trade_days', { date: q.from, end_date: q.to });
    if (isLeft(r)) return r;
    const days: TradingDay[] = [];
    for (const line of r.right.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '')) {
      try { days.push(dayField(line.slice(0, 10), 'date')); } catch (e) {
        if (!(e instanceof BadField)) throw e;
        return left(providerError(JQDATA, 'PROVIDER_BAD_RESPONSE', `jqdata get_trade_days: ${e.message}`));
      }
    }
    return right(days.filter((d) => d >= q.from && d <= q.to).sort());
  }

  return {
    name: JQDATA,
    dailyBarsDetailed,
    dailyBars: async (q) => { const r = await dailyBarsDetailed(q); return isLeft(r) ? r : right(r.right.bars); },
    suspensions: async (q) => { const r = await dailyBarsDetailed(q); return isLeft(r) ? r : right(r.right.paused); },
    tradeCalendar,
  };
}
