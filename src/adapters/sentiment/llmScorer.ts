import { createHash } from 'node:crypto';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { canonicalJson } from '../../domain/canonicalJson.js';
import { labelOf, type ScorerInfo, type SentimentScore } from '../../domain/sentiment/scorer.js';
import { createTokenBucket } from '../providers/httpClient.js';
import { LLM_PROMPT_VERSION, buildMessages, parseLlmReply } from './llmPrompt.js';

export { LLM_PROMPT_VERSION, LLM_SYSTEM_PROMPT, buildMessages, buildUserPrompt, parseLlmReply } from './llmPrompt.js';

/*
 * The `llm` sentiment scorer: an OpenAI-compatible chat-completions endpoint (DeepSeek by default)
 * through the `openai` package. The package's own retries are off; this module owns the retry loop
 * (deterministic exponential back-off, Retry-After), the client-side rate limit and the circuit
 * breaker, so all of them run on the injected clock and are testable. It never throws for an
 * expected failure: every batch ends in an LlmBatchResult, scores or a typed code, for the caller to
 * journal and hand to the fallback scorer. The API key is sent only in the Authorization header;
 * it is scrubbed from every string this module returns.
 */

export interface LlmScorerOptions {
  /** e.g. https://api.deepseek.com (the client appends /chat/completions). */
  baseURL: string;
  /** Default 'deepseek-chat'. */
  model: string;
  /** null or '': every batch fails with NO_KEY and no request is made. */
  apiKey: string | null;
  /** Texts per request. Default 20. */
  batchSize?: number;
  /** Per request, headers and body. Default 20,000 ms. */
  timeoutMs?: number;
  /** Retries (after the first attempt) of 429, 5xx, timeouts and connection errors. Default 2. */
  maxRetries?: number;
  /** Client-side limit on requests (every attempt counts), spaced evenly at 60,000 / n ms. Default 60. */
  requestsPerMinute?: number;
  /** Default {failures: 5, coolDownMs: 60,000}. */
  breaker?: { failures: number; coolDownMs: number };
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

/** EGRESS_BLOCKED: the process's air gap refused the connection before any packet left (not retried: the window will not lift within a back-off). */
export type LlmFailureCode = 'INVALID_REPLY' | 'TIMEOUT' | 'RATE_LIMITED' | 'HTTP_ERROR' | 'CONNECTION' | 'EGRESS_BLOCKED' | 'CIRCUIT_OPEN' | 'NO_KEY';

export interface LlmBatchResult {
  readonly texts: readonly string[];
  /** sha256 hex of canonical JSON {model, promptVersion, messages, temperature, response_format}; never the key. */
  readonly requestHash: string;
  /** The reply's message content as received (at most 8 KB of UTF-8), null when there was none. */
  readonly rawReply: string | null;
  /** From the first request to the outcome (on the injected clock), retries and back-off included; 0 when no request was made. */
  readonly latencyMs: number;
  readonly attempts: number;
  readonly outcome:
    | { readonly ok: true; readonly scores: readonly SentimentScore[] }
    | { readonly ok: false; readonly code: LlmFailureCode; readonly reason: string };
}

export interface LlmScorer {
  readonly info: ScorerInfo;
  scoreBatches(texts: readonly string[]): Promise<LlmBatchResult[]>;
}

/** Delay before retry k (0-based) without Retry-After: min(1,000 × 2^k, 30,000) ms — no jitter, so runs repeat. */
export const LLM_BACKOFF_BASE_MS = 1_000;
export const LLM_BACKOFF_MAX_MS = 30_000;
/** A server's Retry-After (or retry-after-ms) is honoured up to this wait. */
export const LLM_RETRY_AFTER_CAP_MS = 60_000;
export const LLM_RAW_REPLY_MAX_BYTES = 8_192;

const TEMPERATURE = 0;
const RESPONSE_FORMAT = { type: 'json_object' } as const;
const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

type Attempt =
  | { readonly kind: 'reply'; readonly content: string | null }
  | { readonly kind: 'fail'; readonly code: LlmFailureCode; readonly reason: string; readonly retryable: boolean; readonly retryAfterMs: number | null };

/** A score from the model's number: the label by `labelOf`; confidence = |score|, the only strength the reply carries. */
export function toSentimentScore(score: number): SentimentScore {
  return { score, label: labelOf(score), confidence: Math.abs(score) };
}

export function createLlmScorer(o: LlmScorerOptions): LlmScorer {
  const host = new URL(o.baseURL).host;
  const model = o.model || 'deepseek-chat';
  const batchSize = o.batchSize ?? 20;
  const timeoutMs = o.timeoutMs ?? 20_000;
  const maxRetries = o.maxRetries ?? 2;
  const rpm = o.requestsPerMinute ?? 60;
  const breaker = o.breaker ?? { failures: 5, coolDownMs: 60_000 };
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`llm scorer: batchSize must be a positive integer (got ${batchSize})`);
  if (!(Number.isInteger(maxRetries) && maxRetries >= 0)) throw new RangeError(`llm scorer: maxRetries must be a non-negative integer (got ${maxRetries})`);
  if (!(timeoutMs > 0 && rpm > 0 && breaker.failures >= 1 && breaker.coolDownMs >= 0)) throw new RangeError('llm scorer: timeoutMs, requestsPerMinute and breaker.failures must be positive');
  const now = o.now ?? ((): number => Date.now()); // allow-nondeterminism: adapter default, injectable
  const sleep = o.sleep ?? realSleep;
  const key = o.apiKey ? o.apiKey : null;
  const scrub = scrubber(key);
  const bucket = createTokenBucket({ calls: rpm, windowMs: 60_000, burst: 1 }, now, sleep);
  const client = key === null ? null : new OpenAI({
    apiKey: key, baseURL: o.baseURL, timeout: timeoutMs, maxRetries: 0, logLevel: 'off',
    organization: null, project: null, adminAPIKey: null, webhookSecret: null,
    ...(o.fetch ? { fetch: o.fetch } : {}),
  });
  let failures = 0;
  let openedAt: number | null = null;

