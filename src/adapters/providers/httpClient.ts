import { left, isLeft, type Either } from 'fp-ts/lib/Either.js';
import type { ProviderError, ProviderErrorCode } from '../../domain/data/provider.js';

const RETRYABLE: ReadonlySet<ProviderErrorCode> = new Set(['PROVIDER_TIMEOUT', 'PROVIDER_RATE_LIMITED', 'PROVIDER_UNAVAILABLE']);

/** A typed provider error; `retryable` defaults to the code's nature (timeouts, rate limits and outages are). */
export function providerError(provider: string, code: ProviderErrorCode, message: string, retryable = RETRYABLE.has(code)): ProviderError {
  return { code, message, provider, retryable };
}

/** What came back over the wire: status and body text. */
export interface HttpResponse { readonly status: number; readonly text: string }

export interface RateLimit {
  /** Calls allowed per window (Tushare base tier: 500 per 60,000 ms, §11.1). */
  readonly calls: number;
  readonly windowMs: number;
  /** Burst size; defaults to `calls`. */
  readonly burst?: number;
}

export interface HttpClientOptions {
  /** Provider name used in every error. */
  readonly provider: string;
  /** Per attempt, covering the body read as well as the headers. Default 15,000 ms. */
  readonly timeoutMs?: number;
  /** Extra attempts after the first for retryable errors. Default 3. */
  readonly retries?: number;
  /** Delay before retry k (0-based) is `min(backoffMs × 2^k, maxBackoffMs)` — deterministic, no jitter. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Client-side token bucket; omitted = no throttling. */
  readonly rateLimit?: RateLimit;
  /** Injectable for tests: sleep and clock drive both the backoff and the limiter. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
}

/** Reads a 2xx body into a result; may itself say "retry" (e.g. a vendor's rate-limit message in a 200). */
export type Interpret<T> = (res: HttpResponse) => Either<ProviderError, T>;

export interface HttpClient {
  readonly provider: string;
  /** POSTs `body` as JSON to `url`; `label` names the call in errors (e.g. `daily`). */
  postJson<T>(url: string, body: unknown, label: string, interpret: Interpret<T>): Promise<Either<ProviderError, T>>;
}

export interface TokenBucket { acquire(): Promise<void> }

/**
 * Token bucket in integer arithmetic: credit is kept in call·ms units (one call = `windowMs` credit,
 * refilled at `calls` per ms) so no float drift accumulates over a long run.
 */
export function createTokenBucket(limit: RateLimit, now: () => number, sleep: (ms: number) => Promise<void>): TokenBucket {
  const { calls, windowMs } = limit;
  if (!(calls > 0 && windowMs > 0)) throw new RangeError(`rate limit needs calls > 0 and windowMs > 0 (got ${calls}/${windowMs})`);
  const cap = (limit.burst ?? calls) * windowMs;
  let credit = cap;
  let last = now();
  let queue: Promise<void> = Promise.resolve();
  const take = async (): Promise<void> => {
    for (;;) {
      const t = now();
      credit = Math.min(cap, credit + Math.max(0, t - last) * calls);
      last = t;
      if (credit >= windowMs) { credit -= windowMs; return; }
      await sleep(Math.ceil((windowMs - credit) / calls));
    }
  };
  // Callers queue so that concurrent requests are served in order, each waiting its own turn.
  return { acquire: () => (queue = queue.then(take, take)) };
}

const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function statusError(provider: string, label: string, status: number): ProviderError {
  const where = `${provider} ${label}`;
  if (status === 429) return providerError(provider, 'PROVIDER_RATE_LIMITED', `${where}: HTTP 429, too many requests`);
  if (status === 401) return providerError(provider, 'PROVIDER_AUTH', `${where}: HTTP 401, credentials refused`);
  if (status === 403) return providerError(provider, 'PROVIDER_PERMISSION', `${where}: HTTP 403, not permitted`);
  if (status === 404) return providerError(provider, 'PROVIDER_NOT_FOUND', `${where}: HTTP 404, not found`);
  if (status >= 500) return providerError(provider, 'PROVIDER_UNAVAILABLE', `${where}: HTTP ${status}, server error`);
  return providerError(provider, 'PROVIDER_BAD_REQUEST', `${where}: HTTP ${status}`);
}

export function createHttpClient(o: HttpClientOptions): HttpClient {
  const timeoutMs = o.timeoutMs ?? 15_000;
  const retries = o.retries ?? 3;
  const backoffMs = o.backoffMs ?? 500;
  const maxBackoffMs = o.maxBackoffMs ?? 30_000;
  const sleep = o.sleep ?? realSleep;
  const now = o.now ?? ((): number => Date.now()); // allow-nondeterminism: adapter default, injectable
  const doFetch = o.fetch ?? fetch;
  const bucket = o.rateLimit ? createTokenBucket(o.rateLimit, now, sleep) : undefined;
  const P = o.provider;

  async function once<T>(url: string, payload: string, label: string, interpret: Interpret<T>): Promise<Either<ProviderError, T>> {
    if (bucket) await bucket.acquire();
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), timeoutMs);
    try {
      const res = await doFetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload, signal: ac.signal });
      const text = await res.text();
      if (res.status < 200 || res.status > 299) return left(statusError(P, label, res.status));
      return interpret({ status: res.status, text });
    } catch (e) {
      if (ac.signal.aborted) return left(providerError(P, 'PROVIDER_TIMEOUT', `${P} ${label}: no complete answer within ${timeoutMs} ms`));
      const why = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
      return left(providerError(P, 'PROVIDER_UNAVAILABLE', `${P} ${label}: connection failed (${why})`));
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    provider: P,
    async postJson<T>(url: string, body: unknown, label: string, interpret: Interpret<T>): Promise<Either<ProviderError, T>> {
      const payload = JSON.stringify(body); // the same bytes on every attempt
      for (let attempt = 0; ; attempt++) {
        const r = await once(url, payload, label, interpret);
        if (!isLeft(r) || !r.left.retryable || attempt >= retries) return r;
        await sleep(Math.min(backoffMs * 2 ** attempt, maxBackoffMs));
      }
    },
  };
}
