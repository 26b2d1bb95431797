import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { canonicalJson } from '../../../src/domain/canonicalJson.js';
import {
  LLM_PROMPT_VERSION, LLM_SYSTEM_PROMPT, buildMessages, createLlmScorer, parseLlmReply,
  type LlmBatchResult, type LlmScorerOptions,
} from '../../../src/adapters/sentiment/llmScorer.js';

// The llm scorer against a fake OpenAI-compatible server on loopback that each test scripts per
// request. Every result of every test is kept and, at the end, scanned with the console output for
// the key: the server must have seen it, nothing returned or printed may carry it.

const KEY = 'sk-llmtest-4f1c9a7e2b6d8035';

type Answer =
  | { readonly status?: number; readonly headers?: Record<string, string>; readonly body: string }
  | 'hang' // read the request, never answer
  | 'hang-body'; // send the headers and part of the body, then nothing

interface Seen { readonly url: string; readonly auth: string | undefined; readonly body: Record<string, unknown> }

interface Fake { readonly baseURL: string; readonly seen: Seen[]; close(): Promise<void> }

const fakes: Fake[] = [];

async function startFake(answer: (body: Record<string, unknown>, n: number) => Answer): Promise<Fake> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { raw += c; });
    req.on('end', () => {
      const body = JSON.parse(raw) as Record<string, unknown>;
      seen.push({ url: req.url ?? '', auth: req.headers.authorization, body });
      const a = answer(body, seen.length - 1);
      if (a === 'hang') return;
      if (a === 'hang-body') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id":"x","choices":[');
        return;
      }
      res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...a.headers });
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const fake = {
    baseURL: `http://127.0.0.1:${port}/v1`,
    seen,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
  fakes.push(fake);
  return fake;
}

/** A chat completion whose message content is `content`. */
const completion = (content: string | null): Answer => ({
  body: JSON.stringify({
    id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'deepseek-chat',
    choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
  }),
});
const scoresReply = (scores: unknown[]): Answer => completion(JSON.stringify({ scores }));
const errorReply = (status: number, message: string, headers?: Record<string, string>): Answer =>
  ({ status, body: JSON.stringify({ error: { message, type: 'error' } }), ...(headers ? { headers } : {}) });

/** The texts a request numbered, read back from its user message. */
function textsOf(body: Record<string, unknown>): string[] {
  const messages = body['messages'] as { role: string; content: string }[];
  return messages[1]!.content.split('\n').slice(1).map((l) => l.replace(/^\d+\. /u, ''));
}

/** A clock that moves only when slept on; every sleep is recorded. */
function fakeTime(start = Date.parse('2026-01-05T01:30:00Z')): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[]; advance(ms: number): void } {
  let t = start;
  const slept: number[] = [];
  return { now: () => t, sleep: async (ms) => { slept.push(ms); t += ms; }, slept, advance: (ms) => { t += ms; } };
}

const results: LlmBatchResult[] = [];
async function run(o: LlmScorerOptions, texts: readonly string[]): Promise<LlmBatchResult[]> {
  const out = await createLlmScorer(o).scoreBatches(texts);
  results.push(...out);
  return out;
}
const failure = (r: LlmBatchResult | undefined): { code: string; reason: string } => {
  if (!r || r.outcome.ok) throw new Error('expected a failed batch');
  return r.outcome;
};

const consoleLines: string[] = [];
beforeAll(() => {
  for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => { consoleLines.push(args.map(String).join(' ')); });
  }
});
afterEach(async () => { await Promise.all(fakes.splice(0).map((f) => f.close())); });
afterAll(() => {
  vi.restoreAllMocks();
  // The key in any field of any result, or in anything printed, fails the suite.
  expect(results.length).toBeGreaterThan(30);
  for (const r of results) expect(JSON.stringify(r)).not.toContain(KEY);
  for (const line of consoleLines) expect(line).not.toContain(KEY);
});

const base = (fake: Fake, t = fakeTime()): LlmScorerOptions => ({ baseURL: fake.baseURL, model: 'deepseek-chat', apiKey: KEY, now: t.now, sleep: t.sleep });