  async function attemptOnce(api: OpenAI, messages: ReturnType<typeof buildMessages>): Promise<Attempt> {
    const ac = new AbortController();
    let timedOut = false;
    // The package's timeout covers only the response headers; this one covers the body as well.
    const timer = setTimeout(() => { timedOut = true; ac.abort(); }, timeoutMs);
    try {
      const res: unknown = await api.chat.completions.create(
        { model, messages: messages.map((m) => ({ role: m.role, content: m.content })), temperature: TEMPERATURE, response_format: RESPONSE_FORMAT },
        { signal: ac.signal, timeout: timeoutMs, maxRetries: 0 },
      );
      return { kind: 'reply', content: contentOf(res) };
    } catch (e) {
      return classify(e, timedOut);
    } finally {
      clearTimeout(timer);
    }
  }

  function classify(e: unknown, timedOut: boolean): Attempt {
    const fail = (code: LlmFailureCode, reason: string, retryable: boolean, retryAfterMs: number | null = null): Attempt =>
      ({ kind: 'fail', code, reason, retryable, retryAfterMs });
    if (timedOut || e instanceof APIConnectionTimeoutError) return fail('TIMEOUT', `no reply from ${host} within ${timeoutMs} ms`, true);
    if (e instanceof APIConnectionError) {
      const code = causeCode(e);
      if (code === 'EGRESS_BLOCKED') return fail('EGRESS_BLOCKED', `the air gap blocked the connection to ${host} (it is not on airgap.allow); no request left this machine`, false);
      return fail('CONNECTION', `could not connect to ${host} (${code ?? 'connection failed'})`, true);
    }
    if (e instanceof APIError && typeof e.status === 'number') {
      const wait = retryAfterMs(e.headers instanceof Headers ? e.headers : undefined, now());
      if (e.status === 429) return fail('RATE_LIMITED', `${host} answered HTTP 429, too many requests`, true, wait);
      if (e.status >= 500) return fail('HTTP_ERROR', `${host} answered HTTP ${e.status}, a server error`, true, wait);
      return fail('HTTP_ERROR', `${host} answered HTTP ${e.status}${serverMessage(e, scrub)}`, false);
    }
    // A 2xx whose body is not JSON makes the package throw while parsing: the server answered, badly.
    if (e instanceof SyntaxError) return fail('INVALID_REPLY', `${host} answered with a body that is not a chat completion`, false);
    return fail('CONNECTION', `the request to ${host} failed before a reply`, false);
  }

