/*
 * News and forum sentiment: the port every scorer answers through. A score is in [-1, 1]
 * (negative … positive), with a label and a confidence in [0, 1]. Pure types; the scorers are
 * domain/sentiment (lexicon, n-gram model) and adapters/sentiment (the LLM client).
 */

export type SentimentLabel = 'negative' | 'neutral' | 'positive';
export const SENTIMENT_LABELS: readonly SentimentLabel[] = ['negative', 'neutral', 'positive'];

export interface SentimentScore {
  readonly score: number;
  readonly label: SentimentLabel;
  readonly confidence: number;
}

export type ScorerName = 'llm' | 'lexicon' | 'model';

/** What produced a score, journaled with it: the scorer, its model or version (a file's hash for lexicon and model), the prompt version (llm). */
export interface ScorerInfo {
  readonly scorer: ScorerName;
  readonly model: string;
  readonly promptVersion: string | null;
}

export interface SentimentScorer {
  readonly info: ScorerInfo;
  score(texts: readonly string[]): Promise<SentimentScore[]>;
}

/** The label of a score: neutral within ±`band` (default 0.1). */
export function labelOf(score: number, band = 0.1): SentimentLabel {
  return score > band ? 'positive' : score < -band ? 'negative' : 'neutral';
}
