import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { isLeft } from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournalFile } from '../../../src/app/journalio/index.js';
import type { RecordedEvent } from '../../../src/app/engine/replay.js';
import { repo, startAshare, type Exit } from '../service/serviceHarness.js';

// ashare sentiment score --scorer llm, end to end through the compiled CLI, a fake OpenAI-compatible
// server on loopback and the sentiment journal, for each way the API can fail: out-of-range numbers,
// 429s with Retry-After, 500s, a refused connection, a timeout — and the air gap of a run config. Each
// run exits normally; the journal holds SentimentRequestFailed with its code, then the fallback's
// (lexicon) SentimentScored for every item; the key is in no byte of the (plaintext) journal file, no
// decoded event, no raw `data` text, no output. Retries are few and waits short (--retries, --timeout-ms,
// Retry-After: 1).
const work = mkdtempSync(join(tmpdir(), 'ashare-sentiment-fail-'));
const KEY = 'sk-e2e-7d41c0b9a2f35e68-secret';
const texts = ['业绩大幅增长，订单饱满', '亏损扩大，风险加剧', '发布季度报告'];
const input = join(work, 'news.csv');
writeFileSync(input, ['id,date,symbol,text', ...texts.map((t, i) => `n${i},2024-03-05,600000.SH,${t}`)].join('\n') + '\n');
// A tiny lexicon of our own: the fallback needs no fixtures.
writeFileSync(join(work, 'tiny_positive.txt'), '增长\n饱满\n');
writeFileSync(join(work, 'tiny_negative.txt'), '亏损\n风险\n');

type Mode = 'out-of-range' | '429' | '500' | 'hang';
let mode: Mode = 'out-of-range';
let server: Server;
let requests = 0;
let connections = 0;
const auth: string[] = [];
let baseUrl = '';
let closedUrl = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (b) => { body += b; });
    req.on('end', () => {
      requests++;
      auth.push(req.headers.authorization ?? '');
      if (mode === 'hang') return; // read the request, never answer
      if (mode === '429') {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(JSON.stringify({ error: { message: 'Rate limit reached', type: 'rate_limit' } }));
        return;
      }
      if (mode === '500') {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'internal error', type: 'server_error' } }));
        return;
      }
      const n = ((JSON.parse(body) as { messages: { content: string }[] }).messages.at(-1)!.content.match(/^\d+\. /gm) ?? []).length;
      const content = JSON.stringify({ scores: Array.from({ length: n }, (_, i) => (i === 0 ? 1.5 : 0.2)) });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'fake', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }] }));
    });
  });
  server.on('connection', () => { connections++; });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
  // A port nothing listens on: bound, then closed.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedUrl = `http://127.0.0.1:${(probe.address() as { port: number }).port}/v1`;
  await new Promise<void>((r) => probe.close(() => r()));
});
afterAll(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));

/** `ashare sentiment score --scorer llm` into a plaintext journal, the key in the environment, awaited. */
function score(journal: string, extra: readonly string[], env: Record<string, string> = {}, url = baseUrl): Promise<Exit> {
  return startAshare(work, ['sentiment', 'score', '--input', input, '--scorer', 'llm', '--base-url', url, '--lexicons', work, '--journal', journal, '--json', ...extra],
    { DEEPSEEK_API_KEY: KEY, ...env }).done;
}

async function eventsOf(journal: string): Promise<RecordedEvent[]> {
  const r = await readJournalFile(journal, undefined);
  if (isLeft(r)) throw new Error(r.left.message);
  return r.right;
}

/**
 * The run ended normally; its journal holds the failure with `code`, then the lexicon's score of every
 * item marked with it; the output says the same; the key is nowhere but the Authorization header.
 */
