import { isLeft, type Either } from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createFailoverProvider, createJqdataProvider, createTushareProvider, type ProviderSwitch } from '../../../src/adapters/providers/index.js';
import type { ProviderError } from '../../../src/domain/data/provider.js';
import type { TradingDay } from '../../../src/domain/tradingDay.js';
import { fakeTime, startFakeServer, text, tushareOk, type FakeAnswer, type FakeServer } from './fakeVendorServer.js';

const servers: FakeServer[] = [];
afterEach(async () => { await Promise.all(servers.splice(0).map((s) => s.close())); });
const D = (s: string) => s as TradingDay;
const ok = <T>(r: Either<ProviderError, T>): T => { if (isLeft(r)) throw new Error(r.left.message); return r.right; };
const serve = async (f: (b: Record<string, unknown>, n: number) => FakeAnswer) => { const s = await startFakeServer(f); servers.push(s); return s; };

/** The client's default pairing: JQData primary, Tushare backup, both on local fakes. */
async function pair(jq: (b: Record<string, unknown>, n: number) => FakeAnswer) {
  const t = fakeTime();
  const http = { sleep: t.sleep, now: t.now, retries: 2, timeoutMs: 2000 };
  const jqs = await serve(jq);
  const tus = await serve((b) => (b['api_name'] === 'daily'
    ? tushareOk(['ts_code', 'trade_date', 'open', 'high', 'low', 'close', 'pre_close', 'vol', 'amount'], [['600519.SH', '20240102', 1700.5, 1710, 1690.01, 1705.123, 1699.99, 1234.5, 9876.543]])
    : tushareOk(['ts_code', 'trade_date', 'adj_factor'], [['600519.SH', '20240102', 8.4253]])));
  const switches: ProviderSwitch[] = [];
  const p = createFailoverProvider(
    createJqdataProvider({ mob: 'm', pwd: 'p' }, jqs.url, { http }),
    createTushareProvider({ token: 'tk', url: tus.url, http }),
    (e) => switches.push(e),
  );
  return { p, jqs, tus, switches, t };
}
const Q = { symbols: ['600519.SH'], from: D('2024-01-02'), to: D('2024-01-02') };

describe('failover provider', () => {
  it('primary unavailable (after its own retries) → the backup answers and the switch is reported once with the reason', async () => {
    const { p, jqs, tus, switches, t } = await pair(() => text('bad gateway', 502));
    const bars = ok(await p.dailyBars(Q));
    expect(bars.map((b) => [b.symbol, b.volume, b.amountFen])).toEqual([['600519.SH', 123_450, 987_654_300]]);
    expect(jqs.requests).toHaveLength(3); // get_token tried 1 + 2 retries
    expect(t.slept).toHaveLength(2);
    expect(tus.requests).toHaveLength(1);
    expect(switches).toHaveLength(1);
    expect(switches[0]).toMatchObject({ from: 'jqdata', to: 'tushare', method: 'dailyBars', reason: { code: 'PROVIDER_UNAVAILABLE', provider: 'jqdata', retryable: true } });
  });

  it('primary auth error → returned as is, no failover', async () => {
    const { p, tus, switches } = await pair(() => text('error: 账号或密码错误'));
    const r = await p.dailyBars(Q);
    expect(isLeft(r) && r.left).toMatchObject({ code: 'PROVIDER_AUTH', provider: 'jqdata' });
    expect(tus.requests).toHaveLength(0);
    expect(switches).toEqual([]);
  });

  it('a healthy primary answers alone; a method only the backup offers goes to the backup without a switch', async () => {
    const { p, tus, switches } = await pair((b) => (b['method'] === 'get_token' ? text('t')
      : text('date,open,close,high,low,volume,money,paused,high_limit,low_limit,avg,pre_close\n2024-01-02,1700.5,1705.12,1710,1690.01,123450,987654300,0,1870,1530,1702,1699.99\n')));
    expect(ok(await p.dailyBars(Q))).toHaveLength(1);
    expect(tus.requests).toHaveLength(0);
    expect(ok(await p.adjFactors!(Q))).toEqual([{ symbol: '600519.SH', day: '2024-01-02', factor: 8.4253 }]);
    expect(switches).toEqual([]);
    expect(p.limits).toBeDefined(); // Tushare has it, so the pair has it
  });
});