  async function scoreBatch(texts: readonly string[]): Promise<LlmBatchResult> {
    const messages = buildMessages(texts);
    const requestHash = sha256(canonicalJson({ model, promptVersion: LLM_PROMPT_VERSION, messages, temperature: TEMPERATURE, response_format: RESPONSE_FORMAT }));
    const done = (outcome: LlmBatchResult['outcome'], rawReply: string | null, attempts: number, latencyMs: number): LlmBatchResult =>
      ({ texts, requestHash, rawReply: rawReply === null ? null : scrub(truncateUtf8(rawReply, LLM_RAW_REPLY_MAX_BYTES)), latencyMs, attempts,
        outcome: outcome.ok ? outcome : { ok: false, code: outcome.code, reason: scrub(outcome.reason) } });
    if (client === null) return done({ ok: false, code: 'NO_KEY', reason: 'no API key is configured, so no request was made' }, null, 0, 0);
    let trial = false;
    if (openedAt !== null) {
      const left = openedAt + breaker.coolDownMs - now();
      if (left > 0) return done({ ok: false, code: 'CIRCUIT_OPEN', reason: `the circuit breaker is open after ${failures} consecutive failed batches; no request for another ${left} ms` }, null, 0, 0);
      trial = true; // half-open: one request decides
    }
    const maxAttempts = trial ? 1 : 1 + maxRetries;
    let start = 0;
    for (let attempts = 1; ; attempts++) {
      await bucket.acquire();
      if (attempts === 1) start = now(); // latency counts from the first request, not the rate limiter's wait before it
      const a = await attemptOnce(client, messages);
      if (a.kind === 'reply') {
        // The endpoint answered: it is healthy even if the answer is unusable, so the breaker closes.
        failures = 0;
        openedAt = null;
        const latency = now() - start;
        if (a.content === null) return done({ ok: false, code: 'INVALID_REPLY', reason: 'the reply has no message content' }, null, attempts, latency);
        const parsed = parseLlmReply(a.content, texts.length);
        return parsed.ok
          ? done({ ok: true, scores: parsed.scores.map(toSentimentScore) }, a.content, attempts, latency)
          : done({ ok: false, code: 'INVALID_REPLY', reason: parsed.reason }, a.content, attempts, latency);
      }
      if (a.retryable && attempts < maxAttempts) {
        await sleep(Math.min(a.retryAfterMs ?? LLM_BACKOFF_BASE_MS * 2 ** (attempts - 1), a.retryAfterMs === null ? LLM_BACKOFF_MAX_MS : LLM_RETRY_AFTER_CAP_MS));
        continue;
      }
      if (a.code === 'INVALID_REPLY') {
        failures = 0;
        openedAt = null;
      } else {
        failures++;
        if (trial || failures >= breaker.failures) openedAt = now();
      }
      const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
      return done({ ok: false, code: a.code, reason: `${a.reason} (${tries})` }, null, attempts, now() - start);
    }
  }

  return {
    info: { scorer: 'llm', model: `${model}@${host}`, promptVersion: LLM_PROMPT_VERSION },
    async scoreBatches(texts) {
      const out: LlmBatchResult[] = [];
      for (let i = 0; i < texts.length; i += batchSize) out.push(await scoreBatch(texts.slice(i, i + batchSize)));
      return out;
    },
  };
}

function contentOf(res: unknown): string | null {
  const choices = (res as { choices?: unknown } | null)?.choices;
  if (!Array.isArray(choices)) return null;
  const content = (choices[0] as { message?: { content?: unknown } } | undefined)?.message?.content;
  return typeof content === 'string' ? content : null;
}

/** Retry-After in seconds or as an HTTP date, or OpenAI's retry-after-ms; null when absent or unreadable. */
export function retryAfterMs(h: Headers | undefined, nowMs: number): number | null {
  const ms = h?.get('retry-after-ms')?.trim();
  if (ms && /^\d+(\.\d+)?$/u.test(ms)) return Math.ceil(Number(ms));
  const v = h?.get('retry-after')?.trim();
  if (!v) return null;
  if (/^\d+(\.\d+)?$/u.test(v)) return Math.ceil(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

function causeCode(e: unknown): string | null {
  for (let c: unknown = e, depth = 0; c instanceof Error && depth < 5; c = c.cause, depth++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/u.test(code)) return code;
  }
  return null;
}

/** The server's own error message, one line, at most 160 characters (a 400 saying which parameter is wrong helps). */
function serverMessage(e: APIError, scrub: (s: string) => string): string {
  const err = e.error as { message?: unknown } | undefined;
  const m = typeof err?.message === 'string' ? err.message.replace(/\s+/gu, ' ').trim() : '';
  return m ? `: ${scrub(m).slice(0, 160)}` : '';
}

/** Removes the key, anything shaped like one (sk-…) and bearer credentials: servers echo keys in error messages. */
function scrubber(key: string | null): (s: string) => string {
  return (s) => {
    let out = key ? s.split(key).join('[redacted]') : s;
    out = out.replace(/\bsk-[A-Za-z0-9*_-]{4,}/gu, '[redacted]').replace(/\bBearer\s+\S+/giu, 'Bearer [redacted]');
    return out;
  };
}

function truncateUtf8(s: string, maxBytes: number): string {
  if (Buffer.byteLength(s, 'utf8') <= maxBytes) return s;
  let bytes = 0;
  let out = '';
  for (const ch of s) {
    bytes += Buffer.byteLength(ch, 'utf8');
    if (bytes > maxBytes) break;
    out += ch;
  }
  return out;
}

function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}