describe('llm scorer: replies', () => {
  it('scores 45 texts in 3 requests of ≤20, in order, with temperature 0, JSON mode, the model and the bearer key', async () => {
    const fake = await startFake((body) => scoresReply(textsOf(body).map((t) => Number(t.slice(1)) / 50 - 0.45)));
    const texts = Array.from({ length: 45 }, (_, i) => `t${i}`);
    const out = await run(base(fake), texts);

    expect(fake.seen.map((s) => textsOf(s.body).length)).toEqual([20, 20, 5]);
    for (const s of fake.seen) {
      expect(s.url).toBe('/v1/chat/completions');
      expect(s.auth).toBe(`Bearer ${KEY}`);
      expect(s.body).toMatchObject({ model: 'deepseek-chat', temperature: 0, response_format: { type: 'json_object' } });
      expect((s.body['messages'] as { role: string; content: string }[])[0]).toEqual({ role: 'system', content: LLM_SYSTEM_PROMPT });
    }
    expect(out.map((r) => r.texts.length)).toEqual([20, 20, 5]);
    const scores = out.flatMap((r) => (r.outcome.ok ? r.outcome.scores : []));
    expect(scores).toHaveLength(45);
    scores.forEach((s, i) => expect(s.score).toBeCloseTo(i / 50 - 0.45, 12));
    expect(scores[0]).toEqual({ score: -0.45, label: 'negative', confidence: 0.45 });
    expect(scores[22]).toEqual({ score: -0.010000000000000009, label: 'neutral', confidence: 0.010000000000000009 });
    expect(scores[44]).toMatchObject({ label: 'positive' });
    for (const r of out) {
      expect(r.attempts).toBe(1);
      expect(r.requestHash).toMatch(/^[0-9a-f]{64}$/u);
      expect(JSON.parse(r.rawReply ?? '')).toHaveProperty('scores');
    }
  });

  it('accepts a reply wrapped in one ```json fence and surrounding white space', async () => {
    const fake = await startFake(() => completion('\n```json\n{"scores": [0.5, -1]}\n```  '));
    const [r] = await run(base(fake), ['利好', '利空']);
    expect(r!.outcome).toEqual({ ok: true, scores: [{ score: 0.5, label: 'positive', confidence: 0.5 }, { score: -1, label: 'negative', confidence: 1 }] });
  });

  it.each([
    ['prose', 'The first headline is positive and the second is negative.', 'the reply is prose, not a JSON object'],
    ['an out-of-range number', '{"scores": [0.3, 1.5]}', 'score 2 (1.5) is outside [-1, 1]'],
    ['the wrong count', '{"scores": [0.3]}', 'the reply has 1 scores for 2 texts'],
    ['truncated JSON', '{"scores": [0.3, -0.', 'the reply is truncated or malformed JSON'],
  ])('refuses %s as INVALID_REPLY, keeps the raw reply and does not retry', async (_what, content, reason) => {
    const fake = await startFake(() => completion(content));
    const [r] = await run(base(fake), ['a', 'b']);
    expect(failure(r)).toEqual({ ok: false, code: 'INVALID_REPLY', reason });
    expect(r!.rawReply).toBe(content);
    expect(r!.attempts).toBe(1);
    expect(fake.seen).toHaveLength(1);
  });

  it('refuses a completion without message content, or a 2xx body that is not JSON', async () => {
    const fake = await startFake((_b, n) => (n === 0 ? completion(null) : { body: '<html>gateway</html>' }));
    const out = await run({ ...base(fake), batchSize: 1 }, ['a', 'b']);
    expect(out.map((r) => [failure(r).code, r.rawReply])).toEqual([['INVALID_REPLY', null], ['INVALID_REPLY', null]]);
  });

  it('truncates a huge raw reply to 8 KB and scrubs an echoed key from it', async () => {
    const fake = await startFake(() => completion(`your key is ${KEY}; ${'很'.repeat(5000)}`));
    const [r] = await run(base(fake), ['a']);
    expect(failure(r).code).toBe('INVALID_REPLY');
    expect(Buffer.byteLength(r!.rawReply ?? '', 'utf8')).toBeLessThanOrEqual(8192);
    expect(r!.rawReply).toContain('[redacted]');
  });
});

