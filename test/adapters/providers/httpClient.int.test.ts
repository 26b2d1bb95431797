import { isLeft, isRight, left, right } from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, createTokenBucket, providerError } from '../../../src/adapters/providers/index.js';
import { fakeTime, startFakeServer, text, type FakeServer } from './fakeVendorServer.js';

const servers: FakeServer[] = [];
afterEach(async () => { await Promise.all(servers.splice(0).map((s) => s.close())); });
const serve = async (...a: Parameters<typeof startFakeServer>): Promise<FakeServer> => { const s = await startFakeServer(...a); servers.push(s); return s; };
const asText = (res: { text: string }) => right(res.text);

describe('http client', () => {
  it('gives PROVIDER_TIMEOUT when the server never answers, after the configured ms, without hanging', async () => {
    const s = await serve(() => 'hang');
    const t = fakeTime();
    const http = createHttpClient({ provider: 'x', timeoutMs: 50, retries: 2, backoffMs: 100, sleep: t.sleep, now: t.now });
    const r = await http.postJson(s.url, { a: 1 }, 'daily', asText);
    expect(isLeft(r) && r.left).toMatchObject({ code: 'PROVIDER_TIMEOUT', retryable: true, provider: 'x' });
    expect(isLeft(r) && r.left.message).toContain('50 ms');
    // Three attempts (the request may not reach the fake before a 50 ms abort on a loaded machine, so count attempts by the backoff).
    expect(s.requests.length).toBeLessThanOrEqual(3);
    expect(t.slept).toEqual([100, 200]); // deterministic exponential backoff, no jitter
  }, 5_000);

  it('retries a 5xx with the same request bytes and returns the later success', async () => {
    const s = await serve((_b, n) => (n === 0 ? text('busy', 503) : text('ok')));
    const t = fakeTime();
    const http = createHttpClient({ provider: 'x', backoffMs: 250, sleep: t.sleep, now: t.now });
    const r = await http.postJson(s.url, { api_name: 'daily', params: { a: '1' } }, 'daily', asText);
    expect(r).toEqual(right('ok'));
    expect(s.requests.map((q) => q.raw)).toEqual([s.requests[0]!.raw, s.requests[0]!.raw]);
    expect(t.slept).toEqual([250]);
  });

  it('gives up after the bounded retries with PROVIDER_UNAVAILABLE', async () => {
    const s = await serve(() => text('down', 502));
    const t = fakeTime();
    const http = createHttpClient({ provider: 'x', retries: 3, backoffMs: 1000, maxBackoffMs: 3000, sleep: t.sleep, now: t.now });
    const r = await http.postJson(s.url, {}, 'daily', asText);
    expect(isLeft(r) && r.left).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
    expect(s.requests).toHaveLength(4);
    expect(t.slept).toEqual([1000, 2000, 3000]);
  });

  it('does not retry a non-retryable answer (4xx or an interpreter error)', async () => {
    const s = await serve((_b, n) => (n === 0 ? text('no', 400) : text('fine')));
    const t = fakeTime();
    const http = createHttpClient({ provider: 'x', sleep: t.sleep, now: t.now });
    const r = await http.postJson(s.url, {}, 'daily', asText);
    expect(isLeft(r) && r.left.code).toBe('PROVIDER_BAD_REQUEST');
    const r2 = await http.postJson(s.url, {}, 'daily', () => left(providerError('x', 'PROVIDER_AUTH', 'x: refused')));
    expect(isLeft(r2) && r2.left).toMatchObject({ code: 'PROVIDER_AUTH', retryable: false });
    expect(s.requests).toHaveLength(2);
    expect(t.slept).toEqual([]);
  });

  it('maps a refused connection to PROVIDER_UNAVAILABLE', async () => {
    const s = await serve(() => text('x'));
    const url = s.url;
    await servers.pop()!.close();
    const t = fakeTime();
    const r = await createHttpClient({ provider: 'x', retries: 1, sleep: t.sleep, now: t.now }).postJson(url, {}, 'daily', asText);
    expect(isLeft(r) && r.left).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
  });

  it('spaces calls with the token bucket on the injected clock', async () => {
    const s = await serve(() => text('ok'));
    const t = fakeTime(1_000_000);
    const http = createHttpClient({ provider: 'x', rateLimit: { calls: 2, windowMs: 60_000 }, sleep: t.sleep, now: t.now });
    const at: number[] = [];
    for (let i = 0; i < 5; i++) {
      expect(isRight(await http.postJson(s.url, { i }, 'daily', asText))).toBe(true);
      at.push(t.now() - 1_000_000);
    }
    expect(at).toEqual([0, 0, 30_000, 60_000, 90_000]);
    expect(s.requests).toHaveLength(5);
  });

  it('the bucket refills with elapsed time, never above its burst, and serves concurrent callers in turn', async () => {
    const t = fakeTime();
    const b = createTokenBucket({ calls: 500, windowMs: 60_000, burst: 2 }, t.now, t.sleep);
    await Promise.all([b.acquire(), b.acquire(), b.acquire(), b.acquire()]);
    expect(t.slept).toEqual([120, 120]); // 60,000 / 500 ms per call once the burst is spent
    await t.sleep(10 * 60_000);
    t.slept.length = 0;
    await b.acquire(); await b.acquire(); await b.acquire();
    expect(t.slept).toEqual([120]);
  });
});
