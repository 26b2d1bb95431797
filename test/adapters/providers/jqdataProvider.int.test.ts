import fc from 'fast-check';
import { isLeft, type Either } from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createJqdataProvider, fromJqCode, toJqCode, type JqdataAuth, type JqdataOptions } from '../../../src/adapters/providers/index.js';
import type { ProviderError } from '../../../src/domain/data/provider.js';
import type { TradingDay } from '../../../src/domain/tradingDay.js';
import { fakeTime, startFakeServer, text, weekdays, type FakeAnswer, type FakeServer } from './fakeVendorServer.js';

const servers: FakeServer[] = [];
afterEach(async () => { await Promise.all(servers.splice(0).map((s) => s.close())); });
const D = (s: string) => s as TradingDay;
const err = <T>(r: Either<ProviderError, T>): ProviderError => { if (!isLeft(r)) throw new Error('expected an error'); return r.left; };
const ok = <T>(r: Either<ProviderError, T>): T => { if (isLeft(r)) throw new Error(r.left.message); return r.right; };
const HEADER = 'date,open,close,high,low,volume,money,paused,high_limit,low_limit,avg,pre_close';

async function setup(answer: (b: Record<string, unknown>, n: number) => FakeAnswer, auth: JqdataAuth = { mob: '13800000000', pwd: 'pw' }, o: JqdataOptions = {}) {
  const s = await startFakeServer(answer);
  servers.push(s);
  const t = fakeTime();
  return { s, t, p: createJqdataProvider(auth, s.url, { ...o, http: { sleep: t.sleep, now: t.now, timeoutMs: 2000, ...o.http } }) };
}
const methods = (s: FakeServer) => s.requests.map((r) => r.body['method']);