describe('llm scorer: transport failures', () => {
  it('times out on a server that never answers, retries, and ends in TIMEOUT', async () => {
    const fake = await startFake(() => 'hang');
    const t = fakeTime();
    const [r] = await run({ ...base(fake, t), timeoutMs: 150, maxRetries: 1 }, ['a']);
    expect(failure(r)).toEqual({ ok: false, code: 'TIMEOUT', reason: `no reply from ${new URL(fake.baseURL).host} within 150 ms (2 attempts)` });
    expect(r!.attempts).toBe(2);
    expect(fake.seen).toHaveLength(2);
    expect(t.slept).toEqual([1000]);
  });

  it('times out when the headers come but the body stalls', async () => {
    const fake = await startFake(() => 'hang-body');
    const [r] = await run({ ...base(fake), timeoutMs: 150, maxRetries: 0 }, ['a']);
    expect(failure(r).code).toBe('TIMEOUT');
  });

  it('honours Retry-After in seconds on a 429, then succeeds', async () => {
    const fake = await startFake((_b, n) => (n === 0 ? errorReply(429, 'slow down', { 'retry-after': '7' }) : scoresReply([0.2])));
    const t = fakeTime();
    const [r] = await run(base(fake, t), ['a']);
    expect(r!.outcome.ok).toBe(true);
    expect(r!.attempts).toBe(2);
    expect(t.slept).toEqual([7000]);
    expect(r!.latencyMs).toBe(7000);
  });

  it('honours Retry-After as an HTTP date, and caps a long one at 60 s', async () => {
    const t = fakeTime();
    const at = new Date(t.now() + 5000).toUTCString();
    const fake = await startFake((_b, n) => (n === 0 ? errorReply(429, 'x', { 'retry-after': at }) : n === 1 ? errorReply(503, 'x', { 'retry-after': '3600' }) : scoresReply([0])));
    const [r] = await run(base(fake, t), ['a']);
    expect(r!.outcome.ok).toBe(true);
    expect(t.slept).toEqual([5000, 60_000]);
  });

  it('ends in RATE_LIMITED when 429s outlast the retries, backing off 1 s then 2 s', async () => {
    const fake = await startFake(() => errorReply(429, 'rate limit reached'));
    const t = fakeTime();
    const [r] = await run(base(fake, t), ['a']);
    expect(failure(r)).toMatchObject({ code: 'RATE_LIMITED' });
    expect(failure(r).reason).toMatch(/HTTP 429.*\(3 attempts\)$/u);
    expect(r!.attempts).toBe(3);
    expect(fake.seen).toHaveLength(3);
    expect(t.slept).toEqual([1000, 2000]);
  });

  it('retries 500s and ends in HTTP_ERROR', async () => {
    const fake = await startFake(() => errorReply(500, 'internal'));
    const t = fakeTime();
    const [r] = await run({ ...base(fake, t), maxRetries: 3 }, ['a']);
    expect(failure(r).code).toBe('HTTP_ERROR');
    expect(r!.attempts).toBe(4);
    expect(t.slept).toEqual([1000, 2000, 4000]);
  });

  it('does not retry a 4xx other than 429, and scrubs a key the server echoes', async () => {
    const fake = await startFake(() => errorReply(401, `Incorrect API key provided: ${KEY}. Authorization: Bearer ${KEY}`));
    const t = fakeTime();
    const [r] = await run(base(fake, t), ['a']);
    const f = failure(r);
    expect(f.code).toBe('HTTP_ERROR');
    expect(f.reason).toContain('HTTP 401');
    expect(f.reason).toContain('[redacted]');
    expect(f.reason).not.toContain('\n');
    expect(r!.attempts).toBe(1);
    expect(r!.rawReply).toBeNull();
    expect(t.slept).toEqual([]);
  });

  it('ends in CONNECTION on a refused connection (a closed port)', async () => {
    const fake = await startFake(() => scoresReply([0]));
    await fake.close();
    const t = fakeTime();
    const [r] = await run(base(fake, t), ['a']);
    expect(failure(r).code).toBe('CONNECTION');
    expect(failure(r).reason).toMatch(/^could not connect to 127\.0\.0\.1:\d+ .*\(3 attempts\)$/u);
    expect(r!.attempts).toBe(3);
  });

  it('ends in EGRESS_BLOCKED, without retrying, when the air gap refuses the connection', async () => {
    // What the egress guard makes of a connect: the socket errors with code EGRESS_BLOCKED under fetch's TypeError.
    let calls = 0;
    const blocked: typeof fetch = async () => {
      calls++;
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('egress blocked by the air gap: connect 127.0.0.1:9 is not on airgap.allow'), { code: 'EGRESS_BLOCKED' }) });
    };
    const t = fakeTime();
    const [r] = await run({ baseURL: 'http://127.0.0.1:9/v1', model: 'deepseek-chat', apiKey: KEY, now: t.now, sleep: t.sleep, fetch: blocked }, ['a']);
    expect(failure(r)).toMatchObject({ code: 'EGRESS_BLOCKED', reason: 'the air gap blocked the connection to 127.0.0.1:9 (it is not on airgap.allow); no request left this machine (1 attempt)' });
    expect([r!.attempts, calls, t.slept]).toEqual([1, 1, []]);
  });

  it('makes no request without a key: every batch is NO_KEY', async () => {
    const fake = await startFake(() => scoresReply([0]));
    for (const apiKey of [null, '']) {
      const out = await run({ ...base(fake), apiKey, batchSize: 2 }, ['a', 'b', 'c']);
      expect(out.map((r) => [failure(r).code, r.attempts, r.rawReply, r.texts.length])).toEqual([['NO_KEY', 0, null, 2], ['NO_KEY', 0, null, 1]]);
    }
    expect(fake.seen).toHaveLength(0);
  });
});

