import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createTushareProvider, type TushareOptions } from '../../../src/adapters/providers/index.js';
import type { ProviderError } from '../../../src/domain/data/provider.js';
import type { TradingDay } from '../../../src/domain/tradingDay.js';
import {
  compact, dashed, fakeTime, startFakeServer, text, tushareErr, tushareOk, weekdays, type FakeAnswer, type FakeServer,
} from './fakeVendorServer.js';

const servers: FakeServer[] = [];
afterEach(async () => { await Promise.all(servers.splice(0).map((s) => s.close())); });
const D = (s: string) => s as TradingDay;
const DAILY = ['ts_code', 'trade_date', 'open', 'high', 'low', 'close', 'pre_close', 'vol', 'amount'];

async function setup(answer: (b: Record<string, unknown>, n: number) => FakeAnswer, o: Partial<TushareOptions> = {}) {
  const s = await startFakeServer(answer);
  servers.push(s);
  const t = fakeTime();
  const p = createTushareProvider({ token: 'tk', url: s.url, ...o, http: { sleep: t.sleep, now: t.now, backoffMs: 1000, timeoutMs: 2000, ...o.http } });
  return { s, t, p };
}
const params = (b: Record<string, unknown>) => b['params'] as Record<string, string>;
const err = <T>(r: Either<ProviderError, T>): ProviderError => { if (!isLeft(r)) throw new Error('expected an error'); return r.left; };
const ok = <T>(r: Either<ProviderError, T>): T => { if (isLeft(r)) throw new Error(r.left.message); return r.right; };

/** A `daily` fake: one row per symbol per weekday in [start, end] (or trade_date), newest first like Tushare, capped at `cap` rows. */
function dailyFake(cap: number, market: string[] = []) {
  return (b: Record<string, unknown>): FakeAnswer => {
    const p = params(b);
    if (b['api_name'] === 'trade_cal') return tushareOk(['cal_date', 'is_open'], weekdays(dashed(p['start_date']!), dashed(p['end_date']!)).map((d) => [compact(d), 1]));
    const days = p['trade_date'] ? [dashed(p['trade_date'])] : weekdays(dashed(p['start_date']!), dashed(p['end_date']!));
    const syms = p['ts_code'] ? p['ts_code'].split(',') : market;
    const rows = days.reverse().flatMap((d) => syms.map((s) => [s, compact(d), 10.01, 10.5, 9.9, 10.2, 10, 100, 102.3]));
    const off = Number(p['offset'] ?? 0);
    return tushareOk(DAILY, rows.slice(off, off + Math.min(cap, Number(p['limit'] ?? cap))));
  };
}