describe('JQData provider (§11.2 wire format)', () => {
  it('fetches a token with mob/pwd, asks get_price for unadjusted 1d bars, converts units and drops paused rows', async () => {
    const { s, p } = await setup((b) => (b['method'] === 'get_token' ? text('tok1') : text([HEADER,
      '2024-01-02,1700.5,1705.12,1710.0,1690.01,123450,987654300.5,0.0,1870.99,1530.81,1702.1,1699.99',
      '2024-01-03,1705.12,1705.12,1705.12,1705.12,0,0.0,1.0,1705.12,1705.12,1705.12,1705.12',
      '2024-01-04,1705.0,1720.0,1725.0,1700.0,2000000,3430000000.0,0.0,1875.63,1534.61,1715.0,1705.12', ''].join('\n'))));
    const r = ok(await p.dailyBarsDetailed({ symbols: ['600519.SH'], from: D('2024-01-02'), to: D('2024-01-04') }));
    expect(r.bars[0]).toEqual({
      symbol: '600519.SH', day: '2024-01-02', open: 1_700_500, high: 1_710_000, low: 1_690_010, close: 1_705_120,
      preClose: 1_699_990, volume: 123_450, amountFen: 98_765_430_050, isSt: 0,
    });
    expect(r.bars.map((b) => b.day)).toEqual(['2024-01-02', '2024-01-04']);
    expect(r.paused).toEqual([{ symbol: '600519.SH', day: '2024-01-03' }]);
    expect(s.requests[0]!.body).toEqual({ method: 'get_token', mob: '13800000000', pwd: 'pw' });
    expect(s.requests[1]!.body).toEqual({ method: 'get_price', token: 'tok1', code: '600519.XSHG', count: 3, unit: '1d', end_date: '2024-01-04' });
    expect(ok(await p.suspensions({ symbols: ['600519.SH'], from: D('2024-01-02'), to: D('2024-01-04') }))).toEqual(r.paused);
    expect(methods(s).filter((m) => m === 'get_token')).toHaveLength(1); // the token is kept for the day
  });

  it('re-fetches the token once when it has expired, and repeats the call', async () => {
    let issued = 0;
    const { s, p } = await setup((b, n) => {
      if (b['method'] === 'get_token') return text(`tok${++issued}`);
      if (b['token'] === 'tok1' && n > 1) return text('error: token过期，请重新获取');
      return text(`${HEADER}\n2024-01-02,10.0,10.2,10.5,9.9,100,1020.0,0,11,9,10.1,10.0\n`);
    });
    const q = { symbols: ['000001.SZ'], from: D('2024-01-02'), to: D('2024-01-02') };
    expect(ok(await p.dailyBars(q))).toHaveLength(1);
    expect(ok(await p.dailyBars(q))).toHaveLength(1);
    expect(methods(s)).toEqual(['get_token', 'get_price', 'get_price', 'get_token', 'get_price']);
    expect(s.requests.map((r) => r.body['token'])).toEqual([undefined, 'tok1', 'tok1', undefined, 'tok2']);
  });

  it('with a fixed token, an expired token is PROVIDER_AUTH (no credentials to re-fetch), and bad credentials are PROVIDER_AUTH', async () => {
    const fixed = await setup(() => text('error: token无效'), { token: 'old' });
    expect(err(await fixed.p.dailyBars({ symbols: ['000001.SZ'], from: D('2024-01-02'), to: D('2024-01-02') }))).toMatchObject({ code: 'PROVIDER_AUTH', retryable: false, provider: 'jqdata' });
    expect(methods(fixed.s)).toEqual(['get_price']);
    const wrong = await setup(() => text('error: 账号或密码错误'));
    expect(err(await wrong.p.tradeCalendar({ from: D('2024-01-01'), to: D('2024-01-31') })).code).toBe('PROVIDER_AUTH');
    expect(methods(wrong.s)).toEqual(['get_token']);
    const perm = await setup((b) => (b['method'] === 'get_token' ? text('t') : text('error: 您没有权限访问该数据')));
    expect(err(await perm.p.tradeCalendar({ from: D('2024-01-01'), to: D('2024-01-31') })).code).toBe('PROVIDER_PERMISSION');
  });

  it('gives PROVIDER_BAD_RESPONSE for a malformed CSV (ragged row, missing columns, non-numeric price)', async () => {
    const bodies = [`${HEADER}\n2024-01-02,10.0,10.2,10.5\n`, 'date,open,close\n2024-01-02,1,1\n', `${HEADER}\n2024-01-02,abc,10.2,10.5,9.9,100,1020.0,0,11,9,10.1,10.0\n`];
    for (const body of bodies) {
      const { p } = await setup((b) => (b['method'] === 'get_token' ? text('t') : text(body)));
      const e = err(await p.dailyBars({ symbols: ['000001.SZ'], from: D('2024-01-02'), to: D('2024-01-02') }));
      expect(e).toMatchObject({ code: 'PROVIDER_BAD_RESPONSE', retryable: false });
      expect(e.message).toContain('jqdata get_price');
    }
  });

  it('pages get_price backwards in count-sized steps over a long range', async () => {
    const all = weekdays('2024-01-01', '2024-03-31');
    const { s, p } = await setup((b) => {
      if (b['method'] === 'get_token') return text('t');
      const upTo = all.filter((d) => d <= String(b['end_date']));
      const rows = upTo.slice(Math.max(0, upTo.length - Number(b['count']))).map((d) => `${d},10,10,10,10,100,1000,0,11,9,10,10`);
      return text([HEADER, ...rows].join('\n'));
    }, undefined, { maxCount: 20 });
    const bars = ok(await p.dailyBars({ symbols: ['430047.BJ'], from: D('2024-01-01'), to: D('2024-03-31') }));
    expect(bars.map((b) => b.day)).toEqual(all);
    expect(bars[0]!.symbol).toBe('430047.BJ');
    const calls = s.requests.filter((r) => r.body['method'] === 'get_price');
    expect(calls.every((r) => r.body['code'] === '430047.BJSE' && Number(r.body['count']) <= 20)).toBe(true);
    expect(calls.length).toBeGreaterThan(3);
  });

  it('reads get_trade_days as newline-separated dates', async () => {
    const { s, p } = await setup((b) => (b['method'] === 'get_token' ? text('t') : text('2024-01-02\n2024-01-03\n2024-01-04\n')));
    expect(ok(await p.tradeCalendar({ from: D('2024-01-01'), to: D('2024-01-04') }))).toEqual(['2024-01-02', '2024-01-03', '2024-01-04']);
    expect(s.requests[1]!.body).toEqual({ method: 'get_trade_days', token: 't', date: '2024-01-01', end_date: '2024-01-04' });
  });

  it('maps codes both ways: .SH/.SZ/.BJ ↔ .XSHG/.XSHE/.BJSE (§1.3)', () => {
    expect([toJqCode('600519.SH'), toJqCode('000001.SZ'), toJqCode('920118.BJ')]).toEqual(['600519.XSHG', '000001.XSHE', '920118.BJSE']);
    expect([fromJqCode('000300.XSHG'), fromJqCode('300750.XSHE'), fromJqCode('830799.BJSE')]).toEqual(['000300.SH', '300750.SZ', '830799.BJ']);
    expect([toJqCode('600519'), fromJqCode('600519.SH'), fromJqCode('IF2401.CCFX')]).toEqual([undefined, undefined, undefined]);
    fc.assert(fc.property(fc.integer({ min: 0, max: 999_999 }), fc.constantFrom('SH', 'SZ', 'BJ'), (n, ex) => {
      const s = `${String(n).padStart(6, '0')}.${ex}`;
      return fromJqCode(toJqCode(s)!) === s;
    }));
  });
});