describe('llm scorer: circuit breaker and rate limit', () => {
  it('opens after N failed batches, fails fast while open, half-opens after the cool-down with one trial', async () => {
    let healthy = false;
    const fake = await startFake((body) => (healthy ? scoresReply(textsOf(body).map(() => 0.5)) : errorReply(500, 'down')));
    const t = fakeTime();
    const scorer = createLlmScorer({ ...base(fake, t), batchSize: 1, maxRetries: 2, breaker: { failures: 2, coolDownMs: 30_000 } });
    const keep = async (texts: string[]): Promise<LlmBatchResult[]> => { const out = await scorer.scoreBatches(texts); results.push(...out); return out; };

    const first = await keep(['a', 'b', 'c', 'd']);
    expect(first.map((r) => failure(r).code)).toEqual(['HTTP_ERROR', 'HTTP_ERROR', 'CIRCUIT_OPEN', 'CIRCUIT_OPEN']);
    expect(fake.seen).toHaveLength(6); // 2 batches × 3 attempts, none while open
    expect(first.slice(2).map((r) => r.attempts)).toEqual([0, 0]);
    expect(failure(first[2]).reason).toMatch(/open after 2 consecutive failed batches/u);

    t.advance(30_000); // cool-down over: the next batch is one trial request, no retries
    const trial = await keep(['e', 'f']);
    expect(trial.map((r) => failure(r).code)).toEqual(['HTTP_ERROR', 'CIRCUIT_OPEN']);
    expect(trial[0]!.attempts).toBe(1);
    expect(fake.seen).toHaveLength(7);

    t.advance(30_000);
    healthy = true;
    const again = await keep(['g', 'h']);
    expect(again.map((r) => r.outcome.ok)).toEqual([true, true]); // the trial closed the breaker
    expect(fake.seen).toHaveLength(9);
  });

  it('an invalid reply shows a live endpoint: it resets the count of failed batches', async () => {
    const fake = await startFake((_b, n) => (n % 2 === 0 ? errorReply(502, 'bad gateway') : completion('not json')));
    const out = await run({ ...base(fake), batchSize: 1, maxRetries: 0, breaker: { failures: 2, coolDownMs: 60_000 } }, ['a', 'b', 'c', 'd', 'e']);
    expect(out.map((r) => failure(r).code)).toEqual(['HTTP_ERROR', 'INVALID_REPLY', 'HTTP_ERROR', 'INVALID_REPLY', 'HTTP_ERROR']);
    expect(fake.seen).toHaveLength(5);
  });

  it('spaces requests at 60,000 / requestsPerMinute ms', async () => {
    const fake = await startFake((body) => scoresReply(textsOf(body).map(() => 0)));
    const t = fakeTime();
    const out = await run({ ...base(fake, t), batchSize: 1, requestsPerMinute: 30 }, ['a', 'b', 'c', 'd']);
    expect(out.every((r) => r.outcome.ok)).toBe(true);
    expect(t.slept).toEqual([2000, 2000, 2000]);
    expect(out.map((r) => r.latencyMs)).toEqual([0, 0, 0, 0]); // the limiter's wait comes before the first request
  });
});

