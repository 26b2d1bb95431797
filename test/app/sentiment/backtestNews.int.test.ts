import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DataOf } from '../../../src/domain/index.js';
import { AppError } from '../../../src/app/errors.js';
import { newsSentiment, type SentimentConfig } from '../../../src/app/sentiment/backtestNews.js';
import { textHashOf } from '../../../src/app/sentiment/scoreItems.js';
import { journalScores } from '../../../src/app/sentiment/sentimentJournal.js';

// A backtest reads the LLM's scores from a sentiment journal by text *and* the model and prompt
// version: one journal holding two models' (or two prompts') scores of the same texts gives each
// backtest the scores of the model its config names, never whichever was journaled last, and a config
// that does not choose between them is refused.
const dir = mkdtempSync(join(tmpdir(), 'ashare-backtest-news-'));
writeFileSync(join(dir, 'lex_positive.txt'), '增长\n');
writeFileSync(join(dir, 'lex_negative.txt'), '亏损\n');
const texts = ['业绩大幅增长', '亏损扩大', '发布季度报告'];
writeFileSync(join(dir, 'news.csv'), ['date,symbol,text', ...texts.map((t) => `2024-03-05,600000.SH,${t}`)].join('\n') + '\n');
const days = ['2024-03-04', '2024-03-05', '2024-03-06'];

const A = 'deepseek-chat@api.deepseek.com';
const B = 'qwen-plus@dashscope.aliyuncs.com';
const scored = (text: string, model: string, promptVersion: string, score: number): { type: 'SentimentScored'; data: DataOf<'SentimentScored'> } => ({
  type: 'SentimentScored',
  data: {
    source: 'news.csv', itemId: null, day: '2024-03-05', symbol: '600000.SH', textHash: textHashOf(text), text, scorer: 'llm', model, promptVersion,
    requestHash: 'a'.repeat(64), rawReply: '{"scores":[]}', score, label: score > 0.1 ? 'positive' : score < -0.1 ? 'negative' : 'neutral',
    confidence: Math.abs(score), latencyMs: 10, fallbackFor: null,
  },
});

/** A sentiment journal holding, in this order, A's scores (+0.5 each), B's (−0.5) and A's under prompt v0 (+0.9). */
async function journalOfTwoModels(name: string): Promise<string> {
  const path = join(dir, name);
  await journalScores(path, undefined, [
    ...texts.map((t) => scored(t, A, 'llm-sentiment-v1', 0.5)),
    ...texts.map((t) => scored(t, B, 'llm-sentiment-v1', -0.5)),
    ...texts.map((t) => scored(t, A, 'llm-sentiment-v0', 0.9)),
  ], Date.parse('2024-03-05T18:00:00+08:00'));
  return path;
}

const config = (journal: string, extra: Partial<SentimentConfig>): SentimentConfig => ({ news: 'news.csv', scorer: 'llm', lexicons: dir, journal, ...extra });
const scoresOf = (r: Awaited<ReturnType<typeof newsSentiment>>) => (r.byDay.get('2024-03-05') ?? []).map((e) => {
  const d = e.data as DataOf<'SentimentScored'>;
  return [d.model, d.promptVersion, d.score, d.fallbackFor];
});

describe('backtest news sentiment from a journal of two LLMs', () => {
  it('reads the scores of the model and prompt version the config names, each kept apart', async () => {
    const j = await journalOfTwoModels('two.sqlite');
    const a = await newsSentiment(config(j, { llmModel: A, promptVersion: 'llm-sentiment-v1' }), dir, days, undefined);
    expect(scoresOf(a)).toEqual(texts.map(() => [A, 'llm-sentiment-v1', 0.5, null]));
    expect(a).toMatchObject({ items: 3, reused: 3, fallbacks: 0 });
    // The model's name alone picks it too (B is the only qwen-plus).
    const b = await newsSentiment(config(j, { llmModel: 'qwen-plus' }), dir, days, undefined);
    expect(scoresOf(b)).toEqual(texts.map(() => [B, 'llm-sentiment-v1', -0.5, null]));
    // The older prompt's scores by the same model are a third, separate set.
    const a0 = await newsSentiment(config(j, { llmModel: 'deepseek-chat', promptVersion: 'llm-sentiment-v0' }), dir, days, undefined);
    expect(scoresOf(a0)).toEqual(texts.map(() => [A, 'llm-sentiment-v0', 0.9, null]));
  });

  it('refuses a journal of several models or prompts when the config does not choose, naming them', async () => {
    const j = await journalOfTwoModels('ambiguous.sqlite');
    const err = await newsSentiment(config(j, {}), dir, days, undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((err as Error).message).toBe(`the sentiment journal holds LLM scores from 3 models or prompt versions (${A} (llm-sentiment-v0), ${A} (llm-sentiment-v1), ${B} (llm-sentiment-v1)): choose one with sentiment.llmModel and sentiment.promptVersion`);
    // Naming only the prompt still leaves two models.
    await expect(newsSentiment(config(j, { promptVersion: 'llm-sentiment-v1' }), dir, days, undefined)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('a journal of one LLM needs no choice; a model it does not hold leaves every item to the offline scorer', async () => {
    const j = join(dir, 'one.sqlite');
    await journalScores(j, undefined, texts.map((t) => scored(t, B, 'llm-sentiment-v1', -0.5)), Date.parse('2024-03-05T18:00:00+08:00'));
    expect(scoresOf(await newsSentiment(config(j, {}), dir, days, undefined))).toEqual(texts.map(() => [B, 'llm-sentiment-v1', -0.5, null]));
    const other = await newsSentiment(config(j, { llmModel: A }), dir, days, undefined);
    expect(other).toMatchObject({ items: 3, reused: 0, fallbacks: 3 });
    expect(scoresOf(other).map((x) => x[3])).toEqual(['NOT_JOURNALED', 'NOT_JOURNALED', 'NOT_JOURNALED']);
  });
});