async function expectFallback(r: Exit, journal: string, code: string, attempts: number): Promise<RecordedEvent[]> {
  expect(r.signal).toBeNull();
  expect(r.code, r.err).toBe(0);
  const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines.slice(0, -1).map((l) => [l['id'], l['scorer']])).toEqual(texts.map((_, i) => [`n${i}`, 'lexicon']));
  expect(lines.at(-1)).toEqual({ n: 3, scored: 3, reused: 0, fallbacks: 3, requests: attempts });
  const ev = await eventsOf(journal);
  expect(ev.map((e) => e.type)).toEqual(['SentimentRequestFailed', 'SentimentScored', 'SentimentScored', 'SentimentScored']);
  expect(ev[0]!.data).toMatchObject({ scorer: 'llm', code, texts: 3, attempts, requestHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  for (const e of ev.slice(1)) expect(e.data).toMatchObject({ scorer: 'lexicon', fallbackFor: code, requestHash: null });
  expect(ev.slice(1).map((e) => (e.data as { itemId: string }).itemId)).toEqual(['n0', 'n1', 'n2']);
  expectNoKey(r, journal, ev);
  return ev;
}

function expectNoKey(r: Exit, journal: string, ev: readonly RecordedEvent[]): void {
  expect(r.out + r.err).not.toContain(KEY);
  expect(JSON.stringify(ev)).not.toContain(KEY);
  // The file's bytes (and any write-ahead log beside it): plaintext, as the event type found in them shows.
  const files = [journal, `${journal}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f));
  expect(Buffer.concat(files).includes('SentimentRequestFailed')).toBe(true);
  for (const b of files) expect(b.includes(KEY)).toBe(false);
  // The raw `data` text of every row.
  const db = new Database(journal, { readonly: true });
  try {
    const rows = db.prepare('SELECT type, data FROM events').all() as { type: string; data: string }[];
    expect(rows.map((x) => x.type)).toEqual(ev.map((e) => e.type));
    for (const x of rows) expect(String(x.data)).not.toContain(KEY);
  } finally {
    db.close();
  }
}

describe('sentiment score --scorer llm: each failure of the API ends in the fallback, journaled, never a crash', () => {
  it('out-of-range numbers: refused as INVALID_REPLY, the raw reply kept, no retry', async () => {
    mode = 'out-of-range';
    const before = requests;
    const journal = join(work, 'range.sqlite');
    const ev = await expectFallback(await score(journal, []), journal, 'INVALID_REPLY', 1);
    expect(requests - before).toBe(1);
    expect(ev[0]!.data).toMatchObject({ rawReply: expect.stringContaining('1.5') });
    // The server did get the key, in the header: its absence elsewhere means something.
    expect(auth.at(-1)).toBe(`Bearer ${KEY}`);
  }, 60_000);

  it('429 with Retry-After: retried once after the wait, then RATE_LIMITED', async () => {
    mode = '429';
    const before = requests;
    const journal = join(work, 'r429.sqlite');
    const ev = await expectFallback(await score(journal, ['--retries', '1']), journal, 'RATE_LIMITED', 2);
    expect(requests - before).toBe(2);
    expect((ev[0]!.data as { reason: string }).reason).toMatch(/HTTP 429.*\(2 attempts\)/);
  }, 60_000);

  it('500s: retried once, then HTTP_ERROR', async () => {
    mode = '500';
    const before = requests;
    const journal = join(work, 'r500.sqlite');
    const ev = await expectFallback(await score(journal, ['--retries', '1']), journal, 'HTTP_ERROR', 2);
    expect(requests - before).toBe(2);
    expect((ev[0]!.data as { reason: string }).reason).toMatch(/HTTP 500, a server error \(2 attempts\)/);
  }, 60_000);

  it('connection refused: CONNECTION, naming ECONNREFUSED', async () => {
    const journal = join(work, 'refused.sqlite');
    const ev = await expectFallback(await score(journal, ['--retries', '0'], {}, closedUrl), journal, 'CONNECTION', 1);
    expect((ev[0]!.data as { reason: string }).reason).toMatch(/could not connect to 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  }, 60_000);

  it('a server that never answers: TIMEOUT after --timeout-ms', async () => {
    mode = 'hang';
    const before = requests;
    const journal = join(work, 'timeout.sqlite');
    const ev = await expectFallback(await score(journal, ['--timeout-ms', '300', '--retries', '0']), journal, 'TIMEOUT', 1);
    expect(requests - before).toBe(1);
    expect((ev[0]!.data as { reason: string }).reason).toMatch(/no reply from 127\.0\.0\.1:\d+ within 300 ms/);
  }, 60_000);

  it('--timeout-ms and --retries: in --help, and a bad value is a one-sentence usage error', async () => {
    const [help, evalHelp] = await Promise.all([startAshare(work, ['sentiment', 'score', '--help']).done, startAshare(work, ['sentiment', 'eval', '--help']).done]);
    expect(help.code).toBe(0);
    expect(help.out).toContain('[--timeout-ms N] [--retries N]');
    expect(evalHelp.out).toContain('[--timeout-ms N] [--retries N]');
    const bad = [['--timeout-ms', '0'], ['--timeout-ms', '1.5'], ['--timeout-ms', 'soon'], ['--retries', '-1'], ['--retries', '11']] as const;
    const runs = await Promise.all(bad.map(([flag, value]) => score(join(work, 'unused.sqlite'), [flag, value])));
    for (const [i, [flag, value]] of bad.entries()) {
      const r = runs[i]!;
      expect(r.code, `${flag} ${value}`).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain(`${flag} takes`);
      expect(r.err).toContain(JSON.stringify(value));
    }
    expect(existsSync(join(work, 'unused.sqlite'))).toBe(false);
  }, 60_000);
});

describe('sentiment score --config with the air gap armed', () => {
  // The CLI reads the wall clock for the air gap; a preload pins it to a trading-day instant, so the
  // test does not depend on when it runs (the window only arms on the calendar's trading days).
  const preload = join(work, 'pinnedNow.mjs');
  writeFileSync(preload, 'const at = Date.parse(process.env.ASHARE_TEST_PINNED_NOW); const t0 = performance.now();\n'
    + 'Date.now = () => at + Math.floor(performance.now() - t0);\n');
  const cfg = join(work, 'airgap.yaml');
  writeFileSync(cfg, readFileSync(join(repo, 'config', 'paper.yaml'), 'utf8').replace('risk: risk.yaml', `risk: ${join(repo, 'config', 'risk.yaml')}`)
    + 'airgap:\n  enabled: true\n  window: "09:00-15:30"\n  allow: []\n');
  const at = (iso: string) => ({ ASHARE_TEST_PINNED_NOW: iso, NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --import ${pathToFileURL(preload).href}`.trim() });

  it('inside the window no connection reaches the server; EGRESS_BLOCKED is journaled, the fallback scores', async () => {
    mode = 'out-of-range';
    const [req0, conn0] = [requests, connections];
    const journal = join(work, 'airgap.sqlite');
    const r = await score(journal, ['--config', cfg], at('2024-03-05T10:00:00+08:00')); // a Tuesday, a trading day
    const ev = await expectFallback(r, journal, 'EGRESS_BLOCKED', 1);
    expect([requests - req0, connections - conn0]).toEqual([0, 0]);
    expect((ev[0]!.data as { reason: string }).reason).toMatch(/the air gap blocked the connection to 127\.0\.0\.1:\d+/);
    // The journal's time is the pinned one: the preload did apply.
    expect(new Date(ev[0]!.occurredAt).toISOString()).toMatch(/^2024-03-05T02:00/);
  }, 60_000);

  it('the same config outside the window reaches the server', async () => {
    mode = 'out-of-range';
    const before = requests;
    const journal = join(work, 'evening.sqlite');
    const r = await score(journal, ['--config', cfg], at('2024-03-05T18:00:00+08:00'));
    await expectFallback(r, journal, 'INVALID_REPLY', 1);
    expect(requests - before).toBe(1);
  }, 60_000);
});