describe('llm scorer: request hash and info', () => {
  it('hashes the canonical request: deterministic, independent of the key, sensitive to model and texts', async () => {
    const opts = (apiKey: string | null, model = 'deepseek-chat'): LlmScorerOptions => ({ baseURL: 'http://127.0.0.1:9/v1', model, apiKey });
    const hashOf = async (o: LlmScorerOptions, texts: string[]): Promise<string> => (await run(o, texts))[0]!.requestHash;
    const fake = await startFake(() => scoresReply([0.1, 0.2]));
    const live = await run(base(fake), ['甲', '乙']);
    const h = live[0]!.requestHash;
    expect(await hashOf(opts(null), ['甲', '乙'])).toBe(h);
    expect(await hashOf({ ...base(fake), apiKey: 'sk-another-key-0000' }, ['甲', '乙'])).toBe(h);
    expect(await hashOf(opts(null, 'deepseek-reasoner'), ['甲', '乙'])).not.toBe(h);
    expect(await hashOf(opts(null), ['甲', '丙'])).not.toBe(h);
    const expected = createHash('sha256').update(canonicalJson({
      model: 'deepseek-chat', promptVersion: LLM_PROMPT_VERSION, messages: buildMessages(['甲', '乙']), temperature: 0, response_format: { type: 'json_object' },
    })).digest('hex');
    expect(h).toBe(expected);
  });

  it('names the model with the endpoint host and the prompt version', () => {
    expect(createLlmScorer({ baseURL: 'https://api.deepseek.com', model: 'deepseek-chat', apiKey: null }).info)
      .toEqual({ scorer: 'llm', model: 'deepseek-chat@api.deepseek.com', promptVersion: 'llm-sentiment-v1' });
  });
});

describe('parseLlmReply', () => {
  it.each([
    ['{"scores":[0,1,-1]}', 3, { ok: true, scores: [0, 1, -1] }],
    [' {"scores": [-0]} ', 1, { ok: true, scores: [0] }],
    ['```\n{"scores":[0.25]}\n```', 1, { ok: true, scores: [0.25] }],
    ['', 1, { ok: false, reason: 'the reply is empty' }],
    ['[0.1]', 1, { ok: false, reason: 'the reply is JSON but not an object with a scores array' }],
    ['{"score":[0.1]}', 1, { ok: false, reason: 'the reply has no scores array' }],
    ['{"scores":[0.1],"why":"x"}', 1, { ok: false, reason: 'the reply has members other than scores (2 members)' }],
    ['{"scores":["0.1"]}', 1, { ok: false, reason: 'score 1 is not a number' }],
    ['{"scores":[null]}', 1, { ok: false, reason: 'score 1 is not a number' }],
    ['{"scores":[-1.01]}', 1, { ok: false, reason: 'score 1 (-1.01) is outside [-1, 1]' }],
    ['Sure! {"scores":[0.1]}', 1, { ok: false, reason: 'the reply is prose, not a JSON object' }],
    ['{"scores":[0.1,0.2]}', 3, { ok: false, reason: 'the reply has 2 scores for 3 texts' }],
  ])('%j (expecting %i)', (content, n, want) => {
    expect(parseLlmReply(content, n)).toEqual(want);
  });

  it('numbers each text on its own line', () => {
    expect(buildMessages(['第一\n条', '第二  条'])[1]!.content).toBe('Rate these 2 texts:\n1. 第一 条\n2. 第二 条');
  });
});
