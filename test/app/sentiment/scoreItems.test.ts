import { describe, expect, it } from 'vitest';
import type { LlmBatchResult } from '../../../src/adapters/sentiment/llmScorer.js';
import type { SentimentScorer } from '../../../src/domain/index.js';
import { knownScores, reuseKey, scoreItems, textHashOf, type LlmBatches } from '../../../src/app/sentiment/scoreItems.js';

// scoreItems: each way the LLM can fail ends in a SentimentRequestFailed and the fallback's scores,
// marked with the failure; reuse by (text, scorer, model, prompt); nothing carries the key.
const KEY = 'sk-unit-test-key';
const offline: SentimentScorer = {
  info: { scorer: 'lexicon', model: 'lexicon:test', promptVersion: null },
  score: async (texts) => texts.map((t) => ({ score: t.includes('涨') ? 0.5 : -0.5, label: t.includes('涨') ? 'positive' : 'negative', confidence: 0.5 })),
};
const items = ['大涨', '大跌', '上涨'].map((text, i) => ({ id: `i${i}`, day: '2024-03-05', symbol: '600000.SH', text }));
const llmAnswering = (outcome: LlmBatchResult['outcome']): LlmBatches & { calls: number } => {
  const o = {
    calls: 0,
    info: { scorer: 'llm' as const, model: 'deepseek-chat@api.deepseek.com', promptVersion: 'llm-sentiment-v1' },
    async scoreBatches(texts: readonly string[]): Promise<LlmBatchResult[]> {
      o.calls++;
      return [{ texts, requestHash: 'a'.repeat(64), rawReply: outcome.ok ? '{"scores":[0.9,-0.9,0.1]}' : 'some prose', latencyMs: 30, attempts: 1, outcome }];
    },
  };
  return o;
};

describe('scoreItems', () => {
  it('journals the LLM scores with the request hash and raw reply', async () => {
    const r = await scoreItems(items, { source: 'news.csv', llm: llmAnswering({ ok: true, scores: [0.9, -0.9, 0.1].map((score) => ({ score, label: score > 0.1 ? 'positive' : score < -0.1 ? 'negative' : 'neutral', confidence: Math.abs(score) })) }), offline, known: new Map(), fresh: false });
    expect(r.summary).toEqual({ n: 3, scored: 3, reused: 0, fallbacks: 0, requests: 1 });
    expect(r.events.map((e) => e.type)).toEqual(['SentimentScored', 'SentimentScored', 'SentimentScored']);
    expect(r.events[0]!.data).toMatchObject({ scorer: 'llm', requestHash: 'a'.repeat(64), rawReply: '{"scores":[0.9,-0.9,0.1]}', score: 0.9, itemId: 'i0', symbol: '600000.SH', textHash: textHashOf('大涨'), fallbackFor: null });
  });

  for (const code of ['INVALID_REPLY', 'TIMEOUT', 'RATE_LIMITED', 'HTTP_ERROR', 'CONNECTION', 'EGRESS_BLOCKED', 'CIRCUIT_OPEN', 'NO_KEY'] as const) {
    it(`${code}: the failure is journaled, the fallback answers every item, marked`, async () => {
      const r = await scoreItems(items, { source: 'news.csv', llm: llmAnswering({ ok: false, code, reason: `failed: ${code}` }), offline, known: new Map(), fresh: false });
      expect(r.events[0]).toMatchObject({ type: 'SentimentRequestFailed', data: { code, texts: 3, scorer: 'llm', requestHash: 'a'.repeat(64) } });
      expect(r.events.slice(1).map((e) => [e.type, (e.data as { scorer: string }).scorer, (e.data as { fallbackFor: string }).fallbackFor])).toEqual(
        items.map(() => ['SentimentScored', 'lexicon', code]));
      expect(r.summary).toMatchObject({ scored: 3, fallbacks: 3 });
      expect(JSON.stringify(r)).not.toContain(KEY);
    });
  }

  it('reuses a journaled score of the same text, scorer, model and prompt without asking; --fresh asks again', async () => {
    const llm = llmAnswering({ ok: true, scores: [{ score: 0.9, label: 'positive', confidence: 0.9 }] });
    const first = await scoreItems(items.slice(0, 1), { source: 's', llm, offline, known: new Map(), fresh: false });
    const known = knownScores(first.events);
    expect([...known.keys()]).toEqual([reuseKey(textHashOf('大涨'), llm.info)]);
    const again = await scoreItems(items.slice(0, 1), { source: 's', llm, offline, known, fresh: false });
    expect(again.summary).toMatchObject({ reused: 1, requests: 0 });
    expect(again.events).toEqual([]);
    expect(llm.calls).toBe(1);
    await scoreItems(items.slice(0, 1), { source: 's', llm, offline, known, fresh: true });
    expect(llm.calls).toBe(2);
    // A fallback score does not stand for the LLM's: the next run asks the LLM again.
    const fb = await scoreItems(items.slice(0, 1), { source: 's', llm: llmAnswering({ ok: false, code: 'TIMEOUT', reason: 't' }), offline, known: new Map(), fresh: false });
    const withFallback = knownScores(fb.events);
    const llm2 = llmAnswering({ ok: true, scores: [{ score: 0.9, label: 'positive', confidence: 0.9 }] });
    await scoreItems(items.slice(0, 1), { source: 's', llm: llm2, offline, known: withFallback, fresh: false });
    expect(llm2.calls).toBe(1);
  });
});