describe('Tushare Pro provider (§11.1 wire format)', () => {
  it('posts {api_name, token, params, fields} and converts a hand-computed daily row to canonical units', async () => {
    const { s, p } = await setup(() => tushareOk(DAILY, [['600519.SH', '20240102', 1700.5, 1710, 1690.01, 1705.123, 1699.99, 1234.5, 9876.543]]));
    const bars = ok(await p.dailyBars({ symbols: ['600519.SH'], from: D('2024-01-02'), to: D('2024-01-02') }));
    expect(bars).toEqual([{
      symbol: '600519.SH', day: '2024-01-02', open: 1_700_500, high: 1_710_000, low: 1_690_010, close: 1_705_123,
      preClose: 1_699_990, volume: 123_450, amountFen: 987_654_300, isSt: 0,
    }]);
    expect(s.requests[0]!.body).toEqual({
      api_name: 'daily', token: 'tk', params: { ts_code: '600519.SH', start_date: '20240102', end_date: '20240102' }, fields: DAILY.join(','),
    });
  });

  it('splits a long daily range so no call exceeds 6,000 rows, and keeps every day once, ascending', async () => {
    const { s, p } = await setup(dailyFake(6000));
    const bars = ok(await p.dailyBars({ symbols: ['000001.SZ'], from: D('2000-01-01'), to: D('2024-12-31') }));
    const expected = weekdays('2000-01-01', '2024-12-31');
    expect(bars.map((b) => b.day)).toEqual(expected);
    expect(s.requests.length).toBe(2); // 9,132 calendar days / 6,000 per call
    const ranges = s.requests.map((r) => [params(r.body)['start_date'], params(r.body)['end_date']]);
    expect(ranges).toEqual([['20000101', '20160604'], ['20160605', '20241231']]);
  });

  it('bisects a range whose answer fills the cap, and pages a full single day with offset/limit', async () => {
    const two = await setup(dailyFake(4), { maxRowsPerCall: 4 });
    const bars = ok(await two.p.dailyBars({ symbols: ['600000.SH', '000001.SZ'], from: D('2024-01-01'), to: D('2024-01-12') }));
    expect(bars).toHaveLength(2 * 10);
    const market = Array.from({ length: 12 }, (_, i) => `${String(600000 + i)}.SH`);
    const all = await setup(dailyFake(5, market), { maxRowsPerCall: 5 });
    const mkt = ok(await all.p.dailyBars({ from: D('2024-01-05'), to: D('2024-01-08') })); // Fri, Sat, Sun, Mon
    expect(mkt).toHaveLength(12 * 2);
    expect(new Set(mkt.map((b) => `${b.day} ${b.symbol}`)).size).toBe(24);
    expect(all.s.requests[0]!.body['api_name']).toBe('trade_cal'); // whole market: one call per open day only
    expect(all.s.requests.filter((r) => r.body['api_name'] === 'daily').map((r) => params(r.body)['offset'] ?? 0)).toEqual([0, 5, 10, 0, 5, 10]);
  });

  it('maps code 2002 to PROVIDER_PERMISSION and a token complaint to PROVIDER_AUTH, without retrying', async () => {
    const perm = await setup(() => tushareErr(2002, '抱歉，您没有访问该接口的权限'));
    expect(err(await perm.p.adjFactors({ symbols: ['600519.SH'], from: D('2024-01-02'), to: D('2024-01-03') }))).toMatchObject({ code: 'PROVIDER_PERMISSION', retryable: false, provider: 'tushare' });
    const tok = await setup(() => tushareErr(40101, '您的token不对，请确认。'));
    expect(err(await tok.p.instruments())).toMatchObject({ code: 'PROVIDER_AUTH', retryable: false });
    expect(perm.s.requests.length + tok.s.requests.length).toBe(2);
    const none = await setup(() => tushareOk([], []), { token: undefined });
    expect(err(await none.p.tradeCalendar({ from: D('2024-01-01'), to: D('2024-01-31') })).code).toBe('PROVIDER_AUTH');
    expect(none.s.requests).toHaveLength(0);
  });

  it('retries a rate-limit answer with the same request, then returns the success', async () => {
    const { s, t, p } = await setup((_b, n) => (n === 0 ? tushareErr(40203, '抱歉，您每分钟最多访问该接口500次') : tushareOk(['cal_date', 'is_open'], [['20240103', 1], ['20240102', 1], ['20240101', 0]])));
    expect(ok(await p.tradeCalendar({ from: D('2024-01-01'), to: D('2024-01-03') }))).toEqual(['2024-01-02', '2024-01-03']);
    expect(s.requests).toHaveLength(2);
    expect(s.requests[1]!.raw).toBe(s.requests[0]!.raw);
    expect(t.slept).toEqual([1000]);
  });

  it('retries HTTP 5xx, then returns the success', async () => {
    const { s, p } = await setup((_b, n) => (n < 2 ? text('gateway', 502) : tushareOk(['ts_code', 'trade_date', 'adj_factor'], [['600519.SH', '20240102', 8.4253]])));
    expect(ok(await p.adjFactors({ symbols: ['600519.SH'], from: D('2024-01-02'), to: D('2024-01-02') }))).toEqual([{ symbol: '600519.SH', day: '2024-01-02', factor: 8.4253 }]);
    expect(s.requests).toHaveLength(3);
  });

  it('gives PROVIDER_BAD_RESPONSE naming the endpoint for truncated JSON and for rows that disagree with fields', async () => {
    const trunc = await setup(() => ({ body: '{"code":0,"msg":"","data":{"fields":["ts_code","trade_date"],"items":[["600519.SH","2024' }));
    const e1 = err(await trunc.p.dailyBars({ symbols: ['600519.SH'], from: D('2024-01-02'), to: D('2024-01-02') }));
    expect(e1).toMatchObject({ code: 'PROVIDER_BAD_RESPONSE', retryable: false });
    expect(e1.message).toContain('tushare daily');
    const shape = await setup(() => tushareOk(['ts_code', 'trade_date', 'up_limit', 'down_limit'], [['600519.SH', '20240102', 1870.0]]));
    const e2 = err(await shape.p.limits({ symbols: ['600519.SH'], from: D('2024-01-02'), to: D('2024-01-02') }));
    expect(e2.code).toBe('PROVIDER_BAD_RESPONSE');
    expect(e2.message).toContain('tushare stk_limit');
    const junk = await setup(() => tushareOk(DAILY, [['600519', '20240102', 1, 1, 1, 1, 1, 1, 1]]));
    expect(err(await junk.p.dailyBars({ symbols: ['600519.SH'], from: D('2024-01-02'), to: D('2024-01-02') })).message).toContain('ts_code');
  });

  it('throttles with the configured limiter on the fake clock', async () => {
    const { s, t, p } = await setup(() => tushareOk(['cal_date', 'is_open'], []), { http: { rateLimit: { calls: 2, windowMs: 60_000 } } });
    for (let i = 0; i < 4; i++) expect(isRight(await p.tradeCalendar({ from: D('2024-01-01'), to: D('2024-01-02') }))).toBe(true);
    expect(t.slept).toEqual([30_000, 30_000]);
    expect(s.requests).toHaveLength(4);
  });

  it('fetches stock_basic for L, D and P; limit sentinels become null; R rows of suspend_d are not suspensions; implemented dividends only', async () => {
    const { s, p } = await setup((b) => {
      const pr = params(b);
      switch (b['api_name']) {
        case 'stock_basic': return tushareOk(['ts_code', 'name', 'industry', 'list_date', 'delist_date', 'list_status'],
          pr['list_status'] === 'D' ? [['600087.SH', '退市长油', '水运', '19970606', '20140605', 'D']] : pr['list_status'] === 'L' ? [['600519.SH', '贵州茅台', '白酒', '20010827', null, 'L']] : []);
        case 'stk_limit': return tushareOk(['ts_code', 'trade_date', 'up_limit', 'down_limit'], [['688981.SH', '20240102', 99999.99, 0], ['600519.SH', '20240102', 1870.99, 1530.81]]);
        case 'suspend_d': return tushareOk(['ts_code', 'trade_date', 'suspend_type'], [['000001.SZ', '20240103', 'S'], ['000001.SZ', '20240104', 'R']]);
        case 'dividend': return tushareOk(['ts_code', 'div_proc', 'stk_bo_rate', 'stk_co_rate', 'cash_div_tax', 'record_date', 'ex_date', 'pay_date'], [
          ['600519.SH', '实施', null, 0.1, 30.876, '20240618', '20240619', '20240619'], ['600519.SH', '预案', null, null, 30.876, null, null, null]]);
        case 'daily_basic': return tushareOk(['ts_code', 'trade_date', 'pe'], [['600519.SH', '20240102', 30.5]]);
        default: return tushareErr(-1, 'unknown');
      }
    });
    const inst = ok(await p.instruments());
    expect(s.requests.map((r) => params(r.body)['list_status'])).toEqual(['L', 'D', 'P']);
    expect(inst.map((i) => [i.symbol, i.status, i.delistDay])).toEqual([['600087.SH', 'D', '2014-06-05'], ['600519.SH', 'L', null]]);
    const q = { symbols: ['600519.SH', '688981.SH'], from: D('2024-01-02'), to: D('2024-01-04') };
    expect(ok(await p.limits(q))).toEqual([{ symbol: '600519.SH', day: '2024-01-02', up: 1_870_990, down: 1_530_810 }, { symbol: '688981.SH', day: '2024-01-02', up: null, down: null }]);
    expect(ok(await p.suspensions(q))).toEqual([{ symbol: '000001.SZ', day: '2024-01-03' }]);
    expect(ok(await p.dividends({ symbols: ['600519.SH'] }))).toEqual([{
      symbol: '600519.SH', exDay: '2024-06-19', payDay: '2024-06-19', recordDay: '2024-06-18',
      cashPerShareMicro: 30_876_000, bonusPerShareMicro: 0, conversionPerShareMicro: 100_000,
    }]);
    expect(ok(await p.query('daily_basic', { trade_date: '20240102' }, ['ts_code', 'trade_date', 'pe']))).toEqual([{ ts_code: '600519.SH', trade_date: '20240102', pe: 30.5 }]);
  });
});
