import type { LlmBatchResult } from '../../adapters/sentiment/llmScorer.js';
import type { DataOf, ScorerInfo, SentimentScorer } from '../../domain/index.js';
import { sha256Hex } from '../../domain/index.js';

/** A text to score: from a news file (`date,symbol,text`), a comments file (`id,text`) or a feed. */
export interface SentimentItem {
  readonly id: string | null;
  readonly day: string | null;
  readonly symbol: string | null;
  readonly text: string;
}

export interface LlmBatches {
  readonly info: ScorerInfo;
  scoreBatches(texts: readonly string[]): Promise<LlmBatchResult[]>;
}

export interface ScoreOptions {
  readonly source: string;
  /** The LLM (primary), or null to score with `offline` alone. */
  readonly llm: LlmBatches | null;
  /** The lexicon or model scorer: the scorer itself without an LLM, the fallback with one. */
  readonly offline: SentimentScorer;
  /** Scores already journaled, by `reuseKey`: an item found there is not scored again (unless `fresh`). */
  readonly known: ReadonlyMap<string, DataOf<'SentimentScored'>>;
  readonly fresh: boolean;
}

export interface ScoredItem {
  readonly item: SentimentItem;
  readonly scored: DataOf<'SentimentScored'>;
  readonly reused: boolean;
}

export interface ScoreOutcome {
  readonly items: readonly ScoredItem[];
  /** New events to journal, in order: SentimentRequestFailed before the fallback scores it caused. */
  readonly events: readonly ({ type: 'SentimentScored'; data: DataOf<'SentimentScored'> } | { type: 'SentimentRequestFailed'; data: DataOf<'SentimentRequestFailed'> })[];
  readonly summary: { n: number; scored: number; reused: number; fallbacks: number; requests: number };
}

export const textHashOf = (text: string): string => sha256Hex(text);

/** What makes a journaled score reusable: the same text scored by the same scorer, model and prompt. */
export const reuseKey = (textHash: string, info: Pick<ScorerInfo, 'scorer' | 'model' | 'promptVersion'>): string =>
  `${textHash}|${info.scorer}|${info.model}|${info.promptVersion ?? ''}`;

/** The journaled scores of a sentiment journal by reuse key (a fallback stands for its own scorer, not for the LLM it replaced). */
export function knownScores(events: Iterable<{ type: string; data: unknown }>): Map<string, DataOf<'SentimentScored'>> {
  const out = new Map<string, DataOf<'SentimentScored'>>();
  for (const e of events) {
    if (e.type !== 'SentimentScored') continue;
    const d = e.data as DataOf<'SentimentScored'>;
    out.set(reuseKey(d.textHash, d), d);
  }
  return out;
}

const TEXT_MAX = 4000;

/**
 * Scores items: each one already journaled under the primary scorer's key is reused (no request);
 * the rest go to the LLM in batches, and a batch the LLM could not score (an invalid reply, a
 * timeout, 429s, the breaker open, no key, the air gap) is journaled as SentimentRequestFailed and
 * answered by the offline scorer, each of its scores marked with the failure it stands in for.
 * Without an LLM the offline scorer answers directly. Nothing here writes: the caller journals
 * `events` in one append.
 */
export async function scoreItems(items: readonly SentimentItem[], o: ScoreOptions): Promise<ScoreOutcome> {
  const primary = o.llm?.info ?? o.offline.info;
  const out: (ScoredItem | null)[] = items.map(() => null);
  const events: ScoreOutcome['events'][number][] = [];
  const todo: number[] = [];
  items.forEach((it, i) => {
    const hit = o.fresh ? undefined : o.known.get(reuseKey(textHashOf(it.text), primary));
    if (hit) out[i] = { item: it, scored: { ...hit, source: o.source, itemId: it.id, day: it.day, symbol: it.symbol }, reused: true };
    else todo.push(i);
  });
  const scoredBy = (i: number, info: ScorerInfo, s: { score: number; label: DataOf<'SentimentScored'>['label']; confidence: number }, extra: Partial<DataOf<'SentimentScored'>>): DataOf<'SentimentScored'> => {
    const it = items[i]!;
    return {
      source: o.source.slice(0, 200), itemId: it.id?.slice(0, 100) ?? null, day: it.day, symbol: it.symbol, textHash: textHashOf(it.text), text: it.text.slice(0, TEXT_MAX),
      scorer: info.scorer, model: info.model, promptVersion: info.promptVersion, requestHash: null, rawReply: null,
      score: s.score, label: s.label, confidence: s.confidence, latencyMs: 0, fallbackFor: null, ...extra,
    };
  };
  let requests = 0, fallbacks = 0;
  const offline = async (idx: readonly number[], fallbackFor: string | null) => {
    if (idx.length === 0) return;
    const t0 = performance.now();
    const scores = await o.offline.score(idx.map((i) => items[i]!.text));
    const per = Math.round((performance.now() - t0) / idx.length);
    idx.forEach((i, k) => {
      const data = scoredBy(i, o.offline.info, scores[k]!, { latencyMs: per, fallbackFor });
      out[i] = { item: items[i]!, scored: data, reused: false };
      events.push({ type: 'SentimentScored', data });
    });
    if (fallbackFor !== null) fallbacks += idx.length;
  };
  if (o.llm && todo.length > 0) {
    const batches = await o.llm.scoreBatches(todo.map((i) => items[i]!.text));
    let at = 0;
    for (const b of batches) {
      const idx = todo.slice(at, at + b.texts.length);
      at += b.texts.length;
      requests += b.attempts;
      if (b.outcome.ok) {
        const per = Math.round(b.latencyMs / Math.max(1, idx.length));
        const scores = b.outcome.scores;
        idx.forEach((i, k) => {
          const data = scoredBy(i, o.llm!.info, scores[k]!, { requestHash: b.requestHash, rawReply: b.rawReply, latencyMs: per });
          out[i] = { item: items[i]!, scored: data, reused: false };
          events.push({ type: 'SentimentScored', data });
        });
      } else {
        events.push({ type: 'SentimentRequestFailed', data: {
          scorer: 'llm', model: o.llm.info.model, promptVersion: o.llm.info.promptVersion, requestHash: b.requestHash, code: b.outcome.code,
          reason: b.outcome.reason.slice(0, 1000) || b.outcome.code, texts: idx.length, rawReply: b.rawReply, latencyMs: Math.round(b.latencyMs), attempts: b.attempts,
        } });
        await offline(idx, b.outcome.code);
      }
    }
  } else if (!o.llm) {
    await offline(todo, null);
  }
  const done = out.filter((x): x is ScoredItem => x !== null);
  return { items: done, events, summary: { n: items.length, scored: done.length, reused: done.filter((x) => x.reused).length, fallbacks, requests } };
}
