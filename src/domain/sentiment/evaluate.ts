/*
 * Evaluation of a sentiment scorer against labelled texts: the confusion matrix, accuracy, and
 * per-class precision, recall and F1 with their macro average; and the deterministic held-out split
 * (a hash of each text decides its side, so the split is reproducible without a random source).
 */
import { sha256Hex } from '../hash.js';
import { SENTIMENT_LABELS, type SentimentLabel } from './scorer.js';

/** `confusion[truth][predicted]` = count. */
export type Confusion = Record<SentimentLabel, Record<SentimentLabel, number>>;

export interface ClassMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

export interface EvalMetrics {
  readonly n: number;
  readonly accuracy: number;
  /** Mean F1 over the classes that occur in the truth or the predictions (scikit-learn's `average='macro'`). */
  readonly macroF1: number;
  readonly perClass: Record<SentimentLabel, ClassMetrics>;
  readonly confusion: Confusion;
}

export function emptyConfusion(): Confusion {
  const row = (): Record<SentimentLabel, number> => ({ negative: 0, neutral: 0, positive: 0 });
  return { negative: row(), neutral: row(), positive: row() };
}

/** Counts truth → prediction pairs; the two lists must have the same length. */
export function confusionOf(truth: readonly SentimentLabel[], predicted: readonly SentimentLabel[]): Confusion {
  if (truth.length !== predicted.length) throw new RangeError(`confusionOf: ${truth.length} truths but ${predicted.length} predictions`);
  const m = emptyConfusion();
  for (let i = 0; i < truth.length; i++) m[truth[i]!][predicted[i]!]++;
  return m;
}

/** A ratio that is 0 when nothing was counted (scikit-learn's `zero_division=0`). */
const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** Metrics from a confusion matrix. Figures are unrounded. */
export function metricsOf(confusion: Confusion): EvalMetrics {
  const L = SENTIMENT_LABELS;
  let n = 0, correct = 0;
  for (const t of L) for (const p of L) { n += confusion[t][p]; if (t === p) correct += confusion[t][p]; }
  const perClass = {} as Record<SentimentLabel, ClassMetrics>;
  const present: number[] = [];
  for (const c of L) {
    const tp = confusion[c][c];
    const support = L.reduce((s, p) => s + confusion[c][p], 0);
    const predicted = L.reduce((s, t) => s + confusion[t][c], 0);
    const precision = ratio(tp, predicted), recall = ratio(tp, support);
    const f1 = ratio(2 * precision * recall, precision + recall);
    perClass[c] = { precision, recall, f1, support };
    if (support > 0 || predicted > 0) present.push(f1);
  }
  return {
    n, accuracy: ratio(correct, n), macroF1: ratio(present.reduce((a, b) => a + b, 0), present.length), perClass,
    confusion: Object.fromEntries(L.map((t) => [t, { ...confusion[t] }])) as Confusion,
  };
}

export const evaluateLabels = (truth: readonly SentimentLabel[], predicted: readonly SentimentLabel[]): EvalMetrics =>
  metricsOf(confusionOf(truth, predicted));

/**
 * Whether a row belongs to the held-out part: the first 52 bits of sha256(`<seed>:<key>`) as a
 * fraction of 2^52, below `fraction`. Key it on the text, so duplicate texts never straddle the split.
 */
export function isHeldOut(key: string, fraction: number, seed: number): boolean {
  if (!(fraction >= 0 && fraction < 1)) throw new RangeError(`holdout fraction must be in [0, 1), got ${fraction}`);
  const u = parseInt(sha256Hex(`${seed}:${key}`).slice(0, 13), 16) / 2 ** 52;
  return u < fraction;
}

/** Splits rows into training and held-out parts, each keeping the input order. */
export function splitHoldout<T>(rows: readonly T[], keyOf: (row: T) => string, fraction: number, seed: number): { train: T[]; holdout: T[] } {
  const train: T[] = [], holdout: T[] = [];
  for (const r of rows) (isHeldOut(keyOf(r), fraction, seed) ? holdout : train).push(r);
  return { train, holdout };
}
