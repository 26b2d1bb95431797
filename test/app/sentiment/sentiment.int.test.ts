import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAshare } from '../service/serviceHarness.js';
import { ashare, journalEvents, makeDesk } from '../dashboard/dashboardHarness.js';

// ashare sentiment score against a local fake OpenAI-compatible server that counts requests: LLM
// scores journaled with request hash and raw reply, reused without a request, the fallback answering
// a bad reply and a missing key (the key in no journal or output); then a multi-factor backtest on a
// news file weighted by sentiment taken from that journal, and its replay and audit — the server's
// count never moves after the scoring.
const FIX = process.env['ASHARE_FIXTURES_DIR'];
const lexicons = FIX ? join(FIX, 'cn_fin_sentiment_lexicons') : '';
const desk = makeDesk('ashare-sentiment-');
const KEY = 'sk-test-0123456789abcdef-secret';
let server: Server;
let requests = 0;
let mode: 'ok' | 'prose' = 'ok';
let baseUrl = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (b) => { body += b; });
    req.on('end', () => {
      requests++;
      const msgs = (JSON.parse(body) as { messages: { role: string; content: string }[] }).messages;
      const n = (msgs.at(-1)!.content.match(/^\d+\. /gm) ?? []).length;
      const content = mode === 'prose' ? 'These headlines look mostly positive to me.' : JSON.stringify({ scores: Array.from({ length: n }, (_, i) => ((i % 3) - 1) * 0.5) });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'fake', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** The CLI awaited as a child process (this process serves the fake API meanwhile). */
async function cli(args: string[], env: Record<string, string> = {}) {
  return startAshare(desk.work, args, env).done;
}

describe.skipIf(!FIX)('sentiment: scoring, the journal, and a backtest that never calls the API', () => {
  const news = join(desk.work, 'news.csv');
  const sjournal = join(desk.work, 'sentiment.sqlite');

  it('scores through the LLM, journals request hash and raw reply, reuses without a request, falls back on a bad reply and without a key', async () => {
    // Headlines about the synthetic market's symbols on its days.
    const bars = readFileSync(join(desk.work, 'm.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const symbols = [...new Set(bars.map((b) => b[0]!))].slice(0, 6);
    const days = [...new Set(bars.map((b) => b[1]!))];
    const texts = ['业绩大幅增长，订单饱满', '公司遭监管处罚，股价暴跌', '维持中性评级', '签订重大合同，前景看好', '亏损扩大，风险加剧', '发布季度报告'];
    const rows = ['id,date,symbol,text'];
    for (let d = 20; d < days.length; d += 3) symbols.forEach((s, i) => rows.push(`n${d}-${i},${days[d]},${s},${texts[(d + i) % texts.length]}`));
    writeFileSync(news, rows.join('\n') + '\n');
    const n = rows.length - 1;
    const score = (extra: string[], env: Record<string, string>) => cli(['sentiment', 'score', '--input', news, '--scorer', 'llm', '--base-url', baseUrl, '--lexicons', lexicons, '--journal', sjournal, '--key-file', desk.keyFile, '--json', ...extra], env);
    const first = await score([], { DEEPSEEK_API_KEY: KEY });
    expect(first.code, first.err).toBe(0);
    const lines = first.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ n, scored: n, fallbacks: 0, reused: 0, requests: Math.ceil(n / 20) });
    expect(requests).toBe(Math.ceil(n / 20));
    expect(lines.slice(0, -1).every((l: { scorer: string }) => l.scorer === 'llm')).toBe(true);
    const ev = await journalEvents(sjournal, desk.key);
    const scored = ev.filter((e) => e.type === 'SentimentScored');
    expect(scored).toHaveLength(n);
    expect(scored[0]!.data).toMatchObject({ scorer: 'llm', promptVersion: expect.any(String), requestHash: expect.stringMatching(/^[0-9a-f]{64}$/), rawReply: expect.stringContaining('scores') });
    // Again: every score comes from the journal, no request.
    const again = await score([], { DEEPSEEK_API_KEY: KEY });
    expect(JSON.parse(again.out.trim().split('\n').at(-1)!)).toMatchObject({ n, reused: n, requests: 0 });
    expect(requests).toBe(Math.ceil(n / 20));
    // A prose reply is refused: journaled as failed, the lexicon answers, marked as a fallback.
    mode = 'prose';
    const prose = await score(['--fresh'], { DEEPSEEK_API_KEY: KEY });
    mode = 'ok';
    expect(JSON.parse(prose.out.trim().split('\n').at(-1)!)).toMatchObject({ n, fallbacks: n });
    const ev2 = await journalEvents(sjournal, desk.key);
    const failed = ev2.filter((e) => e.type === 'SentimentRequestFailed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]!.data).toMatchObject({ code: 'INVALID_REPLY', rawReply: expect.stringContaining('positive') });
    expect(ev2.filter((e) => e.type === 'SentimentScored' && (e.data as { fallbackFor: string | null }).fallbackFor === 'INVALID_REPLY')).toHaveLength(n);
    // No key: no request at all, the fallback answers.
    const before = requests;
    const nokey = await score(['--fresh'], { DEEPSEEK_API_KEY: '' });
    expect(JSON.parse(nokey.out.trim().split('\n').at(-1)!)).toMatchObject({ fallbacks: n, requests: 0 });
    expect(requests).toBe(before);
    // The key is in no journal byte, output or error.
    for (const x of [first, again, prose, nokey]) expect(x.out + x.err).not.toContain(KEY);
    expect(JSON.stringify(ev2.map((e) => e.data))).not.toContain(KEY);
  }, 120_000);

  it('a multi-factor backtest weighs the journaled LLM sentiment; the backtest, its replay and its audit make no request', async () => {
    const count = requests;
    const cfg = join(desk.work, 'mf.yaml');
    const base = readFileSync(desk.config('p'), 'utf8').replace('mode: paper', 'mode: backtest')
      .replace(/strategy:\n(  .*\n)+/, 'strategy:\n  name: multi-factor\n  params:\n    weights: {momentum: 1, sentiment: 2}\n    topN: 3\n    lookback: 10\n    skip: 1\n    volWindow: 10\n    schedule: weekly\n');
    writeFileSync(cfg, base + `sentiment:\n  news: news.csv\n  scorer: llm\n  lexicons: ${lexicons}\n  journal: sentiment.sqlite\n`);
    const bt = ashare(desk.work, ['backtest', '--config', cfg, '--journal', join(desk.work, 'mf.sqlite'), '--key-file', desk.keyFile, '--report-dir', join(desk.work, 'mf.report'), '--json']);
    expect(bt.code, bt.err).toBe(0);
    const ev = await journalEvents(join(desk.work, 'mf.sqlite'), desk.key);
    const scored = ev.filter((e) => e.type === 'SentimentScored');
    expect(scored.length).toBeGreaterThan(0);
    expect(scored.every((e) => (e.data as { scorer: string }).scorer === 'llm')).toBe(true);
    const replay = ashare(desk.work, ['replay', '--journal', join(desk.work, 'mf.sqlite'), '--all', '--key-file', desk.keyFile]);
    expect(replay.code, replay.out + replay.err).toBe(0);
    const audit = ashare(desk.work, ['audit', '--journal', join(desk.work, 'mf.sqlite'), '--key-file', desk.keyFile]);
    expect(audit.code, audit.out + audit.err).toBe(0);
    expect(requests).toBe(count);
    // The report shows the strategy with and without the factor side by side.
    const html = readFileSync(join(desk.work, 'mf.report', 'report.html'), 'utf8');
    expect(html).toContain('without the sentiment factor (weights.sentiment = 0)');
    const metrics = JSON.parse(readFileSync(join(desk.work, 'mf.report', 'metrics.json'), 'utf8'));
    expect(metrics.comparison).toMatchObject({ label: 'without the sentiment factor (weights.sentiment = 0)' });
    expect(existsSync(join(desk.work, 'mf.report', 'report.html'))).toBe(true);
  }, 180_000);
});
